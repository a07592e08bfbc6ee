import { describe, expect, it } from 'vitest';
import { AUTHORIZE, credentials, useTestGateway } from '../support/gateway.ts';

const gw = useTestGateway();

async function authorize(variables: Record<string, unknown>) {
  const { status, body } = await gw.graphql(AUTHORIZE, variables);
  expect(status).toBe(200);
  return body;
}

describe('every Flinks outcome of /Authorize is a typed member of AuthorizeResult', () => {
  it.each([
    ['nobody_at_all', 'InvalidCredentialsError', 'INVALID_USERNAME', false],
    ['test_invalid_login', 'InvalidCredentialsError', 'INVALID_LOGIN', false],
    ['test_access_denied', 'InvalidCredentialsError', 'ACCESS_DENIED', false],
    ['test_disabled_account', 'LoginActionRequiredError', 'DISABLED_LOGIN', false],
    ['test_new_account', 'LoginActionRequiredError', 'NEW_ACCOUNT', false],
    ['test_concurrent_session', 'SessionBusyError', 'CONCURRENT_SESSION', true],
    ['test_card_in_use', 'SessionBusyError', 'CARD_IN_USE', true],
    ['test_already_authorized', 'SessionBusyError', 'ALREADY_AUTHORIZED', true],
    ['test_service_unavailable', 'InstitutionUnavailableError', 'RETRY_LATER', true],
    ['test_aggregation_error', 'InstitutionUnavailableError', 'AGGREGATION_ERROR', true],
    ['test_disabled_institution', 'InstitutionUnavailableError', 'DISABLED_INSTITUTION', true],
    ['test_too_many_requests', 'RateLimitedError', 'TOO_MANY_REQUESTS', true],
    ['test_too_many_requests_403', 'RateLimitedError', 'TOO_MANY_REQUESTS', true],
    ['test_unauthorized', 'UpstreamError', 'UNAUTHORIZED', false],
    ['test_unknown_code', 'UpstreamError', 'SOMETHING_NEW_FROM_FLINKS', false],
  ])('%s becomes %s carrying %s', async (username, typename, flinksCode, retryable) => {
    const body = await authorize(credentials(username));
    expect(body.errors).toBeUndefined();
    expect(body.data.authorize).toMatchObject({ __typename: typename, flinksCode, retryable });
    expect(body.data.authorize.message).not.toMatch(/flinks says|exception|stack/i);
  });

  it('says an unknown institution is unknown, and how to spell one', async () => {
    const body = await authorize(credentials('Greatday', { institution: 'Flinks Capital Bank' }));
    expect(body.data.authorize).toMatchObject({
      __typename: 'InvalidCredentialsError',
      flinksCode: 'INVALID_REQUEST',
      message:
        'Flinks does not know this institution. Check its name, spelled as Flinks lists it (FlinksCapital on the toolbox and the embedded simulator).',
    });
  });

  it.each([
    [
      'test_disabled_account',
      'Your bank has disabled this login. Contact your bank to enable it, then try again.',
    ],
    [
      'test_new_account',
      'Your bank needs you to finish a step in its online banking first. Log in there, then try again.',
    ],
  ])('%s answers a message an end user can act on', async (username, message) => {
    const body = await authorize(credentials(username));
    expect(body.data.authorize.message).toBe(message);
    expect(body.data.authorize.message).not.toMatch(/\bthe user\b|institution/i);
  });

  it('reads a wrong password as InvalidCredentialsError', async () => {
    const body = await authorize(credentials('Greatday', { password: 'not-it' }));
    expect(body.data.authorize).toMatchObject({
      __typename: 'InvalidCredentialsError',
      flinksCode: 'INVALID_PASSWORD',
    });
  });

  it('carries the Retry-After of a 429 TOO_MANY_REQUESTS', async () => {
    const body = await authorize(credentials('test_too_many_requests_429'));
    expect(body.data.authorize).toMatchObject({
      __typename: 'RateLimitedError',
      flinksCode: 'TOO_MANY_REQUESTS',
      retryAfterSeconds: 30,
    });
  });

  it('reads an HTML 502 page as InstitutionUnavailableError', async () => {
    const body = await authorize(credentials('test_server_error'));
    expect(body.data.authorize).toMatchObject({
      __typename: 'InstitutionUnavailableError',
      flinksCode: null,
      retryable: true,
    });
  });
});

