import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ANSWER_MFA,
  AUTHORIZE,
  answer,
  credentials,
  startTestGateway,
  type TestGateway,
} from '../support/gateway.ts';

describe('per-principal rate limit', () => {
  it('answers RateLimitedError with a retry-after once a principal spends its allowance', async () => {
    let now = 1_000_000;
    const gw = await startTestGateway({ config: { rateLimitPerMinute: 3 }, now: () => now });
    try {
      for (let i = 0; i < 3; i++) {
        const { body } = await gw.graphql(AUTHORIZE, credentials('greatday_nomfa'));
        expect(body.data.authorize.__typename).toBe('AuthorizeSuccess');
      }
      const before = gw.authorizeCalls();
      const { body } = await gw.graphql(AUTHORIZE, credentials('greatday_nomfa'));
      expect(body.data.authorize).toMatchObject({
        __typename: 'RateLimitedError',
        flinksCode: null,
        retryable: true,
        retryAfterSeconds: 20,
      });
      expect(gw.authorizeCalls()).toBe(before);
      now += 20_000;
      const later = await gw.graphql(AUTHORIZE, credentials('greatday_nomfa'));
      expect(later.body.data.authorize.__typename).toBe('AuthorizeSuccess');
    } finally {
      await gw.close();
    }
  });
});

describe('limits on one MFA round and one request', () => {
  let gw: TestGateway;
  beforeAll(async () => {
    gw = await startTestGateway();
  });
  afterAll(async () => {
    await gw.close();
  });

  it('closes an MFA round after three answers Flinks refused', async () => {
    const { body } = await gw.graphql(AUTHORIZE, credentials('Greatday'));
    const { requestId } = body.data.authorize;
    const wrong = () =>
      gw.graphql(ANSWER_MFA, answer(requestId, { 'What city were you born in?': ['Paris'] }));
    expect((await wrong()).body.data.answerMfa).toMatchObject({ canRetry: true });
    expect((await wrong()).body.data.answerMfa).toMatchObject({ canRetry: true });
    expect((await wrong()).body.data.answerMfa).toMatchObject({
      __typename: 'MfaAnswerRejectedError',
      canRetry: false,
      sessionRequestId: null,
      message: 'Too many wrong answers: this step is closed. Start again.',
    });
    const before = gw.authorizeCalls();
    const right = await gw.graphql(
      ANSWER_MFA,
      answer(requestId, { 'What city were you born in?': ['Montreal'] }),
    );
    expect(right.body.data.answerMfa.__typename).toBe('SessionExpiredError');
    expect(gw.authorizeCalls()).toBe(before);
  });

  it('refuses a request carrying many aliased answerMfa attempts, before any upstream call', async () => {
    const attempts = Array.from(
      { length: 20 },
      (_, i) =>
        `a${i}: answerMfa(input: { requestId: "5e115eac-1209-4f19-641c-08d6d484e2fe", responses: [{ prompt: "q", answers: ["${i}"] }] }) { __typename }`,
    ).join('\n');
    const before = gw.authorizeCalls();
    const { body } = await gw.graphql(`mutation { ${attempts} }`);
    expect(body).toEqual({
      errors: [{ message: 'Syntax Error: Aliases limit of 10 exceeded, found 20.' }],
    });
    expect(gw.authorizeCalls()).toBe(before);
  });

  it('refuses a body over 100 KB with 413 while reading it', async () => {
    const query = `mutation { authorize(input: { cached: { loginId: "${'x'.repeat(120_000)}" } }) { __typename } }`;
    const response = await gw.fetch('/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query }),
    });
    expect(response.status).toBe(413);
    expect(await response.json()).toMatchObject({
      errors: [{ message: 'The request body is over 102400 bytes.' }],
    });
  });

  it('refuses a batched request', async () => {
    const response = await gw.fetch('/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify([{ query: '{ __typename }' }, { query: '{ __typename }' }]),
    });
    expect(response.status).toBe(400);
  });

  it('refuses a simple cross-site request without a preflight header', async () => {
    const response = await gw.fetch('/graphql?query=%7B__typename%7D', { method: 'GET' });
    expect(response.status).toBe(403);
    const allowed = await gw.fetch('/graphql?query=%7B__typename%7D', {
      method: 'GET',
      headers: { 'x-graphql-yoga-csrf': '1' },
    });
    expect(allowed.status).toBe(200);
  });
});

