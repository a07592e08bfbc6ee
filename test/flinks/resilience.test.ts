import { MockAgent } from 'undici';
import { afterEach, describe, expect, it } from 'vitest';
import { InstitutionUnavailableError, InvalidCredentialsError } from '../../src/errors.ts';
import { FlinksClient } from '../../src/flinks/client.ts';
import { TokenPool } from '../../src/flinks/token-pool.ts';
import type { AuthorizeRequest } from '../../src/flinks/types.ts';

const ORIGIN = 'https://flinks.test';
const CUSTOMER = '43387ca6-0391-4c82-857d-70d95f087ecb';
const BASE = `/v3/${CUSTOMER}/BankingServices`;
const cached: AuthorizeRequest = {
  mode: 'cached',
  loginId: '5e115eac-1209-4f19-641c-08d6d484e2fe',
};
const live: AuthorizeRequest = {
  mode: 'credentials',
  institution: 'FlinksCapital',
  username: 'Greatday',
  password: 'Everyday',
};
const success = {
  HttpStatusCode: 200,
  RequestId: 'b0debb48-f9f1-46c6-80a4-08d7dd88d478',
  Institution: 'FlinksCapital',
  Login: {
    Id: '5e115eac-1209-4f19-641c-08d6d484e2fe',
    Username: 'Greatday',
    LastRefresh: '2020-04-15T22:46:03.1690585',
  },
};

const clients: FlinksClient[] = [];
afterEach(async () => {
  await Promise.all(clients.splice(0).map((client) => client.close()));
});

function setup(
  options: { threshold?: number; halfOpenAfterMs?: number; minCallers?: number } = {},
) {
  const agent = new MockAgent();
  agent.disableNetConnect();
  const pool = agent.get(ORIGIN);
  const calls: string[] = [];
  pool
    .intercept({ path: `${BASE}/GenerateAuthorizeToken`, method: 'POST' })
    .reply(() => {
      calls.push('token');
      return { statusCode: 200, data: { HttpStatusCode: 200, Token: `t-${calls.length}` } };
    })
    .persist();
  const client = new FlinksClient({
    baseUrl: ORIGIN,
    customerId: CUSTOMER,
    secretKey: 'secret',
    dispatcher: agent,
    tokenPoolSize: 0,
    retry: { initialDelayMs: 1, maxDelayMs: 5 },
    breaker: {
      threshold: options.threshold ?? 5,
      halfOpenAfterMs: options.halfOpenAfterMs ?? 60_000,
      // Most calls here name no caller: a plain consecutive-failure breaker unless told.
      minCallers: options.minCallers ?? 1,
    },
  });
  clients.push(client);
  /** Answers the next Authorize calls with these replies, in order. */
  const authorizeReplies = (...replies: (number | 'reset')[]) => {
    for (const reply of replies) {
      const interceptor = pool.intercept({ path: `${BASE}/Authorize`, method: 'POST' });
      if (reply === 'reset') {
        interceptor.replyWithError(
          Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }),
        );
      } else {
        interceptor.reply<object>(() => {
          calls.push(`authorize ${reply}`);
          return reply === 200
            ? { statusCode: 200, data: success }
            : reply === 401
              ? { statusCode: 401, data: { HttpStatusCode: 401, FlinksCode: 'INVALID_PASSWORD' } }
              : { statusCode: reply, data: '<html>Service Unavailable</html>' };
        });
      }
    }
  };
  return { client, calls, authorizeReplies, pool };
}

describe('retries', () => {
  it('retries a cached authorize after a 503 and a reset connection, then succeeds', async () => {
    const { client, calls, authorizeReplies } = setup();
    authorizeReplies(503, 'reset', 200);
    await expect(client.authorize(cached)).resolves.toMatchObject({ kind: 'success' });
    expect(calls.filter((c) => c.startsWith('authorize'))).toEqual([
      'authorize 503',
      'authorize 200',
    ]);
    // A fresh token for each attempt: a token may have been spent by the failed one.
    expect(calls.filter((c) => c === 'token')).toHaveLength(3);
  });

  it('never replays a live login after a 503', async () => {
    const { client, calls, authorizeReplies } = setup();
    authorizeReplies(503, 200);
    await expect(client.authorize(live)).rejects.toBeInstanceOf(InstitutionUnavailableError);
    expect(calls.filter((c) => c.startsWith('authorize'))).toEqual(['authorize 503']);
  });

  it('never replays an MFA answer after a reset connection', async () => {
    const { client, authorizeReplies } = setup();
    authorizeReplies('reset', 200);
    const answer: AuthorizeRequest = {
      mode: 'answer',
      requestId: success.RequestId,
      responses: { q: ['a'] },
    };
    await expect(client.authorize(answer)).rejects.toBeInstanceOf(InstitutionUnavailableError);
  });

  it('gives up after three attempts', async () => {
    const { client, calls, authorizeReplies } = setup();
    authorizeReplies(502, 503, 502, 200);
    await expect(client.authorize(cached)).rejects.toBeInstanceOf(InstitutionUnavailableError);
    expect(calls.filter((c) => c.startsWith('authorize'))).toHaveLength(3);
  });

  it('does not retry an answer Flinks gave on purpose', async () => {
    const { client, calls, authorizeReplies } = setup();
    authorizeReplies(401, 200);
    await expect(client.authorize(cached)).rejects.toBeInstanceOf(InvalidCredentialsError);
    expect(calls.filter((c) => c.startsWith('authorize'))).toEqual(['authorize 401']);
  });
});

