import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { simulatorLoginId } from '../../src/simulator/index.ts';
import {
  ANSWER_MFA,
  AUTHORIZE,
  answer,
  credentials,
  startTestGateway,
  type TestGateway,
} from '../support/gateway.ts';

const SECRET = 'a-caller-token-secret-of-at-least-32-chars';
const ISSUER = 'https://auth.example.test/';
const AUDIENCE = 'flinks-gateway';

function hs256(sub: string, claims: { exp?: string | number; iss?: string; aud?: string } = {}) {
  return new SignJWT({})
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject(sub)
    .setIssuer(claims.iss ?? ISSUER)
    .setAudience(claims.aud ?? AUDIENCE)
    .setIssuedAt()
    .setExpirationTime(claims.exp ?? '5m')
    .sign(new TextEncoder().encode(SECRET));
}

const bearer = async (sub: string) => ({ authorization: `Bearer ${await hs256(sub)}` });

let gw: TestGateway;
beforeAll(async () => {
  gw = await startTestGateway({
    config: { auth: { jwtSecret: SECRET, jwksUrl: null, issuer: ISSUER, audience: AUDIENCE } },
  });
});
afterAll(async () => {
  await gw.close();
});

const UNAUTHENTICATED = expect.objectContaining({
  errors: [expect.objectContaining({ extensions: { code: 'UNAUTHENTICATED' } })],
});

describe('caller authentication', () => {
  it('runs an operation for a caller with a valid token', async () => {
    const { status, body } = await gw.graphql(
      AUTHORIZE,
      credentials('greatday_nomfa'),
      await bearer('alice'),
    );
    expect(status).toBe(200);
    expect(body.data.authorize.__typename).toBe('AuthorizeSuccess');
  });

  it.each([
    ['no token', async () => ({})],
    ['a malformed header', async () => ({ authorization: 'Bearer not-a-jwt' })],
    [
      'an expired token',
      async () => ({
        authorization: `Bearer ${await hs256('alice', { exp: Math.floor(Date.now() / 1000) - 60 })}`,
      }),
    ],
    [
      'a token signed with another secret',
      async () => ({
        authorization: `Bearer ${await new SignJWT({})
          .setProtectedHeader({ alg: 'HS256' })
          .setSubject('alice')
          .setIssuer(ISSUER)
          .setAudience(AUDIENCE)
          .setExpirationTime('5m')
          .sign(new TextEncoder().encode('x'.repeat(40)))}`,
      }),
    ],
    [
      'an unsigned token (alg none)',
      async () => {
        const part = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
        return {
          authorization: `Bearer ${part({ alg: 'none' })}.${part({ sub: 'alice', iss: ISSUER, aud: AUDIENCE })}.x`,
        };
      },
    ],
    [
      'the wrong issuer',
      async () => ({
        authorization: `Bearer ${await hs256('alice', { iss: 'https://evil.test/' })}`,
      }),
    ],
    [
      'the wrong audience',
      async () => ({ authorization: `Bearer ${await hs256('alice', { aud: 'someone-else' })}` }),
    ],
  ])('answers HTTP 401 UNAUTHENTICATED to %s, before any upstream call', async (_name, headers) => {
    const before = gw.simulator.calls.length;
    const { status, body } = await gw.graphql(
      AUTHORIZE,
      credentials('greatday_nomfa'),
      await headers(),
    );
    expect(status).toBe(401);
    expect(body).toEqual(UNAUTHENTICATED);
    expect(gw.simulator.calls.length).toBe(before);
  });

  it('stops accepting a token once it expires, even one it has verified before', async () => {
    const token = await hs256('dave', { exp: Math.floor(Date.now() / 1000) + 60 });
    const headers = { authorization: `Bearer ${token}` };
    const first = await gw.graphql(AUTHORIZE, credentials('greatday_nomfa'), headers);
    expect(first.status).toBe(200);
    vi.useFakeTimers({ toFake: ['Date'] });
    try {
      vi.setSystemTime(Date.now() + 120_000);
      const later = await gw.graphql(AUTHORIZE, credentials('greatday_nomfa'), headers);
      expect(later.status).toBe(401);
      expect(later.body).toEqual(UNAUTHENTICATED);
    } finally {
      vi.useRealTimers();
    }
  });

  it('verifies ES256 tokens against a JWKS address and refuses a key it does not publish', async () => {
    const { publicKey, privateKey } = await generateKeyPair('ES256');
    const other = await generateKeyPair('ES256');
    const jwk = { ...(await exportJWK(publicKey)), kid: 'k1', alg: 'ES256', use: 'sig' };
    const jwks: Server = createServer((_req, res) => {
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ keys: [jwk] }));
    });
    await new Promise<void>((resolve) => jwks.listen(0, '127.0.0.1', resolve));
    const jwksUrl = `http://127.0.0.1:${(jwks.address() as AddressInfo).port}/jwks.json`;
    const withJwks = await startTestGateway({
      config: { auth: { jwtSecret: null, jwksUrl, issuer: null, audience: null } },
    });
    const sign = (key: CryptoKey) =>
      new SignJWT({})
        .setProtectedHeader({ alg: 'ES256', kid: 'k1' })
        .setSubject('carol')
        .setExpirationTime('5m')
        .sign(key);
    try {
      const good = await withJwks.graphql(AUTHORIZE, credentials('greatday_nomfa'), {
        authorization: `Bearer ${await sign(privateKey)}`,
      });
      expect(good.body.data.authorize.__typename).toBe('AuthorizeSuccess');
      const forged = await withJwks.graphql(AUTHORIZE, credentials('greatday_nomfa'), {
        authorization: `Bearer ${await sign(other.privateKey)}`,
      });
      expect(forged.status).toBe(401);
    } finally {
      await withJwks.close();
      await new Promise((resolve) => jwks.close(resolve));
    }
  });
});

