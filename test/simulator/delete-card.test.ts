import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { simulatorLoginId } from '../../src/simulator/index.ts';
import { type SimulatorHttp, startSimulatorHttp } from '../support/simulator-http.ts';

describe('DELETE /DeleteCard/{loginId}', () => {
  let flinks: SimulatorHttp;
  let now = Date.UTC(2026, 10, 30, 3, 0, 0);

  beforeAll(async () => {
    flinks = await startSimulatorHttp({ now: () => now, cardInUseMs: 5_000 });
  });
  afterAll(() => flinks.close());

  const cached = (loginId: string) =>
    flinks.authorize({ LoginId: loginId, MostRecentCached: true });

  it('answers CARD_IN_USE right after an authorization, then deletes the LoginId and its sessions', async () => {
    const loginId = simulatorLoginId('greatday_nomfa');
    const opened = await cached(loginId);
    expect(opened.status).toBe(200);

    const early = await flinks.deleteCard(loginId);
    expect(early.status).toBe(400);
    expect(early.body).toMatchObject({ FlinksCode: 'CARD_IN_USE' });

    now += 5_000;
    const deleted = await flinks.deleteCard(loginId);
    expect(deleted.status).toBe(200);
    expect(deleted.body).toEqual({
      StatusCode: 200,
      Message: `All of the information about LoginId ${loginId} has been removed`,
    });
    // Its session is gone, and the LoginId is unknown from now on.
    const summary = await flinks.data('GetAccountsSummary', { RequestId: opened.body.RequestId });
    expect(summary.status).not.toBe(200);
    expect((await cached(loginId)).body).toMatchObject({ FlinksCode: 'INVALID_LOGIN' });
    expect((await flinks.deleteCard(loginId)).body).toMatchObject({ FlinksCode: 'INVALID_LOGIN' });
  });

  it('leaves other LoginIds alone', async () => {
    expect((await cached(simulatorLoginId('Greatday'))).status).toBe(200);
  });

  it('wants the x-api-key and the DELETE method', async () => {
    const loginId = simulatorLoginId('mfa_trusted_device');
    expect((await flinks.deleteCard(loginId, null)).status).toBe(401);
    const get = await fetch(flinks.url(`DeleteCard/${loginId}`));
    expect(get.status).toBe(405);
    expect(get.headers.get('allow')).toBe('DELETE');
  });
});