describe('circuit breaker', () => {
  it('opens after consecutive failures, answers at once without calling Flinks, then probes half-open', async () => {
    const { client, calls, authorizeReplies } = setup({ threshold: 2, halfOpenAfterMs: 100 });
    authorizeReplies(503, 503);
    await expect(client.authorize(live)).rejects.toBeInstanceOf(InstitutionUnavailableError);
    await expect(client.authorize(live)).rejects.toBeInstanceOf(InstitutionUnavailableError);
    expect(client.breakerState).toBe('open');

    const before = calls.length;
    const error = await client.authorize(live).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InstitutionUnavailableError);
    // Until the probe: the breaker's remaining open time (100 ms here), in whole seconds.
    expect((error as InstitutionUnavailableError).retryAfterSeconds).toBe(1);
    expect(calls.length).toBe(before);

    await new Promise((resolve) => setTimeout(resolve, 150));
    authorizeReplies(200);
    await expect(client.authorize(live)).resolves.toMatchObject({ kind: 'success' });
    expect(client.breakerState).toBe('closed');
  });

  it('opens only once the consecutive failures come from enough distinct callers', async () => {
    const { client, authorizeReplies } = setup({ threshold: 3, minCallers: 2 });
    authorizeReplies(503, 503, 503, 503, 503);
    for (let i = 0; i < 4; i++) {
      await expect(client.authorize(live, undefined, 'mallory')).rejects.toBeInstanceOf(
        InstitutionUnavailableError,
      );
    }
    expect(client.breakerState).toBe('closed');
    await expect(client.authorize(live, undefined, 'alice')).rejects.toBeInstanceOf(
      InstitutionUnavailableError,
    );
    expect(client.breakerState).toBe('open');
  });

  it('never counts a 5xx that carries a FlinksCode: Flinks answered', async () => {
    const { client, pool } = setup({ threshold: 2 });
    pool
      .intercept({ path: `${BASE}/Authorize`, method: 'POST' })
      .reply(500, { HttpStatusCode: 500, FlinksCode: 'AGGREGATION_ERROR' })
      .times(4);
    for (let i = 0; i < 4; i++) {
      await expect(client.authorize(live)).rejects.toMatchObject({
        flinksCode: 'AGGREGATION_ERROR',
      });
    }
    expect(client.breakerState).toBe('closed');
  });

  it('counts a retried call once, however many attempts it took', async () => {
    const { client, calls, authorizeReplies } = setup({ threshold: 2 });
    authorizeReplies(503, 503, 503);
    await expect(client.authorize(cached)).rejects.toBeInstanceOf(InstitutionUnavailableError);
    expect(calls.filter((c) => c.startsWith('authorize'))).toHaveLength(3);
    expect(client.breakerState).toBe('closed');
    authorizeReplies(503, 503, 503);
    await expect(client.authorize(cached)).rejects.toBeInstanceOf(InstitutionUnavailableError);
    expect(client.breakerState).toBe('open');
  });

  it('is not opened by answers Flinks gives on purpose', async () => {
    const { client, authorizeReplies } = setup({ threshold: 2 });
    authorizeReplies(401, 401, 401);
    for (let i = 0; i < 3; i++) {
      await expect(client.authorize(live)).rejects.toBeInstanceOf(InvalidCredentialsError);
    }
    expect(client.breakerState).toBe('closed');
  });

  it('counts an answer Flinks gives on purpose as Flinks up: it breaks a run of outages and closes a half-open circuit', async () => {
    const { client, authorizeReplies } = setup({ threshold: 2, halfOpenAfterMs: 100 });
    authorizeReplies(503, 401, 503);
    await expect(client.authorize(live)).rejects.toBeInstanceOf(InstitutionUnavailableError);
    await expect(client.authorize(live)).rejects.toBeInstanceOf(InvalidCredentialsError);
    await expect(client.authorize(live)).rejects.toBeInstanceOf(InstitutionUnavailableError);
    expect(client.breakerState).toBe('closed');

    authorizeReplies(503);
    await expect(client.authorize(live)).rejects.toBeInstanceOf(InstitutionUnavailableError);
    expect(client.breakerState).toBe('open');
    await new Promise((resolve) => setTimeout(resolve, 150));
    authorizeReplies(401);
    await expect(client.authorize(live)).rejects.toBeInstanceOf(InvalidCredentialsError);
    expect(client.breakerState).toBe('closed');
  });
});

