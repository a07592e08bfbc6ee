import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SIMULATOR_API_KEY, SIMULATOR_SECRET_KEY } from '../../src/simulator/index.ts';
import {
  CITY,
  MINUTE,
  openSession,
  START,
  seededLoginId,
  simulatorOnClock,
} from '../support/simulator-data.ts';
import { defined, type SimulatorHttp, startSimulatorHttp } from '../support/simulator-http.ts';

const UNKNOWN_REQUEST_ID = '5b0c3a4e-9d7f-4c1e-8a2b-6f3d1e0c9b8a';

const DATA_CALLS: [string, (flinks: SimulatorHttp, requestId: string) => Promise<unknown>][] = [
  ['GetAccountsSummary', (flinks, id) => flinks.data('GetAccountsSummary', { RequestId: id })],
  ['GetAccountsDetail', (flinks, id) => flinks.data('GetAccountsDetail', { RequestId: id })],
  ['GetAccountsDetailAsync', (flinks, id) => flinks.poll(id)],
  ['GetStatements', (flinks, id) => flinks.data('GetStatements', { RequestId: id })],
];

function sessionError(status: number, code: string, requestId: string) {
  return {
    HttpStatusCode: status,
    FlinksCode: code,
    Message: expect.any(String),
    RequestId: requestId,
    Institution: 'FlinksCapital',
  };
}

describe('the x-api-key of the data endpoints', () => {
  let flinks: SimulatorHttp;
  let requestId: string;

  beforeAll(async () => {
    flinks = await startSimulatorHttp();
    requestId = await openSession(flinks, 'greatday_nomfa');
  });
  afterAll(() => flinks.close());

  it.each([
    ['no x-api-key', null],
    ['a wrong x-api-key', 'c4569c54-e167-4d34-8de6-f4113bc82414'],
    ['the secret key as x-api-key', SIMULATOR_SECRET_KEY],
  ])('refuses %s with 401 UNAUTHORIZED on every data endpoint', async (_case, apiKey) => {
    const responses = await Promise.all([
      flinks.data('GetAccountsSummary', { RequestId: requestId }, apiKey),
      flinks.data('GetAccountsDetail', { RequestId: requestId }, apiKey),
      flinks.poll(requestId, apiKey),
      flinks.data('GetStatements', { RequestId: requestId }, apiKey),
    ]);
    for (const response of responses) {
      expect(response.status).toBe(401);
      expect(response.body).toEqual({
        HttpStatusCode: 401,
        FlinksCode: 'UNAUTHORIZED',
        Message: expect.any(String),
      });
    }
  });

  it('needs no flinks-auth-key, only the x-api-key', async () => {
    const response = await flinks.data('GetAccountsSummary', { RequestId: requestId });
    expect(response.status).toBe(200);
    const call = flinks.running.simulator.calls.at(-1);
    expect(call).toEqual({
      endpoint: 'GetAccountsSummary',
      method: 'POST',
      status: 200,
      authKey: undefined,
      apiKey: SIMULATOR_API_KEY,
      body: { RequestId: requestId },
    });
  });

  it('honours a custom apiKey and then refuses the default one', async () => {
    const custom = await startSimulatorHttp({ apiKey: 'custom-api-key' });
    try {
      const id = await openSession(custom, 'greatday_nomfa');
      const withCustom = await custom.data('GetAccountsSummary', { RequestId: id });
      const withDefault = await custom.data(
        'GetAccountsSummary',
        { RequestId: id },
        SIMULATOR_API_KEY,
      );
      expect(withCustom.status).toBe(200);
      expect(withDefault.status).toBe(401);
    } finally {
      await custom.close();
    }
  });
});

describe('data sessions', () => {
  const sim = simulatorOnClock();

  it.each(DATA_CALLS)(
    'answers %s for an unknown RequestId with 400 SESSION_NONEXISTENT',
    async (_endpoint, call) => {
      const response = (await call(sim.flinks, UNKNOWN_REQUEST_ID)) as {
        status: number;
        body: unknown;
      };
      expect(response.status).toBe(400);
      expect(response.body).toEqual(sessionError(400, 'SESSION_NONEXISTENT', UNKNOWN_REQUEST_ID));
    },
  );

  it.each(DATA_CALLS)(
    'answers %s for a RequestId still in MFA with 401 UNAUTHORIZED, and the MFA goes on',
    async (_endpoint, call) => {
      const challenge = await sim.flinks.logIn('Greatday');
      const requestId = defined(challenge.body.RequestId, 'RequestId');
      const response = (await call(sim.flinks, requestId)) as { status: number; body: unknown };
      expect(response.status).toBe(401);
      expect(response.body).toEqual(sessionError(401, 'UNAUTHORIZED', requestId));
      const next = await sim.flinks.answer(requestId, { [CITY]: ['Montreal'] });
      expect(next.status).toBe(203);
    },
  );

  it('serves the RequestId of a cached QUESTION_NOT_FOUND, an open session', async () => {
    const cached = await sim.flinks.authorize({
      LoginId: seededLoginId('test_question_not_found'),
      MostRecentCached: true,
    });
    expect(cached.body.FlinksCode).toBe('QUESTION_NOT_FOUND');
    const requestId = defined(cached.body.RequestId, 'RequestId');
    const summary = await sim.flinks.data('GetAccountsSummary', { RequestId: requestId });
    expect(summary.status).toBe(200);
    expect(summary.body.Login?.Username).toBe('test_question_not_found');
  });

  it('serves a session idle for exactly 30 minutes, expires it one millisecond later, then forgets it', async () => {
    const kept = await openSession(sim.flinks, 'greatday_nomfa');
    const lost = await openSession(sim.flinks, 'greatday_nomfa');
    sim.now += 30 * MINUTE;
    const justInTime = await sim.flinks.data('GetAccountsSummary', { RequestId: kept });
    sim.now += 1;
    const expired = await sim.flinks.data('GetAccountsSummary', { RequestId: lost });
    const forgotten = await sim.flinks.data('GetAccountsSummary', { RequestId: lost });
    expect(justInTime.status).toBe(200);
    expect(expired.status).toBe(400);
    expect(expired.body).toEqual(sessionError(400, 'SESSION_EXPIRED', lost));
    expect(forgotten.body).toEqual(sessionError(400, 'SESSION_NONEXISTENT', lost));
  });

  it('counts idleness from the last data call, polls included', async () => {
    const requestId = await openSession(sim.flinks, 'greatday_nomfa');
    sim.now += 29 * MINUTE;
    expect((await sim.flinks.data('GetStatements', { RequestId: requestId })).status).toBe(200);
    sim.now += 29 * MINUTE;
    expect((await sim.flinks.poll(requestId)).status).toBe(400);
    sim.now += 29 * MINUTE;
    expect((await sim.flinks.data('GetAccountsDetail', { RequestId: requestId })).status).toBe(200);
    sim.now += 30 * MINUTE + 1;
    const response = await sim.flinks.data('GetAccountsSummary', { RequestId: requestId });
    expect(response.body.FlinksCode).toBe('SESSION_EXPIRED');
  });

  it('applies a custom dataLifetimeMs, not the 8 minutes of authorization', async () => {
    let clock = START;
    const custom = await startSimulatorHttp({ now: () => clock, dataLifetimeMs: 60 * MINUTE });
    try {
      const requestId = await openSession(custom, 'greatday_nomfa');
      clock += 59 * MINUTE;
      const served = await custom.data('GetAccountsSummary', { RequestId: requestId });
      clock += 60 * MINUTE + 1;
      const expired = await custom.data('GetAccountsSummary', { RequestId: requestId });
      expect(served.status).toBe(200);
      expect(expired.body.FlinksCode).toBe('SESSION_EXPIRED');
    } finally {
      await custom.close();
    }
  });
});