describe('a second principal cannot read or continue the first one’s sessions', () => {
  it('answers another principal’s MFA round like an unknown one, without calling Flinks', async () => {
    const alice = await bearer('alice');
    const bob = await bearer('bob');
    const { body } = await gw.graphql(AUTHORIZE, credentials('Greatday'), alice);
    const step = body.data.authorize;
    expect(step.__typename).toBe('MfaRequired');

    const before = gw.authorizeCalls();
    const stolen = await gw.graphql(
      ANSWER_MFA,
      answer(step.requestId, { 'What city were you born in?': ['Montreal'] }),
      bob,
    );
    const unknown = await gw.graphql(
      ANSWER_MFA,
      answer('0f0f0f0f-0000-4000-8000-000000000000', {
        'What city were you born in?': ['Montreal'],
      }),
      bob,
    );
    expect(stolen.body).toEqual(unknown.body);
    expect(stolen.body.data.answerMfa.__typename).toBe('SessionExpiredError');
    const peek = await gw.graphql(
      'query ($id: ID!) { mfaStep(requestId: $id) { __typename } }',
      { id: step.requestId },
      bob,
    );
    expect(peek.body.data.mfaStep.__typename).toBe('SessionExpiredError');
    expect(gw.authorizeCalls()).toBe(before);

    const mine = await gw.graphql(
      ANSWER_MFA,
      answer(step.requestId, { 'What city were you born in?': ['Montreal'] }),
      alice,
    );
    expect(mine.body.data.answerMfa.__typename).toBe('MfaRequired');
  });

  it('answers another principal’s LoginId like an unknown one, cached or refresh, without calling Flinks', async () => {
    const alice = await bearer('alice-2');
    const bob = await bearer('bob-2');
    const owned = await gw.graphql(AUTHORIZE, credentials('mfa_securid'), alice);
    const step = owned.body.data.authorize;
    await gw.graphql(
      ANSWER_MFA,
      answer(step.requestId, { 'Enter your SecurID': ['123456'] }),
      alice,
    );
    const done = await gw.graphql(
      ANSWER_MFA,
      answer(step.requestId, { 'What is the best country on earth?': ['Canada'] }),
      alice,
    );
    const loginId = done.body.data.answerMfa.login.id;
    expect(loginId).toBe(simulatorLoginId('mfa_securid'));

    const unknown = await gw.graphql(
      AUTHORIZE,
      { input: { cached: { loginId: '0f0f0f0f-0000-4000-8000-000000000001' } } },
      bob,
    );
    const before = gw.authorizeCalls();
    const cached = await gw.graphql(AUTHORIZE, { input: { cached: { loginId } } }, bob);
    const refresh = await gw.graphql(AUTHORIZE, { input: { refresh: { loginId } } }, bob);
    expect(gw.authorizeCalls()).toBe(before);
    expect(cached.body).toEqual(unknown.body);
    expect(refresh.body).toEqual(unknown.body);
    expect(cached.body.data.authorize).toMatchObject({
      __typename: 'InvalidCredentialsError',
      flinksCode: 'INVALID_LOGIN',
    });

    const own = await gw.graphql(AUTHORIZE, { input: { cached: { loginId } } }, alice);
    expect(own.body.data.authorize).toMatchObject({
      __typename: 'AuthorizeSuccess',
      login: { id: loginId },
    });
  });

  it('answers another principal’s RequestId like an unknown one, without a data call', async () => {
    const alice = await bearer('alice-3');
    const bob = await bearer('bob-3');
    const opened = await gw.graphql(AUTHORIZE, credentials('greatday_nomfa'), alice);
    const { requestId } = opened.body.data.authorize;
    const query = `query ($id: ID!) { session(requestId: $id) { __typename ... on Session { accountsSummary { __typename } } } }`;
    gw.simulator.clearCalls();
    const stolen = await gw.graphql(query, { id: requestId }, bob);
    const unknown = await gw.graphql(query, { id: '0f0f0f0f-0000-4000-8000-000000000002' }, bob);
    expect(stolen.body).toEqual(unknown.body);
    expect(stolen.body.data.session.__typename).toBe('SessionExpiredError');
    expect(gw.simulator.calls.filter((c) => c.endpoint !== 'GenerateAuthorizeToken')).toEqual([]);
    const mine = await gw.graphql(query, { id: requestId }, alice);
    expect(mine.body.data.session.accountsSummary.__typename).toBe('AccountsSummary');
  });

  it('gives a LoginId to the first principal that uses it in cached mode', async () => {
    const loginId = simulatorLoginId('mfa_trusted_device');
    const first = await gw.graphql(
      AUTHORIZE,
      { input: { cached: { loginId } } },
      await bearer('first-user'),
    );
    expect(first.body.data.authorize.__typename).toBe('AuthorizeSuccess');
    const second = await gw.graphql(
      AUTHORIZE,
      { input: { cached: { loginId } } },
      await bearer('second-user'),
    );
    expect(second.body.data.authorize.__typename).toBe('InvalidCredentialsError');
  });
});