describe('per-call deadline', () => {
  it('reads the caller’s deadline as a typed timeout, and a disconnect as the abort it is', async () => {
    const agent = new MockAgent();
    agent.disableNetConnect();
    const pool = agent.get(ORIGIN);
    pool
      .intercept({ path: `${BASE}/GenerateAuthorizeToken`, method: 'POST' })
      .reply(200, { Token: 't' })
      .delay(500)
      .persist();
    const client = new FlinksClient({
      baseUrl: ORIGIN,
      customerId: CUSTOMER,
      secretKey: 's',
      dispatcher: agent,
    });
    clients.push(client);
    const timedOut = await client.authorize(live, AbortSignal.timeout(50)).catch((e: unknown) => e);
    expect(timedOut).toBeInstanceOf(InstitutionUnavailableError);
    expect((timedOut as Error).message).toBe('Flinks did not answer in time. Try again later.');

    const controller = new AbortController();
    setTimeout(() => controller.abort(new Error('client went away')), 50);
    await expect(client.authorize(live, controller.signal)).rejects.toThrow('client went away');
  });
});

describe('TokenPool', () => {
  it('mints inline when empty, then serves prefetched tokens, each once, none stale', async () => {
    let minted = 0;
    let now = 0;
    const pool = new TokenPool({ mint: async () => `token-${++minted}`, now: () => now });
    const settle = () => new Promise((resolve) => setImmediate(resolve));
    const handed = [await pool.take()];
    // The first take found the pool empty: one token minted for it, one prefetched for the next.
    expect(minted).toBe(2);
    // Minted tokens go to waiting callers first come, first served: the caller got the first.
    expect(handed[0]).toBe('token-1');
    await settle();
    expect(pool.size).toBe(1);
    const mintedBefore = minted;
    handed.push(await pool.take());
    // Served from the pool: the token prefetched during the first take.
    expect(handed[1]).toBe('token-2');
    await settle();
    expect(pool.size).toBeGreaterThan(0);
    handed.push(await pool.take(), await pool.take());
    expect(new Set(handed).size).toBe(handed.length);
    expect(minted).toBeGreaterThanOrEqual(mintedBefore);

    await settle();
    now += 11 * 60_000;
    // Tokens older than ten minutes are dropped: this take mints a new one inline.
    const fresh = await pool.take();
    expect(handed).not.toContain(fresh);
    expect(Number(fresh.slice('token-'.length))).toBeGreaterThan(mintedBefore);
    pool.close();
    expect(pool.size).toBe(0);
  });

  it('mints with at most maxConcurrentMints at once, for the callers and the refill together', async () => {
    let inFlight = 0;
    let mostInFlight = 0;
    let minted = 0;
    const pool = new TokenPool({
      mint: async () => {
        inFlight++;
        mostInFlight = Math.max(mostInFlight, inFlight);
        await new Promise((resolve) => setTimeout(resolve, 5));
        inFlight--;
        return `t${++minted}`;
      },
      maxConcurrentMints: 2,
      demandWindowMs: 100,
    });
    const signal = AbortSignal.timeout(10_000);
    await Promise.all(Array.from({ length: 40 }, () => pool.take(signal)));
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(mostInFlight).toBe(2);
    expect(pool.size).toBeGreaterThan(0);
    pool.close();
  });

  it('keeps nothing ready when nobody asks', async () => {
    let minted = 0;
    const pool = new TokenPool({ mint: async () => `t${++minted}`, maxSize: 8 });
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(minted).toBe(0);
    expect(pool.size).toBe(0);
  });
});
