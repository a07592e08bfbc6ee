import { describe, expect, it } from 'vitest';
import { openSession, START, seededLoginId, simulatorOnClock } from '../support/simulator-data.ts';
import { defined, startSimulatorHttp } from '../support/simulator-http.ts';

function pendingBody(code: string, requestId: string) {
  return {
    HttpStatusCode: 202,
    FlinksCode: code,
    Message: expect.any(String),
    RequestId: requestId,
    Links: [
      {
        rel: 'AccountsDetailAsync',
        href: `/GetAccountsDetailAsync/${requestId}`,
        example: null,
      },
    ],
  };
}

describe('GetAccountsDetail answered 202 first', () => {
  const sim = simulatorOnClock();

  const post = (requestId: string, options: Record<string, unknown> = {}) =>
    sim.flinks.data('GetAccountsDetail', { RequestId: requestId, ...options });

  it('answers Greatday 202 OPERATION_PENDING, then the data on the Async poll 1,500 ms later', async () => {
    const requestId = await openSession(sim.flinks, 'Greatday');
    const first = await post(requestId, { WithTransactions: false, WithKYC: false });
    expect(first.status).toBe(202);
    expect(first.body).toEqual(pendingBody('OPERATION_PENDING', requestId));

    sim.now += 1_499;
    const early = await sim.flinks.poll(requestId);
    expect(early.status).toBe(202);
    expect(early.body).toEqual(pendingBody('OPERATION_PENDING', requestId));

    sim.now += 1;
    const ready = await sim.flinks.poll(requestId);
    expect(ready.status).toBe(200);
    expect(ready.body.HttpStatusCode).toBe(200);
    expect(ready.body.RequestId).toBe(requestId);
    const accounts = ready.body.Accounts as { Transactions: unknown; Holder: unknown }[];
    expect(accounts).toHaveLength(3);
    for (const account of accounts) {
      expect(account.Transactions).toBeNull();
      expect(account.Holder).toBeNull();
    }
  });

  it('answers a second POST while pending with the same 202, without restarting the clock', async () => {
    const requestId = await openSession(sim.flinks, 'Greatday');
    await post(requestId);
    sim.now += 1_000;
    const again = await post(requestId, { WithTransactions: false });
    expect(again.status).toBe(202);
    expect(again.body).toEqual(pendingBody('OPERATION_PENDING', requestId));
    sim.now += 500;
    const ready = await sim.flinks.poll(requestId);
    expect(ready.status).toBe(200);
    const accounts = ready.body.Accounts as { Transactions: unknown[] | null }[];
    expect(accounts[0]?.Transactions?.length).toBeGreaterThan(0);
  });

  it('answers later POSTs on a ready RequestId at once, and keeps the Async result', async () => {
    const requestId = await openSession(sim.flinks, 'Greatday');
    await post(requestId);
    sim.now += 1_500;
    const later = await post(requestId, { WithBalance: false });
    expect(later.status).toBe(200);
    expect((later.body.Accounts as { Balance: unknown }[])[0]?.Balance).toBeNull();
    const polled = await sim.flinks.poll(requestId);
    const again = await sim.flinks.poll(requestId);
    expect(polled.status).toBe(200);
    expect(again.text).toBe(polled.text);
  });

  it('answers 202 on each new RequestId of Greatday, cached logins included', async () => {
    const cached = await sim.flinks.authorize({
      LoginId: seededLoginId('Greatday'),
      MostRecentCached: true,
    });
    const requestId = defined(cached.body.RequestId, 'RequestId');
    const response = await post(requestId);
    expect(response.status).toBe(202);
    expect(response.body.FlinksCode).toBe('OPERATION_PENDING');
  });

  it.each([
    ['test_pending', 'OPERATION_PENDING'],
    ['test_dispatched', 'OPERATION_DISPATCHED'],
  ])('logs %s in without MFA and answers 202 %s for 20 seconds', async (username, code) => {
    const login = await sim.flinks.logIn(username);
    expect(login.status).toBe(200);
    const requestId = defined(login.body.RequestId, 'RequestId');
    const first = await post(requestId);
    expect(first.status).toBe(202);
    expect(first.body).toEqual(pendingBody(code, requestId));
    sim.now += 19_999;
    expect((await sim.flinks.poll(requestId)).body).toEqual(pendingBody(code, requestId));
    sim.now += 1;
    const ready = await sim.flinks.poll(requestId);
    expect(ready.status).toBe(200);
    expect(ready.body.Login?.Username).toBe(username);
  });

  it('answers the summary and statements of a pending login at once', async () => {
    const requestId = await openSession(sim.flinks, 'test_pending');
    await post(requestId);
    const summary = await sim.flinks.data('GetAccountsSummary', { RequestId: requestId });
    const statements = await sim.flinks.data('GetStatements', { RequestId: requestId });
    expect(summary.status).toBe(200);
    expect(statements.status).toBe(200);
  });

  it('answers other users 200 at once, and an Async poll with nothing pending 400 INVALID_REQUEST', async () => {
    const requestId = await openSession(sim.flinks, 'greatday_nomfa');
    const before = await sim.flinks.poll(requestId);
    const detail = await post(requestId);
    const after = await sim.flinks.poll(requestId);
    expect(detail.status).toBe(200);
    for (const response of [before, after]) {
      expect(response.status).toBe(400);
      expect(response.body).toEqual({
        HttpStatusCode: 400,
        FlinksCode: 'INVALID_REQUEST',
        Message: expect.any(String),
        RequestId: requestId,
        Institution: 'FlinksCapital',
      });
    }
  });

  it('honours custom detailDelayMs and pendingDelayMs', async () => {
    let clock = START;
    const custom = await startSimulatorHttp({
      now: () => clock,
      detailDelayMs: 10,
      pendingDelayMs: 50,
    });
    try {
      const greatday = await openSession(custom, 'Greatday');
      const dispatched = await openSession(custom, 'test_dispatched');
      await custom.data('GetAccountsDetail', { RequestId: greatday });
      await custom.data('GetAccountsDetail', { RequestId: dispatched });
      clock += 10;
      expect((await custom.poll(greatday)).status).toBe(200);
      expect((await custom.poll(dispatched)).status).toBe(202);
      clock += 40;
      expect((await custom.poll(dispatched)).status).toBe(200);
    } finally {
      await custom.close();
    }
  });
});
