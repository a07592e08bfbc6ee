import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ServiceUnavailableError } from '../../src/errors.ts';
import { FlinksClient } from '../../src/flinks/client.ts';
import { TokenPool } from '../../src/flinks/token-pool.ts';
import {
  type RunningSimulator,
  SIMULATOR_CUSTOMER_ID,
  SIMULATOR_LOGIN_IDS,
  SIMULATOR_SECRET_KEY,
  startSimulator,
} from '../../src/simulator/index.ts';

/** A mint that answers only when the test says so, in the order the test says. */
function gatedMint() {
  const pending: Array<{ resolve(token: string): void; reject(error: Error): void }> = [];
  const signals: AbortSignal[] = [];
  let minted = 0;
  let inFlight = 0;
  let mostInFlight = 0;
  return {
    mint: (signal: AbortSignal) =>
      new Promise<string>((resolve, reject) => {
        signals.push(signal);
        inFlight++;
        mostInFlight = Math.max(mostInFlight, inFlight);
        pending.push({
          resolve: (token) => {
            inFlight--;
            resolve(token);
          },
          reject: (error) => {
            inFlight--;
            reject(error);
          },
        });
      }),
    /** Answers the oldest mint in flight with the next token, `t1`, `t2`, ... */
    answer() {
      pending.shift()?.resolve(`t${++minted}`);
    },
    fail(error: Error) {
      pending.shift()?.reject(error);
    },
    /** The signal each mint was started with. */
    signals,
    get inFlight() {
      return inFlight;
    },
    get mostInFlight() {
      return mostInFlight;
    },
  };
}

const settle = () => new Promise((resolve) => setImmediate(resolve));

