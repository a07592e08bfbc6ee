import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ServiceUnavailableError } from '../../src/errors.ts';
import { SECURITY_IMAGES } from '../../src/simulator/images.ts';
import { type GatewayStore, MemoryStore, type NewMfaRound } from '../../src/store/index.ts';
import { PostgresStore } from '../../src/store/postgres.ts';
import { migrate } from '../../src/store/postgres-migrations.ts';
import { startPostgres, type TestPostgres } from '../support/postgres.ts';

const T = 1_800_000_000_000;
const LEASE = { now: T, leaseMs: 60_000, maxWrongAnswers: 3 };

function newRound(overrides: Partial<NewMfaRound> = {}): NewMfaRound {
  return {
    requestId: randomUUID(),
    principal: 'alice',
    loginId: null,
    challenges: [
      { type: 'QuestionAndAnswer', prompt: 'What city were you born in?', iterables: [] },
    ],
    expiresAt: T + 8 * 60_000,
    ...overrides,
  };
}

let postgres: TestPostgres;
let postgresStore: PostgresStore;

beforeAll(async () => {
  postgres = await startPostgres();
  postgresStore = await PostgresStore.open({
    url: await postgres.createDatabase('contract'),
    sweepIntervalMs: 0,
    timeoutMs: 1_000,
  });
}, 90_000);

afterAll(async () => {
  await postgresStore?.close();
  await postgres?.close();
}, 60_000);

const stores: [string, () => GatewayStore][] = [
  ['MemoryStore', () => new MemoryStore({ sweepIntervalMs: 0 })],
  ['PostgresStore', () => postgresStore],
];

