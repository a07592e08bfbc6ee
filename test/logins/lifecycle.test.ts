import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { simulatorLoginId } from '../../src/simulator/index.ts';
import { AUTHORIZE, credentials } from '../support/gateway.ts';
import { type HttpGateway, startHttpGateway } from '../support/http-gateway.ts';
import { startPostgres, type TestPostgres } from '../support/postgres.ts';

const LOGINS = /* GraphQL */ `
  query Logins {
    logins { loginId institution username lastRefresh connectedAt lastUsedAt }
  }
`;
const DELETE_LOGIN = /* GraphQL */ `
  mutation DeleteLogin($input: DeleteLoginInput!) {
    deleteLogin(input: $input) {
      __typename
      ... on LoginDeleted { loginId }
      ... on Error { code message flinksCode retryable }
      ... on SessionBusyError { retryAfterSeconds }
      ... on RateLimitedError { retryAfterSeconds }
    }
  }
`;
const SESSION = /* GraphQL */ `
  query ($id: ID!) {
    session(requestId: $id) {
      __typename
      ... on Session { accountsSummary { __typename } }
    }
  }
`;
const CARD_IN_USE_MS = 60_000;

let postgres: TestPostgres;
beforeAll(async () => {
  postgres = await startPostgres();
}, 90_000);
afterAll(async () => {
  await postgres?.close();
}, 60_000);

const stores: [string, () => Promise<Record<string, string>>][] = [
  ['the memory store', async () => ({})],
  [
    'PostgreSQL',
    async () => ({ DATABASE_URL: await postgres.createDatabase(`logins_${Date.now()}`) }),
  ],
];