describe('input refused before any upstream call', () => {
  it.each([
    [
      'an empty password',
      credentials('Greatday', { password: '' }),
      ['input', 'credentials', 'password'],
    ],
    ['a blank username', credentials('   '), ['input', 'credentials', 'username']],
    ['an oversized username', credentials('x'.repeat(300)), ['input', 'credentials', 'username']],
    [
      'a LoginId that is not a GUID',
      { input: { cached: { loginId: 'abc' } } },
      ['input', 'cached', 'loginId'],
    ],
    [
      'a tag with control characters',
      { input: { refresh: { loginId: '5e115eac-1209-4f19-641c-08d6d484e2fe', tag: 'a\u0000b' } } },
      ['input', 'refresh', 'tag'],
    ],
  ])('%s', async (_name, variables, path) => {
    const before = gw.authorizeCalls();
    const body = await authorize(variables);
    expect(body.data.authorize).toMatchObject({
      __typename: 'InvalidInputError',
      code: 'INVALID_INPUT',
      flinksCode: null,
      issues: [{ path }],
    });
    expect(gw.authorizeCalls()).toBe(before);
  });

  it('refuses an answerMfa with no responses or a requestId that is not a GUID', async () => {
    const before = gw.authorizeCalls();
    const { body } = await gw.graphql(
      `mutation { a: answerMfa(input: { requestId: "5e115eac-1209-4f19-641c-08d6d484e2fe", responses: [] }) { __typename ... on InvalidInputError { issues { path } } }
                  b: answerMfa(input: { requestId: "nope", responses: [{ prompt: "q", answers: ["a"] }] }) { __typename ... on InvalidInputError { issues { path } } } }`,
    );
    expect(body.data).toEqual({
      a: { __typename: 'InvalidInputError', issues: [{ path: ['input', 'responses'] }] },
      b: { __typename: 'InvalidInputError', issues: [{ path: ['input', 'requestId'] }] },
    });
    expect(gw.authorizeCalls()).toBe(before);
  });

  it('lets GraphQL refuse two members of the @oneOf input', async () => {
    const { body } = await gw.graphql(
      `mutation { authorize(input: { cached: { loginId: "5e115eac-1209-4f19-641c-08d6d484e2fe" }, refresh: { loginId: "5e115eac-1209-4f19-641c-08d6d484e2fe" } }) { __typename } }`,
    );
    expect(body.data).toBeUndefined();
    expect(body.errors[0].message).toMatch(/exactly one key/);
  });
});

describe('a broken upstream is masked and logged', () => {
  it('masks a body that breaks the contract and logs what broke', async () => {
    const body = await authorize(credentials('test_broken_contract'));
    expect(body).toEqual({
      data: null,
      errors: [
        {
          message: 'Unexpected error.',
          locations: expect.any(Array),
          path: ['authorize'],
          extensions: { code: 'INTERNAL_SERVER_ERROR' },
        },
      ],
    });
    const line = gw.logs.find((l) => l.includes('does not match its contract'));
    expect(line).toBeDefined();
    expect(JSON.parse(line as string).detail).toEqual(
      expect.arrayContaining([expect.objectContaining({ path: 'RequestId' })]),
    );
  });

  it('retries once with a fresh token when Flinks refuses one, and succeeds', async () => {
    const before = gw.authorizeCalls();
    const body = await authorize(credentials('test_token_refused_once'));
    expect(body.data.authorize.__typename).toBe('AuthorizeSuccess');
    const [refused, accepted] = gw.simulator.calls
      .filter((c) => c.endpoint === 'Authorize')
      .slice(before);
    expect([refused?.status, accepted?.status]).toEqual([401, 200]);
    expect(refused?.authKey).not.toBe(accepted?.authKey);
  });

  it('fails masked when Flinks refuses two fresh tokens in a row', async () => {
    const before = gw.authorizeCalls();
    const body = await authorize(credentials('test_token_refused_always'));
    expect(body.errors[0]).toMatchObject({
      message: 'Unexpected error.',
      extensions: { code: 'INTERNAL_SERVER_ERROR' },
    });
    expect(gw.authorizeCalls() - before).toBe(2);
    expect(gw.logs.some((l) => l.includes('refused two fresh authorize tokens'))).toBe(true);
  });
});
