import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { simulatorLoginId } from '../../src/simulator/index.ts';
import { AUTHORIZE, useTestGateway } from '../support/gateway.ts';

const gw = useTestGateway();

interface HostileRequest {
  method: 'GET' | 'POST';
  contentType: string | null;
  body: string | null;
  search?: string;
  /** Whether the request is well-formed enough that Flinks may be called. */
  mayReachFlinks: boolean;
}

const text = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.constantFrom(
    '',
    ' ',
    '\u0000',
    '\u202e',
    '😀'.repeat(20),
    'a'.repeat(5_000),
    '"}]){',
    '__proto__',
  ),
);
const anyValue = fc.oneof(
  text,
  fc.constant(null),
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.array(text, { maxLength: 5 }),
  fc.dictionary(text, text, { maxKeys: 3 }),
);

function nested(depth: number): string {
  return `${'['.repeat(depth)}${']'.repeat(depth)}`;
}

const contentTypes = fc.constantFrom(
  'application/json',
  'application/json; charset=utf-8',
  'text/plain',
  'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=x',
  'application/graphql',
  'application/xml',
  null,
);

const brokenBodies = fc.oneof(
  text,
  fc.json(),
  fc.constantFrom(
    '{',
    '{"query":',
    '{"query": 1}',
    '{"query": null}',
    'null',
    '[]',
    '"x"',
    '{"query":"{"}',
  ),
  fc.integer({ min: 100, max: 20_000 }).map(nested),
  fc.integer({ min: 100, max: 5_000 }).map((n) => `{"query":"${'{a'.repeat(n)}"}`),
);

const rawRequests: fc.Arbitrary<HostileRequest> = fc.record({
  method: fc.constantFrom('GET' as const, 'POST' as const),
  contentType: contentTypes,
  body: brokenBodies,
  mayReachFlinks: fc.constant(false),
});

/** Operations with hostile variables: wrong types, nulls, unicode, oversized and malformed ids. */
const hostileOperations: fc.Arbitrary<HostileRequest> = fc
  .oneof(
    fc.record({ cached: fc.record({ loginId: anyValue }) }),
    fc.record({ refresh: fc.record({ loginId: anyValue, tag: anyValue, language: anyValue }) }),
    fc.record({ cached: anyValue, credentials: anyValue }),
    fc.constant(null),
    fc.constant({}),
  )
  .map((input) => ({
    method: 'POST' as const,
    contentType: 'application/json',
    body: JSON.stringify({ query: AUTHORIZE, variables: { input } }),
    mayReachFlinks: false,
  }));

const hostileAnswers: fc.Arbitrary<HostileRequest> = fc
  .record({
    requestId: anyValue,
    responses: fc.oneof(
      anyValue,
      fc.array(fc.record({ prompt: anyValue, answers: anyValue }), { maxLength: 60 }),
    ),
  })
  .map((input) => ({
    method: 'POST' as const,
    contentType: 'application/json',
    body: JSON.stringify({
      query: 'mutation ($input: AnswerMfaInput!) { answerMfa(input: $input) { __typename } }',
      variables: { input },
    }),
    // A requestId the gateway never issued: answerMfa refuses it before any upstream call.
    mayReachFlinks: false,
  }));

/** Credentials with hostile strings: valid shapes reach Flinks, which must then answer typed. */
const hostileCredentials: fc.Arbitrary<HostileRequest> = fc
  .record({
    institution: text,
    username: text,
    // Marked so that the leak check on close cannot mistake a common string for a password.
    password: text.map((hostile) => `pw-${hostile}-Zq9`),
    tag: fc.option(text),
  })
  .map((credentials) => ({
    method: 'POST' as const,
    contentType: 'application/json',
    body: JSON.stringify({ query: AUTHORIZE, variables: { input: { credentials } } }),
    mayReachFlinks: true,
  }));

async function send(request: HostileRequest): Promise<{ status: number; text: string }> {
  const headers: Record<string, string> = {};
  if (request.contentType) headers['content-type'] = request.contentType;
  const init: RequestInit =
    request.method === 'GET'
      ? { method: 'GET', headers }
      : { method: 'POST', headers, body: request.body ?? '' };
  const search = request.method === 'GET' ? `?query=${encodeURIComponent(request.body ?? '')}` : '';
  const response = await gw.fetch(`/graphql${search}`, init);
  return { status: response.status, text: await response.text() };
}

const STACK_TRACE = /\bat .+\(.+:\d+:\d+\)|node_modules|\.ts:\d+/;

describe('hostile input', () => {
  it('never gets a 5xx or a stack trace, and invalid input never reaches Flinks', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(rawRequests, hostileOperations, hostileAnswers, hostileCredentials),
        async (request) => {
          const before = gw.authorizeCalls();
          const { status, text: body } = await send(request);
          expect(status).toBeLessThan(500);
          expect(body).not.toMatch(STACK_TRACE);
          if (!request.mayReachFlinks) expect(gw.authorizeCalls()).toBe(before);
        },
      ),
      { numRuns: 2_500 },
    );

    const { body } = await gw.graphql(AUTHORIZE, {
      input: { cached: { loginId: simulatorLoginId('Greatday') } },
    });
    expect(body.data.authorize.__typename).toBe('AuthorizeSuccess');
  });
});