describe('data request validation and routing', () => {
  let flinks: SimulatorHttp;
  let requestId: string;

  beforeAll(async () => {
    flinks = await startSimulatorHttp();
    requestId = await openSession(flinks, 'greatday_nomfa');
  });
  afterAll(() => flinks.close());

  it.each(['GetAccountsSummary', 'GetAccountsDetail', 'GetStatements'])(
    'answers %s without a RequestId with 400 INVALID_REQUEST and ValidationDetails',
    async (endpoint) => {
      const response = await flinks.data(endpoint, {});
      expect(response.status).toBe(400);
      expect(response.body).toEqual({
        HttpStatusCode: 400,
        FlinksCode: 'INVALID_REQUEST',
        Message: expect.any(String),
        ValidationDetails: { RequestId: [expect.any(String)] },
      });
    },
  );

  it.each([
    ['GetAccountsDetail', 'DaysOfTransactions', 'Days30'],
    ['GetAccountsDetail', 'WithTransactions', 'yes'],
    ['GetAccountsDetail', 'AccountsFilter', 'not-a-list'],
    ['GetStatements', 'NumberOfStatements', 'Months6'],
    ['GetStatements', 'AccountsFilter', [42]],
  ])(
    'answers %s with %s %j with 400 INVALID_REQUEST naming the field',
    async (endpoint, field, value) => {
      const response = await flinks.data(endpoint, { RequestId: requestId, [field]: value });
      expect(response.status).toBe(400);
      expect(response.body).toEqual({
        HttpStatusCode: 400,
        FlinksCode: 'INVALID_REQUEST',
        Message: expect.any(String),
        ValidationDetails: { [field]: [expect.any(String)] },
      });
    },
  );

  it('answers a body that is not JSON with 400 INVALID_REQUEST', async () => {
    const response = await flinks.data('GetAccountsSummary', '{"RequestId": ');
    expect(response.status).toBe(400);
    expect(response.body.FlinksCode).toBe('INVALID_REQUEST');
  });

  it('answers 405 to a GET on GetAccountsDetail and to a POST on GetAccountsDetailAsync', async () => {
    const get = await fetch(flinks.url('GetAccountsDetail'), {
      headers: { 'x-api-key': SIMULATOR_API_KEY },
    });
    const post = await fetch(flinks.url(`GetAccountsDetailAsync/${requestId}`), {
      method: 'POST',
      headers: { 'x-api-key': SIMULATOR_API_KEY },
    });
    expect(get.status).toBe(405);
    expect(get.headers.get('allow')).toBe('POST');
    expect(post.status).toBe(405);
    expect(post.headers.get('allow')).toBe('GET');
  });

  it('answers 404 to GetAccountsDetailAsync without a RequestId in the path', async () => {
    const response = await fetch(flinks.url('GetAccountsDetailAsync'), {
      headers: { 'x-api-key': SIMULATOR_API_KEY },
    });
    expect(response.status).toBe(404);
  });

  it('records every data call under its endpoint name', async () => {
    const { simulator } = flinks.running;
    simulator.clearCalls();
    await flinks.data('GetAccountsSummary', { RequestId: requestId });
    await flinks.data('GetAccountsDetail', { RequestId: requestId });
    await flinks.poll(requestId);
    await flinks.data('GetStatements', { RequestId: requestId });
    expect(
      simulator.calls.map(({ endpoint, method, status }) => [endpoint, method, status]),
    ).toEqual([
      ['GetAccountsSummary', 'POST', 200],
      ['GetAccountsDetail', 'POST', 200],
      ['GetAccountsDetailAsync', 'GET', 400],
      ['GetStatements', 'POST', 200],
    ]);
  });
});
