import { describe, expect, it } from 'vitest';
import { SIMULATOR_LOGIN_IDS, SIMULATOR_SECRET_KEY } from '../../src/simulator/index.ts';
import { ANSWER_MFA, AUTHORIZE, answer, credentials, useTestGateway } from '../support/gateway.ts';

const gw = useTestGateway();

function seededLoginId(matches: (login: (typeof SIMULATOR_LOGIN_IDS)[number]) => boolean): string {
  const entry = SIMULATOR_LOGIN_IDS.find(matches);
  if (!entry) throw new Error('no such seeded LoginId');
  return entry.loginId;
}
const loginIdOf = (username: string) =>
  seededLoginId((login) => login.username.toLowerCase() === username.toLowerCase());

async function authorize(variables: Record<string, unknown>) {
  const { status, body } = await gw.graphql(AUTHORIZE, variables);
  expect(status).toBe(200);
  expect(body.errors).toBeUndefined();
  return body.data.authorize;
}

async function answerMfa(requestId: string, responses: Record<string, string[]>) {
  const { status, body } = await gw.graphql(ANSWER_MFA, answer(requestId, responses));
  expect(status).toBe(200);
  expect(body.errors).toBeUndefined();
  return body.data.answerMfa;
}

const lastAuthorizeBody = () =>
  gw.simulator.calls.filter((call) => call.endpoint === 'Authorize').at(-1)?.body as Record<
    string,
    unknown
  >;

describe('cached mode', () => {
  it('opens a session for a known LoginId and returns LastRefresh as a UTC instant', async () => {
    const loginId = loginIdOf('Greatday');
    const result = await authorize({ input: { cached: { loginId } } });
    expect(result).toMatchObject({
      __typename: 'AuthorizeSuccess',
      institution: 'FlinksCapital',
      login: { id: loginId, username: 'Greatday' },
    });
    expect(result.requestId).toMatch(/^[0-9a-f-]{36}$/i);
    expect(result.login.lastRefresh).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
    expect(lastAuthorizeBody()).toEqual({ LoginId: loginId, MostRecentCached: true });
  });

  it('answers InvalidCredentialsError for a LoginId Flinks does not know', async () => {
    const result = await authorize({
      input: { cached: { loginId: '00000000-0000-0000-0000-000000000000' } },
    });
    expect(result).toMatchObject({
      __typename: 'InvalidCredentialsError',
      flinksCode: 'INVALID_LOGIN',
      code: 'INVALID_CREDENTIALS',
      retryable: false,
    });
  });

  it('keeps the usable RequestId of a cached QUESTION_NOT_FOUND', async () => {
    const result = await authorize({
      input: {
        cached: { loginId: seededLoginId((login) => /QUESTION_NOT_FOUND/.test(login.triggers)) },
      },
    });
    expect(result).toMatchObject({
      __typename: 'MfaAnswerRejectedError',
      flinksCode: 'QUESTION_NOT_FOUND',
    });
    expect(result.sessionRequestId).toMatch(/^[0-9a-f-]{36}$/i);
  });
});

describe('live mode with credentials', () => {
  it('parses an offset-free LastRefresh as UTC, not local time', async () => {
    const result = await authorize(credentials('greatday_nomfa'));
    expect(result.__typename).toBe('AuthorizeSuccess');
    const sent = gw.simulator.calls.filter((c) => c.endpoint === 'Authorize').at(-1);
    expect(sent?.status).toBe(200);
    const instant = new Date(result.login.lastRefresh).getTime();
    expect(Math.abs(instant - Date.now())).toBeLessThan(60_000);
  });

  it('walks Greatday through two question rounds to a session, with a fresh token per call', async () => {
    const first = await authorize(credentials('Greatday', { tag: 'walkthrough' }));
    expect(first).toMatchObject({
      __typename: 'MfaRequired',
      challenges: [
        {
          type: 'QUESTION_AND_ANSWER',
          rawType: 'QuestionAndAnswer',
          prompt: 'What city were you born in?',
          iterables: [],
          responseKey: 'PROMPT',
          images: [],
        },
      ],
    });
    expect(new Date(first.expiresAt).getTime()).toBeGreaterThan(Date.now() + 7 * 60_000);

    const second = await answerMfa(first.requestId, {
      'What city were you born in?': ['Montreal'],
    });
    expect(second).toMatchObject({
      __typename: 'MfaRequired',
      requestId: first.requestId,
      challenges: [{ prompt: 'What shape do people like most?' }],
    });
    expect(lastAuthorizeBody()).toEqual({
      RequestId: first.requestId,
      SecurityResponses: { 'What city were you born in?': ['Montreal'] },
    });

    const done = await answerMfa(first.requestId, {
      'What shape do people like most?': ['Triangle'],
    });
    expect(done).toMatchObject({ __typename: 'AuthorizeSuccess', login: { username: 'Greatday' } });

    const authorizeCalls = gw.simulator.calls.filter((c) => c.endpoint === 'Authorize').slice(-3);
    const tokens = authorizeCalls.map((c) => c.authKey);
    expect(new Set(tokens).size).toBe(3);
    expect(tokens).not.toContain(SIMULATOR_SECRET_KEY);
    // Each came from the simulator's token endpoint (it refuses any other), prefetched or not.
    expect(authorizeCalls.every((c) => c.status !== 401)).toBe(true);
  });

  it('sends the live options Flinks expects and echoes the tag', async () => {
    const result = await authorize(
      credentials('greatday_nomfa', { save: true, tag: 'app-42', language: 'FR' }),
    );
    expect(result).toMatchObject({ __typename: 'AuthorizeSuccess', tag: 'app-42' });
    expect(lastAuthorizeBody()).toEqual({
      Institution: 'FlinksCapital',
      Username: 'greatday_nomfa',
      Password: 'Everyday',
      MostRecentCached: false,
      Save: true,
      Tag: 'app-42',
      Language: 'fr',
    });
  });

  it('keys French prompts byte for byte', async () => {
    const first = await authorize(credentials('Greatday', { language: 'FR' }));
    const prompt: string = first.challenges[0].prompt;
    expect(prompt).toMatch(/[éèà]/);
    const second = await answerMfa(first.requestId, { [prompt]: ['Montreal'] });
    expect(second.__typename).toBe('MfaRequired');
    expect(Object.keys((lastAuthorizeBody().SecurityResponses as object) ?? {})).toEqual([prompt]);
  });
});

describe('refresh by LoginId', () => {
  it('raises the trusted-device step of the login and completes it', async () => {
    const loginId = loginIdOf('mfa_trusted_device');
    const first = await authorize({ input: { refresh: { loginId, save: true } } });
    expect(first).toMatchObject({
      __typename: 'MfaRequired',
      challenges: [{ type: 'WAIT_UNTIL_EU_ACCEPT', rawType: 'WaitUntilEUAccept' }],
    });
    expect(lastAuthorizeBody()).toEqual({ LoginId: loginId, MostRecentCached: false, Save: true });
    const done = await answerMfa(first.requestId, { [first.challenges[0].prompt]: ['VERIFIED'] });
    expect(done).toMatchObject({ __typename: 'AuthorizeSuccess', login: { id: loginId } });
  });
});
