import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { SIMULATOR_SECRET_KEY } from '../../src/simulator/index.ts';
import { GUID, type SimulatorHttp, startSimulatorHttp } from '../support/simulator-http.ts';

const INVALID_TOKEN = { HttpStatusCode: 401, Message: 'You must provide a valid authorize token' };
const NO_MFA_LOGIN = {
  Institution: 'FlinksCapital',
  Username: 'greatday_nomfa',
  Password: 'Everyday',
  MostRecentCached: false,
};

describe('GenerateAuthorizeToken and the authorize token', () => {
  let flinks: SimulatorHttp;
  let now = Date.UTC(2026, 10, 24, 0, 41, 3, 169);

  beforeAll(async () => {
    flinks = await startSimulatorHttp({ now: () => now });
  });
  afterAll(() => flinks.close());

  it('issues a GUID token as JSON for the secret key', async () => {
    const response = await flinks.post('GenerateAuthorizeToken', undefined, {
      authKey: SIMULATOR_SECRET_KEY,
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(response.body).toEqual({ HttpStatusCode: 200, Token: expect.stringMatching(GUID) });
  });

  it('issues a different token on every call', async () => {
    const tokens = await Promise.all([flinks.token(), flinks.token(), flinks.token()]);
    expect(new Set(tokens).size).toBe(3);
  });

  it.each([
    ['a wrong secret key', 'c4569c54-e167-4d34-8de6-f4113bc82414'],
    ['no secret key', undefined],
  ])('refuses %s with 401 UNAUTHORIZED', async (_case, authKey) => {
    const response = await flinks.post(
      'GenerateAuthorizeToken',
      undefined,
      authKey === undefined ? {} : { authKey },
    );
    expect(response.status).toBe(401);
    expect(response.body).toEqual({
      HttpStatusCode: 401,
      FlinksCode: 'UNAUTHORIZED',
      Message: 'You must provide a valid auth key',
    });
  });

  it('accepts a token once and refuses it the second time, without a FlinksCode', async () => {
    const token = await flinks.token();
    const first = await flinks.post('Authorize', NO_MFA_LOGIN, { authKey: token });
    const second = await flinks.post('Authorize', NO_MFA_LOGIN, { authKey: token });
    expect(first.status).toBe(200);
    expect(second.status).toBe(401);
    expect(second.body).toEqual(INVALID_TOKEN);
  });

  it('accepts a token until its 30 minutes are over, then refuses it', async () => {
    const fresh = await flinks.token();
    const old = await flinks.token();
    now += 30 * 60 * 1000 - 1;
    const justInTime = await flinks.post('Authorize', NO_MFA_LOGIN, { authKey: fresh });
    now += 1;
    const tooLate = await flinks.post('Authorize', NO_MFA_LOGIN, { authKey: old });
    expect(justInTime.status).toBe(200);
    expect(tooLate.status).toBe(401);
    expect(tooLate.body).toEqual(INVALID_TOKEN);
  });

  it('refuses the secret key sent to Authorize in place of a token', async () => {
    const response = await flinks.post('Authorize', NO_MFA_LOGIN, {
      authKey: SIMULATOR_SECRET_KEY,
    });
    expect(response.status).toBe(401);
    expect(response.body).toEqual(INVALID_TOKEN);
  });

  it.each([
    ['no token', undefined],
    ['an unknown token', '00000000-0000-4000-8000-000000000000'],
  ])('refuses Authorize with %s', async (_case, authKey) => {
    const response = await flinks.post(
      'Authorize',
      NO_MFA_LOGIN,
      authKey === undefined ? {} : { authKey },
    );
    expect(response.status).toBe(401);
    expect(response.body).toEqual(INVALID_TOKEN);
  });

  it('uses up the token even when the body is rejected', async () => {
    const token = await flinks.token();
    const rejected = await flinks.post('Authorize', '{"Username": ', { authKey: token });
    const retried = await flinks.post('Authorize', NO_MFA_LOGIN, { authKey: token });
    expect(rejected.status).toBe(400);
    expect(rejected.body).toEqual({
      HttpStatusCode: 400,
      FlinksCode: 'INVALID_REQUEST',
      Message: 'The request body is not valid JSON.',
    });
    expect(retried.body).toEqual(INVALID_TOKEN);
  });

  it.each([
    ['an array', []],
    ['a string', 'Greatday'],
    ['null', null],
  ])('answers 400 INVALID_REQUEST to a JSON body that is %s', async (_case, body) => {
    const response = await flinks.authorize(JSON.stringify(body));
    expect(response.status).toBe(400);
    expect(response.body).toEqual({
      HttpStatusCode: 400,
      FlinksCode: 'INVALID_REQUEST',
      Message: 'The request body must be a JSON object.',
    });
  });
});

describe('routing', () => {
  let flinks: SimulatorHttp;

  beforeAll(async () => {
    flinks = await startSimulatorHttp();
  });
  afterAll(() => flinks.close());

  it('answers 401 UNAUTHORIZED when the path names another customer id', async () => {
    const response = await fetch(
      `${flinks.running.url}/v3/11111111-2222-4333-8444-555555555555/BankingServices/GenerateAuthorizeToken`,
      { method: 'POST', headers: { 'flinks-auth-key': SIMULATOR_SECRET_KEY } },
    );
    expect(response.status).toBe(401);
    expect(await response.json()).toEqual({
      HttpStatusCode: 401,
      FlinksCode: 'UNAUTHORIZED',
      Message: expect.any(String),
    });
  });

  it.each([
    '/v3/43387ca6-0391-4c82-857d-70d95f087ecb/BankingServices/GetNothing',
    '/v2/43387ca6-0391-4c82-857d-70d95f087ecb/BankingServices/Authorize',
    '/',
  ])('answers 404 JSON for %s', async (path) => {
    const response = await fetch(`${flinks.running.url}${path}`, { method: 'POST' });
    expect(response.status).toBe(404);
    expect(response.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(await response.json()).toEqual({ HttpStatusCode: 404, Message: expect.any(String) });
  });

  it('answers 405 to a GET on Authorize and names POST as allowed', async () => {
    const response = await fetch(flinks.url('Authorize'));
    expect(response.status).toBe(405);
    expect(response.headers.get('allow')).toBe('POST');
    expect(await response.json()).toEqual({ HttpStatusCode: 405, Message: expect.any(String) });
  });

  it('honours a custom secret key and customer id', async () => {
    const custom = await startSimulatorHttp({
      secretKey: 'custom-secret',
      customerId: '0b7a1c2d-3e4f-4a5b-8c6d-7e8f9a0b1c2d',
    });
    try {
      const login = await custom.authorize(NO_MFA_LOGIN);
      const withDefaultKey = await custom.post('GenerateAuthorizeToken', undefined, {
        authKey: SIMULATOR_SECRET_KEY,
      });
      expect(login.status).toBe(200);
      expect(withDefaultKey.status).toBe(401);
    } finally {
      await custom.close();
    }
  });
});

describe('call recording', () => {
  let flinks: SimulatorHttp;

  beforeAll(async () => {
    flinks = await startSimulatorHttp();
  });
  beforeEach(() => flinks.running.simulator.clearCalls());
  afterAll(() => flinks.close());

  it('records every answered request in order with its status, auth key and body', async () => {
    const token = await flinks.token();
    await flinks.post('Authorize', NO_MFA_LOGIN, { authKey: token });
    await flinks.post('Authorize', 'not json', { authKey: 'stale' });
    await fetch(flinks.url('Nowhere'), { method: 'POST' });

    expect(flinks.running.simulator.calls).toEqual([
      {
        endpoint: 'GenerateAuthorizeToken',
        method: 'POST',
        status: 200,
        authKey: SIMULATOR_SECRET_KEY,
        body: undefined,
      },
      { endpoint: 'Authorize', method: 'POST', status: 200, authKey: token, body: NO_MFA_LOGIN },
      { endpoint: 'Authorize', method: 'POST', status: 401, authKey: 'stale', body: 'not json' },
      { endpoint: 'Nowhere', method: 'POST', status: 404, authKey: undefined, body: undefined },
    ]);
  });

  it('counts calls per endpoint and forgets them when cleared', async () => {
    await flinks.authorize(NO_MFA_LOGIN);
    await flinks.authorize(NO_MFA_LOGIN);
    const { simulator } = flinks.running;
    expect(simulator.countCalls()).toBe(4);
    expect(simulator.countCalls('GenerateAuthorizeToken')).toBe(2);
    expect(simulator.countCalls('Authorize')).toBe(2);
    simulator.clearCalls();
    expect(simulator.countCalls()).toBe(0);
    expect(simulator.calls).toEqual([]);
  });
});