describe.each(stores)('%s (the GatewayStore contract)', (_name, storeOf) => {
  let store: GatewayStore;
  beforeAll(() => {
    store = storeOf();
  });

  it('keeps a round until it expires, and forgets it when deleted', async () => {
    const round = newRound({ loginId: 'abc' });
    await store.putRound(round);
    expect(await store.getRound(round.requestId, T)).toEqual({ ...round, wrongAnswers: 0 });
    expect(await store.getRound(round.requestId, round.expiresAt)).toBeUndefined();
    const other = newRound();
    await store.putRound(other);
    await store.deleteRound(other.requestId);
    expect(await store.getRound(other.requestId, T)).toBeUndefined();
  });

  it('lets exactly one of many concurrent answers take the lease, and only the owner', async () => {
    const round = newRound();
    await store.putRound(round);
    expect(await store.beginAnswer(round.requestId, 'mallory', LEASE)).toEqual({ status: 'none' });
    const leases = await Promise.all(
      Array.from({ length: 25 }, () => store.beginAnswer(round.requestId, 'alice', LEASE)),
    );
    const open = leases.filter((lease) => lease.status === 'open');
    expect(open).toHaveLength(1);
    expect(open[0]).toMatchObject({ round: { ...round, wrongAnswers: 0 } });
    expect(leases.filter((lease) => lease.status === 'busy')).toEqual(
      Array(24).fill({ status: 'busy', untilMs: T + LEASE.leaseMs }),
    );
  });

  it('frees the lease when the answer ends, or when it runs out', async () => {
    const round = newRound();
    await store.putRound(round);
    const first = await store.beginAnswer(round.requestId, 'alice', LEASE);
    if (first.status !== 'open') throw new Error('no lease');
    await store.endAnswer(round.requestId, randomUUID());
    expect((await store.beginAnswer(round.requestId, 'alice', LEASE)).status).toBe('busy');
    await store.endAnswer(round.requestId, first.leaseId);
    const second = await store.beginAnswer(round.requestId, 'alice', LEASE);
    expect(second.status).toBe('open');
    const later = { ...LEASE, now: T + LEASE.leaseMs };
    expect((await store.beginAnswer(round.requestId, 'alice', later)).status).toBe('open');
  });

  it('counts wrong answers under the lease and closes the round to answers at the cap', async () => {
    const round = newRound();
    await store.putRound(round);
    const counts: number[] = [];
    for (let i = 0; i < 3; i += 1) {
      const lease = await store.beginAnswer(round.requestId, 'alice', LEASE);
      if (lease.status !== 'open') throw new Error(`no lease: ${lease.status}`);
      expect(lease.round.wrongAnswers).toBe(i);
      counts.push(await store.recordWrongAnswer(round.requestId, lease.leaseId, T + 600_000));
      // A second record with the same lease counts nothing: the lease was given back.
      expect(await store.recordWrongAnswer(round.requestId, lease.leaseId, T + 600_000)).toBe(0);
    }
    expect(counts).toEqual([1, 2, 3]);
    expect(await store.beginAnswer(round.requestId, 'alice', LEASE)).toEqual({ status: 'none' });
    expect((await store.getRound(round.requestId, T))?.expiresAt).toBe(T + 600_000);
  });

  it('replaces a round with the next step: new challenges, no count, no lease', async () => {
    const round = newRound();
    await store.putRound(round);
    const lease = await store.beginAnswer(round.requestId, 'alice', LEASE);
    if (lease.status !== 'open') throw new Error('no lease');
    await store.recordWrongAnswer(round.requestId, lease.leaseId, round.expiresAt);
    await store.beginAnswer(round.requestId, 'alice', LEASE);
    const next = {
      ...round,
      challenges: [{ type: 'QuestionAndAnswer', prompt: 'Shape?', iterables: [] }],
    };
    await store.putRound(next);
    const again = await store.beginAnswer(round.requestId, 'alice', LEASE);
    expect(again).toMatchObject({ status: 'open', round: { ...next, wrongAnswers: 0 } });
  });

  it('keeps an image round as it came: each image once, byte for byte', async () => {
    const round = newRound({
      challenges: [
        { type: 'ImageSelection', prompt: 'Select your image', iterables: [...SECURITY_IMAGES] },
      ],
    });
    await store.putRound(round);
    const read = await store.getRound(round.requestId, T);
    expect(read?.challenges[0]?.iterables).toEqual(SECURITY_IMAGES);
  });

  it('grants a session to its principal, extends it on use, and forgets it after expiry', async () => {
    const requestId = randomUUID();
    await store.putSession({ requestId, principal: 'alice', expiresAt: T + 1_000 });
    expect(await store.getSession(requestId, T)).toEqual({
      requestId,
      principal: 'alice',
      expiresAt: T + 1_000,
    });
    expect(await store.touchSession(requestId, 'mallory', T, T + 5_000)).toBe(false);
    expect(await store.touchSession(requestId, 'alice', T, T + 5_000)).toBe(true);
    expect(await store.getSession(requestId, T + 2_000)).toMatchObject({ expiresAt: T + 5_000 });
    expect(await store.touchSession(requestId, 'alice', T + 5_000, T + 9_000)).toBe(false);
    expect(await store.getSession(requestId, T + 5_000)).toBeUndefined();
  });

  it('gives a LoginId to exactly one of many concurrent claimants, for good', async () => {
    const loginId = randomUUID().toUpperCase();
    const principals = Array.from({ length: 20 }, (_, i) => `claimant-${i}`);
    const owners = await Promise.all(
      principals.map((principal) =>
        store.claimLogin(
          { loginId, principal, institution: 'FlinksCapital', username: 'x', lastRefresh: null },
          T,
        ),
      ),
    );
    const owner = owners[0] as string;
    expect(principals).toContain(owner);
    expect(new Set(owners)).toEqual(new Set([owner]));
    expect(await store.loginOwner(loginId.toLowerCase())).toBe(owner);
    expect(await store.loginOwner(loginId)).toBe(owner);
  });

  it('records what a list of a principal’s logins shows, most recently used first', async () => {
    const principal = `lister-${randomUUID()}`;
    const [a, b] = [randomUUID(), randomUUID()];
    const record = (loginId: string, lastRefresh: Date | null) => ({
      loginId,
      principal,
      institution: 'FlinksCapital',
      username: 'Greatday',
      lastRefresh,
    });
    await store.claimLogin(record(a, new Date(T - 5_000)), T);
    await store.claimLogin(record(b, null), T + 1_000);
    await store.claimLogin(record(a, new Date(T + 1_500)), T + 2_000);
    // Someone else's claim changes nothing.
    expect(await store.claimLogin({ ...record(a, null), principal: 'mallory' }, T + 3_000)).toBe(
      principal,
    );
    expect(await store.logins(principal)).toEqual([
      {
        loginId: a,
        principal,
        institution: 'FlinksCapital',
        username: 'Greatday',
        lastRefresh: new Date(T + 1_500),
        connectedAt: new Date(T),
        lastUsedAt: new Date(T + 2_000),
      },
      {
        loginId: b,
        principal,
        institution: 'FlinksCapital',
        username: 'Greatday',
        lastRefresh: null,
        connectedAt: new Date(T + 1_000),
        lastUsedAt: new Date(T + 1_000),
      },
    ]);
  });

  it('settles a success in one step: the claim, and the session only for the owner when asked', async () => {
    const loginId = randomUUID();
    const record = (principal: string) => ({
      loginId,
      principal,
      institution: 'FlinksCapital',
      username: 'Greatday',
      lastRefresh: null,
    });
    const grant = (principal: string) => ({
      requestId: randomUUID(),
      principal,
      expiresAt: T + 60_000,
    });
    const alices = grant('alice');
    expect(await store.settleSuccess(record('alice'), alices, { ownerOnly: true, now: T })).toBe(
      'alice',
    );
    expect(await store.getSession(alices.requestId, T)).toEqual(alices);
    // By LoginId, someone else's gets no session; with credentials it does, the LoginId stays.
    const byLoginId = grant('bob');
    expect(await store.settleSuccess(record('bob'), byLoginId, { ownerOnly: true, now: T })).toBe(
      'alice',
    );
    expect(await store.getSession(byLoginId.requestId, T)).toBeUndefined();
    const byCredentials = grant('bob');
    expect(
      await store.settleSuccess(record('bob'), byCredentials, { ownerOnly: false, now: T }),
    ).toBe('alice');
    expect(await store.getSession(byCredentials.requestId, T)).toEqual(byCredentials);
    expect(await store.loginOwner(loginId)).toBe('alice');
    expect((await store.logins('alice'))[0]).toMatchObject({ loginId, lastUsedAt: new Date(T) });
    expect(await store.logins('bob')).toEqual([]);
  });

  it('lets exactly one of concurrent deletions of a LoginId take the lease, and only its owner', async () => {
    const loginId = randomUUID();
    const record = {
      loginId,
      principal: 'alice',
      institution: null,
      username: null,
      lastRefresh: null,
    };
    await store.claimLogin(record, T);
    const options = { now: T, leaseMs: 60_000 };
    expect(await store.beginDeleteLogin(loginId, 'mallory', options)).toEqual({ status: 'none' });
    expect(await store.beginDeleteLogin(randomUUID(), 'alice', options)).toEqual({
      status: 'none',
    });
    const leases = await Promise.all(
      Array.from({ length: 20 }, () =>
        store.beginDeleteLogin(loginId.toUpperCase(), 'alice', options),
      ),
    );
    expect(leases.filter((lease) => lease.status === 'open')).toHaveLength(1);
    expect(leases.filter((lease) => lease.status === 'busy')).toEqual(
      Array(19).fill({ status: 'busy', untilMs: T + 60_000 }),
    );
    // Given back (Flinks refused), or run out: the next deletion may go.
    await store.endDeleteLogin(loginId, 'mallory');
    expect((await store.beginDeleteLogin(loginId, 'alice', options)).status).toBe('busy');
    await store.endDeleteLogin(loginId, 'alice');
    expect((await store.beginDeleteLogin(loginId, 'alice', options)).status).toBe('open');
    const later = { now: T + 60_000, leaseMs: 60_000 };
    expect((await store.beginDeleteLogin(loginId, 'alice', later)).status).toBe('open');
    expect(await store.loginOwner(loginId)).toBe('alice');
  });

  it('forgets a deleted LoginId with its owner’s sessions and rounds on it, and keeps a tombstone', async () => {
    const loginId = randomUUID();
    const other = randomUUID();
    const principal = `deleter-${randomUUID()}`;
    const record = (id: string) => ({
      loginId: id,
      principal,
      institution: 'FlinksCapital',
      username: 'Greatday',
      lastRefresh: null,
    });
    const grant = (owner: string, login: string | null) => ({
      requestId: randomUUID(),
      principal: owner,
      loginId: login,
      expiresAt: T + 60_000,
    });
    const settled = grant(principal, loginId);
    await store.settleSuccess(record(loginId), settled, { ownerOnly: true, now: T });
    await store.claimLogin(record(other), T + 1_000);
    const cached = grant(principal, loginId.toUpperCase());
    const otherSession = grant(principal, other);
    const credentialsOfBob = grant('bob', loginId);
    for (const session of [cached, otherSession, credentialsOfBob]) await store.putSession(session);
    await store.putPendingDetail(cached.requestId, '{"days":"Days90"}', T + 60_000);
    const round = newRound({ principal, loginId: loginId.toUpperCase() });
    const otherRound = newRound({ principal, loginId: other });
    await store.putRound(round);
    await store.putRound(otherRound);

    expect(await store.forgetLogin(loginId, 'mallory', T + 2_000)).toBe(false);
    expect(await store.deletedLoginOwner(loginId)).toBeUndefined();
    expect(await store.forgetLogin(loginId.toUpperCase(), principal, T + 2_000)).toBe(true);

    expect(await store.loginOwner(loginId)).toBeUndefined();
    expect(await store.deletedLoginOwner(loginId)).toBe(principal);
    expect(await store.deletedLoginOwner(loginId.toUpperCase())).toBe(principal);
    expect((await store.logins(principal)).map((login) => login.loginId)).toEqual([other]);
    expect(await store.getSession(settled.requestId, T)).toBeUndefined();
    expect(await store.getSession(cached.requestId, T)).toBeUndefined();
    expect(await store.getPendingDetail(cached.requestId, T)).toBeUndefined();
    expect(await store.getRound(round.requestId, T)).toBeUndefined();
    // The rest stays: another LoginId's, and another principal's session (theirs to lose at Flinks).
    expect(await store.getSession(otherSession.requestId, T)).toMatchObject({ principal });
    expect(await store.getSession(credentialsOfBob.requestId, T)).toMatchObject({
      principal: 'bob',
    });
    expect(await store.getRound(otherRound.requestId, T)).toMatchObject({ loginId: other });
    // Forgetting twice changes nothing.
    expect(await store.forgetLogin(loginId, principal, T + 3_000)).toBe(false);
    expect(await store.deletedLoginOwner(loginId)).toBe(principal);
  });

  it('lifts a tombstone when Flinks proves the LoginId exists again', async () => {
    const loginId = randomUUID();
    const record = (principal: string) => ({
      loginId,
      principal,
      institution: null,
      username: null,
      lastRefresh: null,
    });
    await store.claimLogin(record('alice'), T);
    await store.forgetLogin(loginId, 'alice', T + 1_000);
    expect(await store.deletedLoginOwner(loginId)).toBe('alice');
    const grant = { requestId: randomUUID(), principal: 'bob', loginId, expiresAt: T + 60_000 };
    expect(
      await store.settleSuccess(record('bob'), grant, { ownerOnly: false, now: T + 2_000 }),
    ).toBe('bob');
    expect(await store.deletedLoginOwner(loginId)).toBeUndefined();
    expect(await store.loginOwner(loginId)).toBe('bob');
  });

  it('remembers a pending account-detail poll until it expires or is done', async () => {
    const requestId = randomUUID();
    expect(await store.getPendingDetail(requestId, T)).toBeUndefined();
    await store.putPendingDetail(requestId, '{"days":"Days90"}', T + 1_000);
    expect(await store.getPendingDetail(requestId, T)).toBe('{"days":"Days90"}');
    expect(await store.getPendingDetail(requestId, T + 1_000)).toBeUndefined();
    await store.putPendingDetail(requestId, '{"days":"Days365"}', T + 1_000);
    await store.deletePendingDetail(requestId);
    expect(await store.getPendingDetail(requestId, T)).toBeUndefined();
  });

  it('allows exactly the capacity to concurrent takes, then refills at capacity per minute', async () => {
    const key = `bucket-${randomUUID()}`;
    const takes = await Promise.all(Array.from({ length: 50 }, () => store.takeToken(key, 30, T)));
    expect(takes.filter((take) => take.allowed)).toHaveLength(30);
    expect((await store.takeToken(key, 30, T + 1_000)).allowed).toBe(false);
    // 30 per minute is one every 2 s.
    expect((await store.takeToken(key, 30, T + 2_000)).allowed).toBe(true);
    expect((await store.takeToken(key, 30, T + 2_000)).allowed).toBe(false);
    expect((await store.takeToken(`other-${key}`, 30, T)).allowed).toBe(true);
  });

  it('is ready', async () => {
    expect(await store.ready()).toBe(true);
  });
});