describe('TokenPool: callers waiting for a token', () => {
  it('serves waiting callers first come, first served, with at most maxConcurrentMints in flight', async () => {
    const gate = gatedMint();
    const pool = new TokenPool({ mint: gate.mint, maxSize: 0, maxConcurrentMints: 2 });
    const order: string[] = [];
    const takes = ['a', 'b', 'c', 'd'].map((name) =>
      pool.take().then((token) => {
        order.push(`${name}:${token}`);
        return token;
      }),
    );
    expect(pool.waiting).toBe(4);
    expect(gate.inFlight).toBe(2);
    for (let i = 0; i < 4; i++) {
      gate.answer();
      await settle();
    }
    await Promise.all(takes);
    expect(order).toEqual(['a:t1', 'b:t2', 'c:t3', 'd:t4']);
    expect(gate.mostInFlight).toBe(2);
    expect(pool.waiting).toBe(0);
    // maxSize 0: nothing was minted beyond what the callers took.
    expect(pool.size).toBe(0);
    expect(gate.inFlight).toBe(0);
  });

  it('refuses a caller beyond maxWaiting at once with a retryable ServiceUnavailableError', async () => {
    const gate = gatedMint();
    const pool = new TokenPool({
      mint: gate.mint,
      maxSize: 0,
      maxConcurrentMints: 1,
      maxWaiting: 2,
    });
    const first = pool.take();
    const second = pool.take();
    const refused = await pool.take().catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(ServiceUnavailableError);
    expect(refused).toMatchObject({
      code: 'SERVICE_UNAVAILABLE',
      retryable: true,
      retryAfterSeconds: 1,
    });
    // Refused callers cost nothing upstream: one mint in flight for the two waiting.
    expect(gate.inFlight).toBe(1);
    gate.answer();
    expect(await first).toBe('t1');
    // A place in line is free again.
    const third = pool.take();
    gate.answer();
    gate.answer();
    await settle();
    gate.answer();
    expect([await second, await third]).toEqual(['t2', 't3']);
  });

  it('lets an aborted caller leave the line: its token goes to the next, its place to a newcomer', async () => {
    const gate = gatedMint();
    const pool = new TokenPool({
      mint: gate.mint,
      maxSize: 0,
      maxConcurrentMints: 1,
      maxWaiting: 2,
    });
    const leaving = new AbortController();
    const first = pool.take(leaving.signal);
    const second = pool.take();
    leaving.abort(new Error('client went away'));
    await expect(first).rejects.toThrow('client went away');
    expect(pool.waiting).toBe(1);
    const third = pool.take();
    expect(pool.waiting).toBe(2);
    gate.answer();
    expect(await second).toBe('t1');
    await settle();
    gate.answer();
    expect(await third).toBe('t2');
    // A caller whose signal already aborted does not queue.
    await expect(pool.take(AbortSignal.abort(new Error('gone')))).rejects.toThrow('gone');
    expect(pool.waiting).toBe(0);
  });

  it('fails the caller at the head of the line with a failed mint, and mints again for the next', async () => {
    const gate = gatedMint();
    const pool = new TokenPool({ mint: gate.mint, maxSize: 0, maxConcurrentMints: 1 });
    const first = pool.take();
    const second = pool.take();
    gate.fail(new Error('Flinks could not be reached.'));
    await expect(first).rejects.toThrow('Flinks could not be reached.');
    await settle();
    expect(gate.inFlight).toBe(1);
    gate.answer();
    expect(await second).toBe('t1');
  });

  it('keeps a token minted for a caller who left for the next caller', async () => {
    const gate = gatedMint();
    const pool = new TokenPool({ mint: gate.mint, maxSize: 0, maxConcurrentMints: 1 });
    const leaving = new AbortController();
    const first = pool.take(leaving.signal);
    leaving.abort(new Error('gone'));
    await expect(first).rejects.toThrow('gone');
    gate.answer();
    await settle();
    expect(pool.size).toBe(1);
    expect(await pool.take()).toBe('t1');
    expect(gate.inFlight).toBe(0);
  });

  it('serves the callers still there in arrival order after thousands left while Flinks hung', async () => {
    const gate = gatedMint();
    const pool = new TokenPool({
      mint: gate.mint,
      maxSize: 0,
      maxConcurrentMints: 1,
      maxWaiting: 10_000,
    });
    const leaving = Array.from({ length: 6_000 }, () => new AbortController());
    const left = leaving.slice(0, 3_000).map((controller) => pool.take(controller.signal));
    const firstStaying = pool.take();
    left.push(...leaving.slice(3_000).map((controller) => pool.take(controller.signal)));
    const secondStaying = pool.take();
    // No mint completes while they leave: the line is compacted as they go, not at the next token.
    for (const controller of leaving) controller.abort(new Error('gone'));
    expect((await Promise.allSettled(left)).every((r) => r.status === 'rejected')).toBe(true);
    expect(pool.waiting).toBe(2);
    gate.answer();
    expect(await firstStaying).toBe('t1');
    await settle();
    gate.answer();
    expect(await secondStaying).toBe('t2');
    expect(pool.waiting).toBe(0);
  });

  it('aborts the mints in flight when it closes, and fails the callers waiting', async () => {
    const gate = gatedMint();
    const pool = new TokenPool({ mint: gate.mint, maxSize: 0, maxConcurrentMints: 2 });
    const takes = [pool.take(), pool.take(), pool.take()];
    expect(gate.signals).toHaveLength(2);
    expect(gate.signals.some((signal) => signal.aborted)).toBe(false);
    pool.close();
    expect(gate.signals.every((signal) => signal.aborted)).toBe(true);
    for (const take of takes) await expect(take).rejects.toThrow('The Flinks client is closed.');
  });

  it('hands out no token twice among thousands of concurrent callers', async () => {
    let minted = 0;
    const pool = new TokenPool({
      mint: async () => {
        await new Promise((resolve) => setTimeout(resolve, Math.random() * 3));
        return `t${++minted}`;
      },
      maxSize: 16,
      maxConcurrentMints: 8,
      maxWaiting: 5_000,
      demandWindowMs: 50,
    });
    const aborts = Array.from({ length: 2_000 }, () => new AbortController());
    const takes = aborts.map((controller) => pool.take(controller.signal));
    // A tenth of them leave while waiting.
    for (let i = 0; i < aborts.length; i += 10) aborts[i]?.abort(new Error('gone'));
    const results = await Promise.allSettled(takes);
    const handed = results.flatMap((result) =>
      result.status === 'fulfilled' ? [result.value] : [],
    );
    expect(handed).toHaveLength(1_800);
    expect(new Set(handed).size).toBe(handed.length);
    pool.close();
  });
});

