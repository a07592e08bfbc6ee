import { randomUUID } from 'node:crypto';
import type {
  AnswerLease,
  DeleteLease,
  GatewayStore,
  LoginRecord,
  MfaRound,
  NewMfaRound,
  OwnedLogin,
  SessionGrant,
  TokenTake,
} from './index.ts';
import { ExpiringSlots, sizeOf } from './memory-slots.ts';

export interface MemoryStoreOptions {
  /**
   * Most bytes (estimated from the strings and numbers held) of open rounds, sessions, pending
   * polls and rate-limit buckets together; past it the least recently written go first.
   * Default 64 MiB.
   */
  maxBytes?: number;
  /** How often expired entries are swept; 0 never (then `sweep()` by hand). Default 30 s. */
  sweepIntervalMs?: number;
  /** The sweep's clock. */
  now?: () => number;
}

export const MEMORY_STORE_MAX_BYTES = 64 * 1024 * 1024;

interface RoundEntry {
  round: MfaRound;
  leaseId: string | null;
  answeringUntil: number;
}

interface Bucket {
  tokens: number;
  updatedAt: number;
  capacity: number;
}

type Value =
  | { kind: 'round'; entry: RoundEntry }
  | { kind: 'session'; grant: SessionGrant }
  | { kind: 'pending'; optionsKey: string }
  | { kind: 'bucket'; bucket: Bucket };

/**
 * The store of one process: what a development run or a single instance needs. The same rules
 * as the PostgreSQL store (one lease per round, atomic counts and claims), each a synchronous
 * step between two awaits. Bounded by bytes, not entries: one image round holds the 16 images
 * Flinks sent (tens of kilobytes) once, as they came, and weighs what it holds.
 */
export class MemoryStore implements GatewayStore {
  readonly maxBytes: number;
  readonly #slots: ExpiringSlots<Value>;
  // Never evicted: forgetting an owner would hand the LoginId to the next caller who asks.
  readonly #logins = new Map<string, OwnedLogin>();
  /** LoginId -> until when a deletion of it is at Flinks. */
  readonly #deleting = new Map<string, number>();
  /** LoginId -> the principal who deleted it: one small entry per deleted login, like owners. */
  readonly #deleted = new Map<string, string>();
  readonly #timer: NodeJS.Timeout | null;

  constructor(options: MemoryStoreOptions = {}) {
    this.maxBytes = options.maxBytes ?? MEMORY_STORE_MAX_BYTES;
    this.#slots = new ExpiringSlots(this.maxBytes);
    const now = options.now ?? Date.now;
    const every = options.sweepIntervalMs ?? 30_000;
    this.#timer = every > 0 ? setInterval(() => this.sweep(now()), every).unref() : null;
  }

  /** Estimated bytes held by rounds, sessions, pending polls and buckets. */
  get bytes(): number {
    return this.#slots.bytes;
  }

  /** Entries held by rounds, sessions, pending polls and buckets. */
  get size(): number {
    return this.#slots.size;
  }

  /** Forgets every expired entry; returns how many. */
  sweep(now: number): number {
    return this.#slots.sweep(now);
  }

  async getRound(requestId: string, now: number) {
    return this.#slots.live('r', requestId, now, 'round')?.entry.round;
  }