describe('MemoryStore bounds', () => {
  const imageRound = () =>
    newRound({
      challenges: [
        { type: 'ImageSelection', prompt: 'Select your image', iterables: [...SECURITY_IMAGES] },
      ],
    });

  it('holds at most maxBytes, dropping the least recently written first', async () => {
    const one = imageRound();
    const probe = new MemoryStore({ sweepIntervalMs: 0 });
    await probe.putRound(one);
    const perRound = probe.bytes;
    expect(perRound).toBeGreaterThan(SECURITY_IMAGES.join('').length);

    const store = new MemoryStore({ maxBytes: perRound * 10, sweepIntervalMs: 0 });
    const rounds = Array.from({ length: 25 }, imageRound);
    for (const round of rounds) await store.putRound(round);
    expect(store.bytes).toBeLessThanOrEqual(perRound * 10);
    expect(store.size).toBe(10);
    expect(await store.getRound((rounds[14] as NewMfaRound).requestId, T)).toBeUndefined();
    expect(await store.getRound((rounds[15] as NewMfaRound).requestId, T)).toBeDefined();
  });

  it('sweeps expired entries without being asked for them', async () => {
    let now = T;
    const store = new MemoryStore({ sweepIntervalMs: 5, now: () => now });
    await store.putRound(imageRound());
    await store.putSession({ requestId: 'r1', principal: 'alice', expiresAt: T + 1_000 });
    await store.takeToken('alice', 30, T);
    expect(store.size).toBe(3);
    now = T + 8 * 60_000;
    await expect.poll(() => store.size, { interval: 5, timeout: 5_000 }).toBe(0);
    expect(store.bytes).toBe(0);
    await store.close();
  });
});