describe.each(stores)('the LoginId lifecycle over HTTP, on %s', (_name, envOf) => {
  let gw: HttpGateway;
  // The simulator's clock: CARD_IN_USE lasts CARD_IN_USE_MS after an authorization.
  let now = Date.now();

  beforeAll(async () => {
    gw = await startHttpGateway(await envOf(), { now: () => now, cardInUseMs: CARD_IN_USE_MS });
  }, 60_000);
  afterAll(async () => {
    await gw?.close();
  });

  const deleteCalls = () => gw.running.simulator.countCalls('DeleteCard');
  const authorizeCalls = () => gw.running.simulator.countCalls('Authorize');
  const logins = async (as: string) => (await gw.graphql(LOGINS, {}, as)).body.data.logins;
  const deleteLogin = async (loginId: string, as: string) =>
    (await gw.graphql(DELETE_LOGIN, { input: { loginId } }, as)).body.data.deleteLogin;
  const authorize = async (input: Record<string, unknown>, as: string) =>
    (await gw.graphql(AUTHORIZE, { input }, as)).body.data.authorize;

  const live = simulatorLoginId('greatday_nomfa');
  const cached = simulatorLoginId('Greatday');
  const questionNotFound = simulatorLoginId('test_question_not_found');
  let cachedRequestId: string;

  it('lists a live login and cached claims for their owner only, most recently used first', async () => {
    const started = Date.now();
    const first = await authorize(credentials('greatday_nomfa').input, 'alice');
    expect(first).toMatchObject({ __typename: 'AuthorizeSuccess', login: { id: live } });
    const second = await authorize({ cached: { loginId: cached } }, 'alice');
    expect(second.__typename).toBe('AuthorizeSuccess');
    cachedRequestId = second.requestId;
    expect(await authorize({ cached: { loginId: questionNotFound } }, 'alice')).toMatchObject({
      flinksCode: 'QUESTION_NOT_FOUND',
    });

    const listed = await logins('alice');
    expect(listed.map((login: { loginId: string }) => login.loginId)).toEqual([
      questionNotFound,
      cached,
      live,
    ]);
    expect(listed[1]).toMatchObject({
      institution: 'FlinksCapital',
      username: 'Greatday',
      lastRefresh: expect.stringMatching(/Z$/),
    });
    // Flinks named no institution with QUESTION_NOT_FOUND.
    expect(listed[0]).toMatchObject({ institution: 'UNKNOWN', username: null, lastRefresh: null });
    for (const login of listed) {
      expect(Date.parse(login.connectedAt)).toBeGreaterThanOrEqual(started - 1_000);
      expect(login.lastUsedAt >= login.connectedAt).toBe(true);
    }
    expect(await logins('bob')).toEqual([]);
  });

  it('refuses another principal’s LoginId and an unknown one alike, without calling Flinks', async () => {
    const before = deleteCalls();
    const unknown = await deleteLogin(randomUUID(), 'bob');
    expect(unknown).toEqual({
      __typename: 'LoginNotFoundError',
      code: 'LOGIN_NOT_FOUND',
      message: 'You have no bank connection with this loginId.',
      flinksCode: null,
      retryable: false,
    });
    expect(await deleteLogin(cached, 'bob')).toEqual(unknown);
    expect(await deleteLogin(cached.toUpperCase(), 'bob')).toEqual(unknown);
    expect(deleteCalls()).toBe(before);
    expect(await logins('alice')).toHaveLength(3);
  });

  it('answers CARD_IN_USE typed and retryable, then deletes: gone from logins, refused on authorize without a call', async () => {
    const before = deleteCalls();
    const busy = await deleteLogin(cached, 'alice');
    expect(busy).toEqual({
      __typename: 'SessionBusyError',
      code: 'SESSION_BUSY',
      message: 'Your bank is still processing this connection. Try again in a few seconds.',
      flinksCode: 'CARD_IN_USE',
      retryable: true,
      retryAfterSeconds: 5,
    });
    expect(deleteCalls()).toBe(before + 1);
    expect((await logins('alice')).map((login: { loginId: string }) => login.loginId)).toContain(
      cached,
    );

    now += CARD_IN_USE_MS;
    expect(await deleteLogin(cached, 'alice')).toEqual({
      __typename: 'LoginDeleted',
      loginId: cached,
    });
    expect(deleteCalls()).toBe(before + 2);
    expect((await logins('alice')).map((login: { loginId: string }) => login.loginId)).toEqual([
      questionNotFound,
      live,
    ]);
    // The caller's session on it is forgotten too.
    const session = await gw.graphql(SESSION, { id: cachedRequestId }, 'alice');
    expect(session.body.data.session.__typename).toBe('SessionExpiredError');

    // Deleting again is no error, and costs no call; another principal still learns nothing.
    expect(await deleteLogin(cached.toUpperCase(), 'alice')).toEqual({
      __typename: 'LoginDeleted',
      loginId: cached.toUpperCase(),
    });
    expect((await deleteLogin(cached, 'bob')).__typename).toBe('LoginNotFoundError');
    expect(deleteCalls()).toBe(before + 2);

    const authorizes = authorizeCalls();
    const unknown = await authorize({ cached: { loginId: randomUUID() } }, 'alice');
    expect(unknown).toMatchObject({ __typename: 'InvalidCredentialsError' });
    const refusals = authorizeCalls();
    expect(refusals).toBe(authorizes + 1);
    for (const as of ['alice', 'bob']) {
      expect(await authorize({ cached: { loginId: cached } }, as)).toEqual(unknown);
      expect(await authorize({ refresh: { loginId: cached } }, as)).toEqual(unknown);
    }
    expect(authorizeCalls()).toBe(refusals);
  });

  it('sends two deletions of one LoginId sent at once to Flinks once', async () => {
    now += CARD_IN_USE_MS;
    const before = deleteCalls();
    const results = await Promise.all([deleteLogin(live, 'alice'), deleteLogin(live, 'alice')]);
    expect(deleteCalls()).toBe(before + 1);
    const names = results.map((result) => result.__typename).sort();
    // Both deleted (the second found the tombstone), or the second met the first at Flinks.
    expect([
      ['LoginDeleted', 'LoginDeleted'],
      ['LoginDeleted', 'SessionBusyError'],
    ]).toContainEqual(names);
    const busy = results.find((result) => result.__typename === 'SessionBusyError');
    if (busy) expect(busy).toMatchObject({ flinksCode: null, retryable: true });
    expect(await deleteLogin(live, 'alice')).toEqual({ __typename: 'LoginDeleted', loginId: live });
    expect(deleteCalls()).toBe(before + 1);
    expect((await logins('alice')).map((login: { loginId: string }) => login.loginId)).toEqual([
      questionNotFound,
    ]);
  });

  it('never logs a LoginId above debug', () => {
    const loud = gw.logs.filter((line) => (JSON.parse(line) as { level: number }).level > 20);
    for (const loginId of [live, cached, questionNotFound]) {
      expect(loud.filter((line) => line.toLowerCase().includes(loginId))).toEqual([]);
    }
    expect(gw.logs.length).toBeGreaterThan(0);
  });
});

describe('deleteLogin and the rate limit', () => {
  let gw: HttpGateway;
  beforeAll(async () => {
    gw = await startHttpGateway({ RATE_LIMIT_PER_MINUTE: '2' });
  });
  afterAll(async () => {
    await gw?.close();
  });

  it('takes one call of the principal’s allowance, as the other mutations do', async () => {
    const loginId = randomUUID();
    const answers = [];
    for (let i = 0; i < 3; i += 1) {
      answers.push((await gw.graphql(DELETE_LOGIN, { input: { loginId } }, 'carol')).body.data);
    }
    expect(answers.map((data) => data.deleteLogin.__typename)).toEqual([
      'LoginNotFoundError',
      'LoginNotFoundError',
      'RateLimitedError',
    ]);
    expect(answers[2].deleteLogin.retryAfterSeconds).toBeGreaterThan(0);
    expect(gw.running.simulator.countCalls('DeleteCard')).toBe(0);
  });

  it('refuses input that is not a LoginId before anything else', async () => {
    const { body } = await gw.graphql(DELETE_LOGIN, { input: { loginId: 'nope' } }, 'dora');
    expect(body.data.deleteLogin).toMatchObject({ __typename: 'InvalidInputError' });
  });
});