  async putRound(round: NewMfaRound) {
    const entry: RoundEntry = {
      round: { ...round, wrongAnswers: 0 },
      leaseId: null,
      answeringUntil: 0,
    };
    this.#slots.set(
      `r${round.requestId}`,
      { kind: 'round', entry },
      round.expiresAt,
      sizeOf(round),
    );
  }

  async deleteRound(requestId: string) {
    this.#slots.delete(`r${requestId}`);
  }

  async beginAnswer(
    requestId: string,
    principal: string,
    options: { now: number; leaseMs: number; maxWrongAnswers: number },
  ): Promise<AnswerLease> {
    const entry = this.#slots.live('r', requestId, options.now, 'round')?.entry;
    if (
      !entry ||
      entry.round.principal !== principal ||
      entry.round.wrongAnswers >= options.maxWrongAnswers
    ) {
      return { status: 'none' };
    }
    if (entry.answeringUntil > options.now)
      return { status: 'busy', untilMs: entry.answeringUntil };
    entry.leaseId = randomUUID();
    entry.answeringUntil = options.now + options.leaseMs;
    return { status: 'open', leaseId: entry.leaseId, round: entry.round };
  }

  async endAnswer(requestId: string, leaseId: string) {
    const entry = this.#slots.get('r', requestId, 'round')?.entry;
    if (entry?.leaseId !== leaseId) return;
    entry.leaseId = null;
    entry.answeringUntil = 0;
  }

  async recordWrongAnswer(requestId: string, leaseId: string, expiresAt: number) {
    const key = `r${requestId}`;
    const slot = this.#slots.slot(key);
    if (slot?.value.kind !== 'round' || slot.value.entry.leaseId !== leaseId) return 0;
    const { entry } = slot.value;
    entry.round.wrongAnswers += 1;
    entry.round.expiresAt = expiresAt;
    entry.leaseId = null;
    entry.answeringUntil = 0;
    slot.expiresAt = expiresAt;
    return entry.round.wrongAnswers;
  }

  async getSession(requestId: string, now: number): Promise<SessionGrant | undefined> {
    const grant = this.#slots.live('s', requestId, now, 'session')?.grant;
    return grant && { requestId, principal: grant.principal, expiresAt: grant.expiresAt };
  }

  async putSession(grant: SessionGrant) {
    const held = { ...grant, loginId: grant.loginId?.toLowerCase() ?? null };
    this.#slots.set(
      `s${grant.requestId}`,
      { kind: 'session', grant: held },
      grant.expiresAt,
      sizeOf(held),
    );
  }

  async touchSession(requestId: string, principal: string, now: number, expiresAt: number) {
    const grant = this.#slots.live('s', requestId, now, 'session')?.grant;
    if (!grant || grant.principal !== principal) return false;
    // Kept whole, its LoginId included.
    await this.putSession({ ...grant, expiresAt });
    return true;
  }

  async loginOwner(loginId: string) {
    return this.#logins.get(loginId.toLowerCase())?.principal;
  }

  async claimLogin(record: LoginRecord, now: number) {
    const key = record.loginId.toLowerCase();
    const known = this.#logins.get(key);
    if (known && known.principal !== record.principal) return known.principal;
    this.#deleted.delete(key);
    this.#logins.set(key, {
      ...record,
      loginId: key,
      connectedAt: known?.connectedAt ?? new Date(now),
      lastUsedAt: new Date(now),
    });
    return record.principal;
  }

  async settleSuccess(
    record: LoginRecord,
    grant: SessionGrant,
    options: { ownerOnly: boolean; now: number },
  ) {
    const owner = await this.claimLogin(record, options.now);
    if (owner === record.principal || !options.ownerOnly) await this.putSession(grant);
    return owner;
  }

  async logins(principal: string) {
    return [...this.#logins.values()]
      .filter((login) => login.principal === principal)
      .sort((a, b) => b.lastUsedAt.getTime() - a.lastUsedAt.getTime());
  }

  async beginDeleteLogin(
    loginId: string,
    principal: string,
    options: { now: number; leaseMs: number },
  ): Promise<DeleteLease> {
    const key = loginId.toLowerCase();
    if (this.#logins.get(key)?.principal !== principal) return { status: 'none' };
    const until = this.#deleting.get(key) ?? 0;
    if (until > options.now) return { status: 'busy', untilMs: until };
    this.#deleting.set(key, options.now + options.leaseMs);
    return { status: 'open' };
  }

  async endDeleteLogin(loginId: string, principal: string) {
    const key = loginId.toLowerCase();
    if (this.#logins.get(key)?.principal === principal) this.#deleting.delete(key);
  }

  async forgetLogin(loginId: string, principal: string, _now: number) {
    const key = loginId.toLowerCase();
    if (this.#logins.get(key)?.principal !== principal) return false;
    this.#logins.delete(key);
    this.#deleting.delete(key);
    this.#deleted.set(key, principal);
    // A scan of every entry: deletions are rare, and entries hold no index by LoginId.
    for (const [slotKey, slot] of this.#slots.entries()) {
      const { value } = slot;
      const owned =
        (value.kind === 'session' &&
          value.grant.principal === principal &&
          value.grant.loginId === key) ||
        (value.kind === 'round' &&
          value.entry.round.principal === principal &&
          value.entry.round.loginId?.toLowerCase() === key);
      if (!owned) continue;
      this.#slots.remove(slotKey, slot);
      if (value.kind === 'session') this.#slots.delete(`p${value.grant.requestId}`);
    }
    return true;
  }

  async deletedLoginOwner(loginId: string) {
    return this.#deleted.get(loginId.toLowerCase());
  }

  async getPendingDetail(requestId: string, now: number) {
    return this.#slots.live('p', requestId, now, 'pending')?.optionsKey;
  }

  async putPendingDetail(requestId: string, optionsKey: string, expiresAt: number) {
    this.#slots.set(
      `p${requestId}`,
      { kind: 'pending', optionsKey },
      expiresAt,
      sizeOf(requestId) + sizeOf(optionsKey),
    );
  }

  async deletePendingDetail(requestId: string) {
    this.#slots.delete(`p${requestId}`);
  }

  async takeToken(key: string, capacity: number, now: number): Promise<TokenTake> {
    const perMs = capacity / 60_000;
    const held = this.#slots.get('b', key, 'bucket')?.bucket;
    const refilled = held
      ? Math.min(capacity, held.tokens + Math.max(0, now - held.updatedAt) * perMs)
      : capacity;
    const allowed = refilled >= 1;
    const bucket: Bucket = {
      tokens: allowed ? refilled - 1 : refilled,
      updatedAt: Math.max(now, held?.updatedAt ?? now),
      capacity,
    };
    // A bucket that is full again is the same as none: it expires then.
    const fullAt = bucket.updatedAt + (capacity - bucket.tokens) / perMs;
    this.#slots.set(`b${key}`, { kind: 'bucket', bucket }, fullAt, sizeOf(key) + 24);
    return { allowed, tokens: bucket.tokens };
  }

  async ready() {
    return true;
  }

  async close() {
    if (this.#timer) clearInterval(this.#timer);
  }
}
