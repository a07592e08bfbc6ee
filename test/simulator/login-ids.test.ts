import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SIMULATOR_LOGIN_IDS, simulatorLoginId } from '../../src/simulator/index.ts';
import {
  defined,
  GUID,
  type SimulatorHttp,
  startSimulatorHttp,
} from '../support/simulator-http.ts';

const LAST_REFRESH = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{7}$/;
const CITY = 'What city were you born in?';

function seeded(username: string): string {
  return defined(
    SIMULATOR_LOGIN_IDS.find((login) => login.username === username)?.loginId,
    `seeded LoginId of ${username}`,
  );
}

describe('LoginIds', () => {
  let flinks: SimulatorHttp;

  beforeAll(async () => {
    flinks = await startSimulatorHttp();
  });
  afterAll(() => flinks.close());

  const cached = (loginId: string) =>
    flinks.authorize({ LoginId: loginId, MostRecentCached: true });
  const refresh = (loginId: string, extra = {}) =>
    flinks.authorize({ LoginId: loginId, MostRecentCached: false, Save: true, ...extra });

  it('seeds five GUID-shaped LoginIds besides those of the fault users', () => {
    const faultUsers = SIMULATOR_LOGIN_IDS.filter((login) => login.username.startsWith('fault_'));
    expect(SIMULATOR_LOGIN_IDS).toHaveLength(5 + faultUsers.length);
    for (const login of SIMULATOR_LOGIN_IDS) expect(login.loginId).toMatch(GUID);
  });

  it("opens Greatday's cached data with a fixed LastRefresh in the past", async () => {
    const loginId = seeded('Greatday');
    const response = await cached(loginId);
    expect(response.status).toBe(200);
    expect(response.body).toEqual({
      Links: [
        { rel: 'AccountsDetail', href: '/GetAccountsDetail', example: null },
        { rel: 'AccountsSummary', href: '/GetAccountsSummary', example: null },
        { rel: 'Statements', href: '/GetStatements', example: null },
      ],
      HttpStatusCode: 200,
      Login: {
        Username: 'Greatday',
        IsScheduledRefresh: false,
        LastRefresh: '2020-04-15T22:46:03.1690585',
        Type: 'Personal',
        Id: loginId,
      },
      InstitutionName: 'FlinksCapital',
      InstitutionId: 14,
      Institution: 'FlinksCapital',
      RequestId: expect.stringMatching(GUID),
    });
  });

  it('takes MostRecentCached as the string "true", as one Flinks page writes it', async () => {
    const response = await flinks.authorize({
      LoginId: seeded('Greatday'),
      MostRecentCached: 'true',
    });
    expect(response.status).toBe(200);
  });

  it("refreshes Greatday's LoginId through Greatday's MFA, without a password", async () => {
    const loginId = seeded('Greatday');
    const first = await refresh(loginId);
    expect(first.status).toBe(203);
    const requestId = defined(first.body.RequestId);
    await flinks.answer(requestId, { [CITY]: ['Montreal'] });
    const done = await flinks.answer(requestId, {
      'What shape do people like most?': ['Triangle'],
    });
    expect(done.status).toBe(200);
    expect(done.body.Login?.Id).toBe(loginId);
  });

  it("opens greatday_nomfa's LoginId cached and refreshed without MFA", async () => {
    const loginId = seeded('greatday_nomfa');
    const fromCache = await cached(loginId);
    const refreshed = await refresh(loginId);
    expect(fromCache.status).toBe(200);
    expect(refreshed.status).toBe(200);
    expect(refreshed.body.Login?.Id).toBe(loginId);
  });

  it("refreshes mfa_trusted_device's LoginId through the trusted-device challenge", async () => {
    const loginId = seeded('mfa_trusted_device');
    const fromCache = await cached(loginId);
    const first = await refresh(loginId);
    expect(fromCache.status).toBe(200);
    expect(first.status).toBe(203);
    expect(first.body.SecurityChallenges).toEqual([
      {
        Type: 'WaitUntilEUAccept',
        Prompt: 'Please verify your identity on your trusted device',
      },
    ]);
    const done = await flinks.answer(defined(first.body.RequestId), {
      'Please verify your identity on your trusted device': ['VERIFIED'],
    });
    expect(done.body.Login?.Id).toBe(loginId);
  });

  it('answers QUESTION_NOT_FOUND in cached mode with a RequestId that is an open session', async () => {
    const response = await cached(seeded('test_question_not_found'));
    expect(response.status).toBe(401);
    expect(response.body).toEqual({
      HttpStatusCode: 401,
      FlinksCode: 'QUESTION_NOT_FOUND',
      Message: expect.any(String),
      RequestId: expect.stringMatching(GUID),
      Institution: 'FlinksCapital',
    });
    const answer = await flinks.answer(defined(response.body.RequestId), { [CITY]: ['Montreal'] });
    expect(answer.body.FlinksCode).toBe('ALREADY_AUTHORIZED');
  });

  it('answers QUESTION_NOT_FOUND to a refresh too, with a RequestId that opens nothing', async () => {
    const response = await refresh(seeded('test_question_not_found'));
    expect(response.status).toBe(401);
    expect(response.body.FlinksCode).toBe('QUESTION_NOT_FOUND');
    const answer = await flinks.answer(defined(response.body.RequestId), { [CITY]: ['Montreal'] });
    expect(answer.body.FlinksCode).toBe('SESSION_NONEXISTENT');
  });

  it('answers DISABLED_LOGIN for the disabled LoginId, cached and refreshed', async () => {
    const loginId = seeded('test_disabled_account');
    for (const response of [await cached(loginId), await refresh(loginId)]) {
      expect(response.status).toBe(401);
      expect(response.body.FlinksCode).toBe('DISABLED_LOGIN');
    }
  });

  it('answers 401 INVALID_LOGIN for a LoginId it does not know, cached and refreshed', async () => {
    const loginId = '6a1f0c3b-2d4e-4f5a-8b6c-7d8e9f0a1b2c';
    for (const response of [await cached(loginId), await refresh(loginId)]) {
      expect(response.status).toBe(401);
      expect(response.body.FlinksCode).toBe('INVALID_LOGIN');
    }
  });

  it('requires a LoginId in cached mode', async () => {
    const response = await flinks.authorize({ MostRecentCached: true });
    expect(response.status).toBe(400);
    expect(response.body.ValidationDetails).toEqual({ LoginId: ['LoginId is required'] });
  });

  it('derives the same LoginId for a username on every run, whatever its case', async () => {
    const loginId = simulatorLoginId('mfa_unknown_type');
    expect(loginId).toMatch(GUID);
    expect(simulatorLoginId('MFA_Unknown_Type')).toBe(loginId);
    expect(loginId).toBe('d8ce95d2-1ae5-48ee-8291-5f6b828650e5');
  });

  it('knows a derived LoginId only after its user logged in, then serves cache and refresh', async () => {
    const loginId = simulatorLoginId('mfa_unknown_type');
    const before = await cached(loginId);
    expect(before.body.FlinksCode).toBe('INVALID_LOGIN');

    const prompt = "Enter the code shown in your bank's app";
    const first = await flinks.logIn('mfa_unknown_type');
    const done = await flinks.answer(defined(first.body.RequestId), { [prompt]: ['424242'] });
    expect(done.body.Login?.Id).toBe(loginId);

    const fromCache = await cached(loginId);
    expect(fromCache.status).toBe(200);
    expect(fromCache.body.Login).toEqual({
      Username: 'mfa_unknown_type',
      IsScheduledRefresh: false,
      LastRefresh: expect.stringMatching(LAST_REFRESH),
      Type: 'Personal',
      Id: loginId,
    });
    expect(Date.parse(`${fromCache.body.Login?.LastRefresh.slice(0, 23)}Z`)).toBeLessThan(
      Date.now(),
    );
    const again = await cached(loginId);
    expect(again.body.Login?.LastRefresh).toBe(fromCache.body.Login?.LastRefresh);

    const refreshed = await refresh(loginId);
    expect(refreshed.status).toBe(203);
    expect(refreshed.body.SecurityChallenges?.[0]?.Type).toBe('PushNotificationCode');
  });

  it('gives the LoginId precedence over a username in live mode', async () => {
    const response = await flinks.authorize({
      LoginId: seeded('greatday_nomfa'),
      Username: 'Greatday',
      MostRecentCached: false,
    });
    expect(response.status).toBe(200);
    expect(response.body.Login?.Username).toBe('greatday_nomfa');
  });
});
