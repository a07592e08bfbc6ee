import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ANSWER_MFA, AUTHORIZE, answer, credentials } from '../support/gateway.ts';
import { type HttpGateway, startHttpGateway } from '../support/http-gateway.ts';

const PASSWORD = 'Pw-7q!unique-S3cret';
const ANSWER = 'Ans-unique-9zQ';

let gw: HttpGateway;
let bearer: string;
beforeAll(async () => {
  gw = await startHttpGateway();
  bearer = `Bearer ${await gw.token('alice')}`;
});
afterAll(async () => {
  await gw.close();
});

async function post(body: string, headers: Record<string, string> = {}) {
  const response = await fetch(`${gw.origin}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: bearer, ...headers },
    body,
  });
  return { status: response.status, text: await response.text() };
}

const json = (query: string, variables?: unknown) => JSON.stringify({ query, variables });
const creds = (extra: Record<string, unknown>) => ({
  input: { credentials: { institution: 'FlinksCapital', username: 'Greatday', ...extra } },
});

describe('nothing a caller sent comes back in an error', () => {
  it('names the field and the problem of a variable that fails coercion, never its value', async () => {
    const cases: Array<[unknown, RegExp]> = [
      [
        {
          input: {
            cached: { loginId: 'x' },
            credentials: creds({ password: PASSWORD }).input.credentials,
          },
        },
        /^Variable "\$input" got an invalid value: Exactly one key must be specified for OneOf type "AuthorizeInput"\.$/,
      ],
      [
        creds({ password: { p: PASSWORD } }),
        /^Variable "\$input" got an invalid value at "input\.credentials\.password": String cannot represent a non string value\.$/,
      ],
      [
        creds({ password: 'x', passw0rd: PASSWORD }),
        /^Variable "\$input" got an invalid value at "input\.credentials": Field "passw0rd" is not defined by type "CredentialsAuthorizeInput"\. Did you mean "password"\?$/,
      ],
      [
        creds({ password: 'x', language: PASSWORD }),
        /^Variable "\$input" got an invalid value at "input\.credentials\.language": The value does not exist in "Language" enum\.$/,
      ],
    ];
    for (const [variables, message] of cases) {
      const { status, text } = await post(json(AUTHORIZE, variables));
      expect(text).not.toContain(PASSWORD);
      const body = JSON.parse(text);
      expect(body.data).toBeUndefined();
      expect(body.errors).toHaveLength(1);
      expect(body.errors[0].message).toMatch(message);
      expect(body.errors[0].locations).toEqual([{ line: 2, column: 22 }]);
      expect(status).toBe(400);
    }
    const answers = await post(
      json(ANSWER_MFA, {
        input: {
          requestId: '5e115eac-1209-4f19-641c-08d6d484e2fe',
          responses: [{ prompt: 'q', answers: [{ a: ANSWER }] }],
        },
      }),
    );
    expect(answers.text).not.toContain(ANSWER);
    expect(JSON.parse(answers.text).errors[0].message).toBe(
      'Variable "$input" got an invalid value at "input.responses[0].answers[0]": String cannot represent a non string value.',
    );
  });

  it('answers a body that is not JSON without the body or the parser’s detail', async () => {
    const { status, text } = await post(
      `{"query":"mutation { x }","variables":{"password":"${PASSWORD}"`,
    );
    expect(status).toBe(400);
    expect(JSON.parse(text)).toEqual({
      errors: [{ message: 'POST body sent invalid JSON.', extensions: { code: 'BAD_REQUEST' } }],
    });
  });

  it('names a syntax error and a literal of the wrong type without the text sent', async () => {
    const syntax = await post(
      json(
        `mutation { authorize(input: { credentials: { password "${PASSWORD}" } }) { __typename } }`,
      ),
    );
    expect(syntax.text).not.toContain(PASSWORD);
    expect(JSON.parse(syntax.text).errors[0]).toMatchObject({
      message: 'Syntax Error: Expected ":", found String.',
      locations: [{ line: 1, column: 55 }],
    });
    const literal = await post(
      json(
        `mutation { authorize(input: { credentials: { institution: "F", username: "u", password: { p: "${PASSWORD}" } } }) { __typename } }`,
      ),
    );
    expect(literal.text).not.toContain(PASSWORD);
    expect(JSON.parse(literal.text).errors[0].message).toBe(
      'String cannot represent a non string value.',
    );
  });

  it('echoes no password or answer on any error path a caller can reach', async () => {
    const texts: string[] = [];
    const send = async (body: string, headers: Record<string, string> = {}) => {
      const { text } = await post(body, headers);
      texts.push(text);
      return text;
    };
    // Refused before parsing: no token, a body too large, a wrong content type.
    await send(json(AUTHORIZE, creds({ password: PASSWORD })), { authorization: '' });
    await send(json(AUTHORIZE, creds({ password: PASSWORD.repeat(10_000) })));
    await send(`password=${PASSWORD}`, { 'content-type': 'application/x-www-form-urlencoded' });
    await send(`{"query": {"q": "${PASSWORD}"}}`);
    await send(`{"query": "{ __typename }", "variables": "${PASSWORD}"}`);
    await send(`{"query": "{ __typename }", "extensions": "${PASSWORD}"}`);
    await send(`{"query":"mutation { x }","variables":{"password":"${PASSWORD}"`);
    await send(
      json(
        `mutation { authorize(input: { credentials: { password "${PASSWORD}" } }) { __typename } }`,
      ),
    );
    await send(
      json(AUTHORIZE, {
        input: {
          cached: { loginId: 'x' },
          credentials: creds({ password: PASSWORD }).input.credentials,
        },
      }),
    );
    await send(json(AUTHORIZE, creds({ password: { p: PASSWORD } })));
    await send(
      json(ANSWER_MFA, {
        input: { requestId: 'x', responses: [{ prompt: 'q', answers: [{ a: ANSWER }] }] },
      }),
    );
    // Refused by the gateway's own checks or by Flinks.
    await send(json(AUTHORIZE, creds({ password: `${PASSWORD}${'x'.repeat(300)}` })));
    await send(json(AUTHORIZE, creds({ password: PASSWORD, username: ' ' })));
    await send(json(AUTHORIZE, credentials('Greatday', { password: PASSWORD })));
    await send(json(AUTHORIZE, credentials('test_server_error', { password: PASSWORD })));
    await send(json(ANSWER_MFA, answer('5e115eac-1209-4f19-641c-08d6d484e2fe', { q: [ANSWER] })));
    const step = JSON.parse(await send(json(AUTHORIZE, credentials('Greatday')))).data.authorize;
    await send(
      json(ANSWER_MFA, answer(step.requestId, { 'what city were you born in?': [ANSWER] })),
    );
    await send(
      json(ANSWER_MFA, answer(step.requestId, { 'What city were you born in?': [ANSWER] })),
    );
    await send(
      json(ANSWER_MFA, answer(step.requestId, { 'What city were you born in?': ['x', ANSWER] })),
    );

    expect(texts.length).toBe(20);
    for (const text of texts) {
      expect(text).not.toContain(PASSWORD);
      expect(text).not.toContain(ANSWER);
      expect(text).not.toContain('originalError');
      expect(text).not.toMatch(/\bat \w+ \(|node_modules|\.ts:\d/);
    }
  });
});