describe('CORS', () => {
  it('allows only the configured origins, never with credentials', async () => {
    const gw = await startTestGateway({ config: { corsOrigins: ['https://app.example.com'] } });
    try {
      const preflight = (origin: string) =>
        gw.fetch('/graphql', {
          method: 'OPTIONS',
          headers: {
            origin,
            'access-control-request-method': 'POST',
            'access-control-request-headers': 'content-type, authorization',
          },
        });
      const allowed = await preflight('https://app.example.com');
      expect(allowed.headers.get('access-control-allow-origin')).toBe('https://app.example.com');
      expect(allowed.headers.get('access-control-allow-credentials')).toBeNull();
      const other = await preflight('https://evil.example.com');
      expect(other.headers.get('access-control-allow-origin')).not.toBe('https://evil.example.com');
    } finally {
      await gw.close();
    }
  });
});

describe('production', () => {
  it('serves no GraphiQL, no introspection and no field suggestions', async () => {
    const gw = await startTestGateway({
      config: {
        production: true,
        auth: { jwtSecret: 'x'.repeat(32), jwksUrl: null, issuer: null, audience: null },
      },
    });
    try {
      const page = await gw.fetch('/graphql', { headers: { accept: 'text/html' } });
      expect(await page.text()).not.toContain('GraphiQL');
      const { SignJWT } = await import('jose');
      const token = await new SignJWT({})
        .setProtectedHeader({ alg: 'HS256' })
        .setSubject('ops')
        .setExpirationTime('5m')
        .sign(new TextEncoder().encode('x'.repeat(32)));
      const headers = { authorization: `Bearer ${token}` };
      const introspection = await gw.graphql('{ __schema { types { name } } }', undefined, headers);
      expect(introspection.body.data).toBeUndefined();
      expect(JSON.stringify(introspection.body.errors)).toMatch(/introspection/i);
      const typo = await gw.graphql('mutation { authorise { __typename } }', undefined, headers);
      expect(JSON.stringify(typo.body.errors)).not.toMatch(/did you mean/i);
    } finally {
      await gw.close();
    }
  });
});

describe('@defer and @stream', () => {
  let gw: TestGateway;
  beforeAll(async () => {
    gw = await startTestGateway();
  });
  afterAll(async () => {
    await gw.close();
  });

  const deferred = (times: number) =>
    `query($r: ID!) { session(requestId: $r) { ... on Session { ${Array.from(
      { length: times },
      (_, i) => `... @defer(label: "d${i}") { requestId }`,
    ).join(' ')} } } }`;

  it('refuses more than five uses per operation before anything runs, fragment spreads counted each time', async () => {
    const { status, body } = await gw.graphql(deferred(6), { r: 'x' });
    expect(status).toBe(400);
    expect(body).toEqual({
      errors: [
        {
          message: 'The operation uses @defer and @stream more than 5 times; the limit is 5.',
          locations: [{ line: 1, column: 1 }],
          extensions: { code: 'GRAPHQL_VALIDATION_FAILED' },
        },
      ],
    });
    const spreads = await gw.graphql(
      `query($r: ID!) { session(requestId: $r) { ...A ...A } }
       fragment A on SessionResult { ... on Session { ... @defer { requestId } ... @defer { requestId }
         accountsSummary { ... on AccountsSummary { accounts { transactions { edges @stream { cursor } } } } } } }`,
      { r: 'x' },
    );
    expect(spreads.body.errors?.[0]?.message).toBe(
      'The operation uses @defer and @stream more than 5 times; the limit is 5.',
    );
  });

  it('accepts five, and keeps the depth limit for what is deferred', async () => {
    const { status } = await gw.graphql(deferred(5), { r: 'x' });
    expect(status).toBe(200);
    const deep = await gw.graphql(
      `query($r: ID!) { session(requestId: $r) { ... on Session { ... @defer { accountsDetail { ... on AccountsDetail {
        accounts { transactions { edges { node { debit { ... on Money { ... on Money { ... on Money { amount } } } } } } } } } } } } } }`,
      { r: 'x' },
    );
    expect(deep.body.errors?.[0]?.message).toMatch(/depth limit of 12 exceeded/);
  });
});