describe('PostgresStore', () => {
  it('applies migrations once when two replicas start at the same moment', async () => {
    const url = await postgres.createDatabase('migrations');
    const stores = await Promise.all([
      PostgresStore.open({ url, sweepIntervalMs: 0 }),
      PostgresStore.open({ url, sweepIntervalMs: 0 }),
    ]);
    try {
      const { rows } = await (stores[0] as PostgresStore).pool.query(
        'SELECT version, name FROM gateway_schema_migrations',
      );
      expect(rows).toEqual([
        { version: 1, name: '0001_shared_state.sql' },
        { version: 2, name: '0002_login_lifecycle.sql' },
      ]);
      expect(await migrate((stores[1] as PostgresStore).pool)).toEqual([]);
    } finally {
      await Promise.all(stores.map((store) => store.close()));
    }
  });

  it('deletes expired rows in bounded batches and keeps live ones', async () => {
    const url = await postgres.createDatabase('sweep');
    const store = await PostgresStore.open({ url, sweepIntervalMs: 0, sweepBatch: 2 });
    try {
      for (let i = 0; i < 5; i += 1) await store.putRound(newRound({ expiresAt: T + i }));
      const live = newRound();
      await store.putRound(live);
      await store.putSession({ requestId: 's', principal: 'alice', expiresAt: T - 1 });
      await store.takeToken('alice', 30, T - 61_000);
      await store.takeToken('bob', 30, T);
      expect(await store.sweep(T + 10)).toBe(7);
      const { rows } = await store.pool.query('SELECT request_id FROM gateway_mfa_rounds');
      expect(rows).toEqual([{ request_id: live.requestId }]);
      const buckets = await store.pool.query('SELECT key FROM gateway_rate_limits');
      expect(buckets.rows).toEqual([{ key: 'bob' }]);
    } finally {
      await store.close();
    }
  });

  it('fails closed with ServiceUnavailableError, not a hang, while the server answers nothing', async () => {
    const round = newRound();
    await postgresStore.putRound(round);
    await postgres.freeze();
    try {
      // A pooled connection waits for its answer up to the timeout; a new one for its handshake.
      const calls = await Promise.allSettled(
        Array.from({ length: 12 }, () => postgresStore.getRound(round.requestId, T)),
      );
      for (const call of calls) {
        expect(call.status === 'rejected' && call.reason).toBeInstanceOf(ServiceUnavailableError);
      }
      expect(await postgresStore.ready()).toBe(false);
    } finally {
      await postgres.thaw();
    }
    await expect.poll(() => postgresStore.ready(), { interval: 100, timeout: 10_000 }).toBe(true);
    expect(await postgresStore.getRound(round.requestId, T)).toMatchObject({
      requestId: round.requestId,
    });
  });

  it('fails closed with ServiceUnavailableError while the server is down, then reconnects', async () => {
    const round = newRound();
    await postgresStore.putRound(round);
    await postgres.stop('immediate');
    try {
      await expect(postgresStore.getRound(round.requestId, T)).rejects.toBeInstanceOf(
        ServiceUnavailableError,
      );
      await expect(
        postgresStore.claimLogin(
          { loginId: 'x', principal: 'a', institution: null, username: null, lastRefresh: null },
          T,
        ),
      ).rejects.toMatchObject({
        code: 'SERVICE_UNAVAILABLE',
        retryable: true,
      });
      expect(await postgresStore.ready()).toBe(false);
    } finally {
      await postgres.start();
    }
    expect(await postgresStore.ready()).toBe(true);
    expect(await postgresStore.getRound(round.requestId, T)).toMatchObject({
      requestId: round.requestId,
    });
  });
});