describe('FlinksClient tokens over real HTTP to the simulator', () => {
  let simulator: RunningSimulator;
  const loginId = SIMULATOR_LOGIN_IDS.find((login) => login.username === 'Greatday')?.loginId;

  beforeAll(async () => {
    simulator = await startSimulator({ port: 0 });
  });
  afterAll(async () => {
    await simulator.close();
  });

  function client(options: { connections: number; tokenMaxWaiting?: number }) {
    return new FlinksClient({
      baseUrl: simulator.url,
      customerId: SIMULATOR_CUSTOMER_ID,
      secretKey: SIMULATOR_SECRET_KEY,
      tokenPoolSize: 4,
      ...options,
    });
  }

  it('authorizes hundreds of concurrent callers, each with its own token, none reused', async () => {
    simulator.simulator.clearCalls();
    simulator.simulator.setFaults({ latencyMs: 20 });
    // 8 connections: at most 4 mints in flight for 300 callers.
    const flinks = client({ connections: 8 });
    try {
      const outcomes = await Promise.all(
        Array.from({ length: 300 }, () =>
          flinks.authorize({ mode: 'cached', loginId: loginId as string }),
        ),
      );
      expect(outcomes.every((outcome) => outcome.kind === 'success')).toBe(true);
      const authorizeKeys = simulator.simulator.calls
        .filter((call) => call.endpoint === 'Authorize')
        .map((call) => call.authKey);
      // The simulator refuses a token it has seen (401, retried once with a new token): 300 calls
      // and 300 distinct tokens say none was ever sent twice.
      expect(authorizeKeys).toHaveLength(300);
      expect(new Set(authorizeKeys).size).toBe(300);
    } finally {
      simulator.simulator.setFaults({});
      await flinks.close();
    }
  });

  it('closes without waiting for token calls Flinks has not answered', async () => {
    // Flinks takes 60 s to answer: a close that waited for the token calls would time the test out.
    simulator.simulator.setFaults({ latencyMs: 60_000 });
    const flinks = client({ connections: 4 });
    try {
      const leaving = new AbortController();
      const call = flinks.authorize({ mode: 'cached', loginId: loginId as string }, leaving.signal);
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect(flinks.tokenWaiting).toBe(1);
      leaving.abort(new Error('client went away'));
      await expect(call).rejects.toThrow();
      await flinks.close();
    } finally {
      simulator.simulator.setFaults({});
    }
  });

  it('answers callers beyond the line ServiceUnavailableError without calling Flinks for them', async () => {
    simulator.simulator.clearCalls();
    simulator.simulator.setFaults({ latencyMs: 200 });
    const flinks = client({ connections: 2, tokenMaxWaiting: 5 });
    try {
      const results = await Promise.allSettled(
        Array.from({ length: 20 }, () =>
          flinks.authorize({ mode: 'cached', loginId: loginId as string }),
        ),
      );
      const refused = results.filter(
        (result) =>
          result.status === 'rejected' && result.reason instanceof ServiceUnavailableError,
      );
      const succeeded = results.filter(
        (result) => result.status === 'fulfilled' && result.value.kind === 'success',
      );
      expect(refused).toHaveLength(15);
      expect(succeeded).toHaveLength(5);
      expect(simulator.simulator.countCalls('Authorize')).toBe(5);
      expect(flinks.breakerState).toBe('closed');
    } finally {
      simulator.simulator.setFaults({});
      await flinks.close();
    }
  });
});
