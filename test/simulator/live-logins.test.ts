import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SIMULATOR_USERS } from '../../src/simulator/index.ts';
import { GUID, type SimulatorHttp, startSimulatorHttp } from '../support/simulator-http.ts';

const INVALID_TOKEN = { HttpStatusCode: 401, Message: 'You must provide a valid authorize token' };

const ERROR_USERS: ReadonlyArray<[string, number, string]> = [
  ['test_disabled_account', 401, 'DISABLED_LOGIN'],
  ['test_service_unavailable', 401, 'RETRY_LATER'],
  ['test_invalid_login', 401, 'INVALID_LOGIN'],
  ['test_access_denied', 401, 'ACCESS_DENIED'],
  ['test_new_account', 401, 'NEW_ACCOUNT'],
  ['test_concurrent_session', 400, 'CONCURRENT_SESSION'],
  ['test_card_in_use', 400, 'CARD_IN_USE'],
  ['test_already_authorized', 400, 'ALREADY_AUTHORIZED'],
  ['test_aggregation_error', 500, 'AGGREGATION_ERROR'],
  ['test_disabled_institution', 405, 'DISABLED_INSTITUTION'],
  ['test_too_many_requests', 401, 'TOO_MANY_REQUESTS'],
  ['test_too_many_requests_403', 403, 'TOO_MANY_REQUESTS'],
  ['test_too_many_requests_429', 429, 'TOO_MANY_REQUESTS'],
  ['test_unauthorized', 401, 'UNAUTHORIZED'],
  ['test_unknown_code', 400, 'SOMETHING_NEW_FROM_FLINKS'],
];

describe('live logins with credentials', () => {
  let flinks: SimulatorHttp;

  beforeAll(async () => {
    flinks = await startSimulatorHttp();
  });
  afterAll(() => flinks.close());

  it('documents every user with the shared password', () => {
    const names = SIMULATOR_USERS.map((user) => user.username);
    expect(new Set(names).size).toBe(names.length);
    for (const [username] of ERROR_USERS) expect(names).toContain(username);
    for (const user of SIMULATOR_USERS) {
      expect(user.password).toBe('Everyday');
      expect(user.triggers).not.toBe('');
    }
  });

  it('opens greatday_nomfa at once', async () => {
    const response = await flinks.logIn('greatday_nomfa');
    expect(response.status).toBe(200);
    expect(response.body.Login?.Username).toBe('greatday_nomfa');
    expect(response.body.RequestId).toMatch(GUID);
  });

  it.each(ERROR_USERS)('answers %s with %i %s', async (username, status, code) => {
    const response = await flinks.logIn(username);
    expect(response.status).toBe(status);
    expect(response.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(response.body).toEqual({
      HttpStatusCode: status,
      FlinksCode: code,
      Message: expect.any(String),
      RequestId: expect.stringMatching(GUID),
      Institution: 'FlinksCapital',
    });
  });

  it('sends Retry-After: 30 with the 429', async () => {
    const response = await flinks.logIn('test_too_many_requests_429');
    expect(response.headers.get('retry-after')).toBe('30');
  });

  it('answers 401 INVALID_USERNAME to a username it does not know', async () => {
    const response = await flinks.logIn('Badday');
    expect(response.status).toBe(401);
    expect(response.body.FlinksCode).toBe('INVALID_USERNAME');
  });

  it('answers 401 INVALID_PASSWORD to a wrong password', async () => {
    const response = await flinks.logIn('Greatday', { Password: 'Someday' });
    expect(response.status).toBe(401);
    expect(response.body.FlinksCode).toBe('INVALID_PASSWORD');
  });

  it('names every missing credential field in ValidationDetails', async () => {
    const response = await flinks.authorize({ Username: 'Greatday', MostRecentCached: false });
    expect(response.status).toBe(400);
    expect(response.body).toEqual({
      HttpStatusCode: 400,
      FlinksCode: 'INVALID_REQUEST',
      Message: expect.any(String),
      ValidationDetails: {
        Password: ['Password is required'],
        Institution: ['Institution is required'],
      },
    });
  });

  it('answers 400 INVALID_REQUEST for an institution other than FlinksCapital', async () => {
    const response = await flinks.logIn('Greatday', { Institution: 'RBC' });
    expect(response.status).toBe(400);
    expect(response.body.FlinksCode).toBe('INVALID_REQUEST');
  });

  it('answers test_server_error with a 502 HTML page', async () => {
    const response = await flinks.logIn('test_server_error');
    expect(response.status).toBe(502);
    expect(response.headers.get('content-type')).toMatch(/^text\/html/);
    expect(response.text).toMatch(/^<html>[\s\S]*Bad Gateway[\s\S]*<\/html>\s*$/);
  });

  it('answers test_broken_contract with a 200 that has no Login and no RequestId', async () => {
    const response = await flinks.logIn('test_broken_contract');
    expect(response.status).toBe(200);
    expect(response.body).toEqual({
      Links: expect.any(Array),
      HttpStatusCode: 200,
      Institution: 'FlinksCapital',
    });
  });

  it('refuses the token of test_token_refused_once the first time only', async () => {
    const own = await startSimulatorHttp();
    try {
      const first = await own.logIn('test_token_refused_once');
      const second = await own.logIn('test_token_refused_once');
      expect(first.status).toBe(401);
      expect(first.body).toEqual(INVALID_TOKEN);
      expect(second.status).toBe(200);
    } finally {
      await own.close();
    }
  });

  it('always refuses the token of test_token_refused_always', async () => {
    const responses = [
      await flinks.logIn('test_token_refused_always'),
      await flinks.logIn('test_token_refused_always'),
    ];
    for (const response of responses) {
      expect(response.status).toBe(401);
      expect(response.body).toEqual(INVALID_TOKEN);
    }
  });
});

describe('test_slow', () => {
  it('answers 200 after three seconds', async () => {
    const flinks = await startSimulatorHttp();
    try {
      const started = performance.now();
      const response = await flinks.logIn('test_slow');
      expect(response.status).toBe(200);
      expect(performance.now() - started).toBeGreaterThanOrEqual(2900);
    } finally {
      await flinks.close();
    }
  });

  it('gives up the wait when the client aborts, and records no answer', async () => {
    const flinks = await startSimulatorHttp();
    try {
      const body = { Institution: 'FlinksCapital', Username: 'test_slow', Password: 'Everyday' };
      await expect(flinks.authorize(body, AbortSignal.timeout(100))).rejects.toThrow();
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(flinks.running.simulator.countCalls('Authorize')).toBe(0);
    } finally {
      await flinks.close();
    }
  });

  it('lets close() end promptly while a slow answer is pending', async () => {
    const flinks = await startSimulatorHttp();
    const pending = flinks.logIn('test_slow').catch((error: unknown) => error);
    await new Promise((resolve) => setTimeout(resolve, 50));
    const outcome = await Promise.race([
      flinks.close().then(() => 'closed'),
      new Promise((resolve) => setTimeout(resolve, 2000, 'still waiting')),
    ]);
    expect(outcome).toBe('closed');
    expect(await pending).toBeInstanceOf(Error);
  });
});
