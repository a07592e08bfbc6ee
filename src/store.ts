import type { SecurityChallenge } from './flinks/types.ts';

/** One open MFA round: what Flinks asked, for whom, until when. */
export interface MfaRound {
  requestId: string;
  /** The caller who opened the round; no one else may answer it. */
  principal: string;
  /** The LoginId a refresh round was opened on; null for credentials. */
  loginId: string | null;
  challenges: SecurityChallenge[];
  /** Answers Flinks refused in this round so far. */
  wrongAnswers: number;
  /** Epoch milliseconds after which the round is forgotten. */
  expiresAt: number;
}

/** A RequestId lives 30 minutes without activity during data processing (FACTS.md, Lifetimes). */
export const SESSION_TTL_MS = 30 * 60 * 1000;

/** An authorized Flinks session (a RequestId whose data may be read) and its owner. */
export interface SessionGrant {
  requestId: string;
  principal: string;
  expiresAt: number;
}

/**
 * What the gateway remembers between calls: open MFA rounds, the owner of each authorized
 * RequestId, and the owner of each LoginId. In memory by default; a shared, persistent
 * implementation (Redis, a database) lets several gateway instances serve one conversation and
 * keeps ownership across restarts.
 */
export interface GatewayStore {
  getRound(requestId: string): Promise<MfaRound | undefined>;
  /** Inserts or replaces the round of `round.requestId`. */
  putRound(round: MfaRound): Promise<void>;
  deleteRound(requestId: string): Promise<void>;
  getSession(requestId: string): Promise<SessionGrant | undefined>;
  /** Inserts or replaces (so extends) the grant of `grant.requestId`. */
  putSession(grant: SessionGrant): Promise<void>;
  loginOwner(loginId: string): Promise<string | undefined>;
  /**
   * Makes `principal` the owner of `loginId` unless it already has one, atomically, and returns
   * the owner: `principal` when the claim held.
   */
  claimLogin(loginId: string, principal: string): Promise<string>;
  /** Whether the store can serve now (a database reachable, say); `/readiness` asks it. */
  ready?(): Promise<boolean>;
}

export interface MemoryStoreOptions {
  /** Most open rounds, and most sessions, kept; the oldest go first beyond it. */
  maxEntries?: number;
  now?: () => number;
}

export class MemoryStore implements GatewayStore {
  readonly #rounds: ExpiringMap<MfaRound>;
  readonly #sessions: ExpiringMap<SessionGrant>;
  // Never evicted: forgetting an owner would hand the LoginId to the next caller who asks.
  readonly #loginOwners = new Map<string, string>();

  constructor(options: MemoryStoreOptions = {}) {
    const now = options.now ?? Date.now;
    const maxEntries = options.maxEntries ?? 100_000;
    this.#rounds = new ExpiringMap(maxEntries, now);
    this.#sessions = new ExpiringMap(maxEntries, now);
  }

  async getRound(requestId: string) {
    return this.#rounds.get(requestId);
  }

  async putRound(round: MfaRound) {
    this.#rounds.set(round.requestId, round);
  }

  async deleteRound(requestId: string) {
    this.#rounds.delete(requestId);
  }

  async getSession(requestId: string) {
    return this.#sessions.get(requestId);
  }

  async putSession(grant: SessionGrant) {
    this.#sessions.set(grant.requestId, grant);
  }

  async loginOwner(loginId: string) {
    return this.#loginOwners.get(loginId.toLowerCase());
  }

  async claimLogin(loginId: string, principal: string) {
    const key = loginId.toLowerCase();
    const owner = this.#loginOwners.get(key);
    if (owner !== undefined) return owner;
    this.#loginOwners.set(key, principal);
    return principal;
  }
}

/**
 * A bounded map whose entries expire. set() re-inserts, and every entry of one map gets the same
 * lifetime, so Map's insertion order is expiry order: sweeping stops at the first live entry.
 */
export class ExpiringMap<V extends { expiresAt: number }> {
  readonly #entries = new Map<string, V>();

  constructor(
    readonly maxEntries: number,
    readonly now: () => number,
  ) {}

  get(key: string): V | undefined {
    const value = this.#entries.get(key);
    if (value && value.expiresAt <= this.now()) {
      this.#entries.delete(key);
      return undefined;
    }
    return value;
  }

  set(key: string, value: V): void {
    this.#entries.delete(key);
    this.#entries.set(key, value);
    const now = this.now();
    for (const [oldest, entry] of this.#entries) {
      if (entry.expiresAt > now && this.#entries.size <= this.maxEntries) break;
      this.#entries.delete(oldest);
    }
  }

  delete(key: string): void {
    this.#entries.delete(key);
  }
}
