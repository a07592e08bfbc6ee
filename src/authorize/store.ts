import type { SecurityChallenge } from '../flinks/types.ts';

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

/**
 * What the gateway remembers between calls: open MFA rounds, and which principal owns each
 * LoginId. In memory by default; a shared, persistent implementation (Redis, a database) lets
 * several gateway instances serve one conversation and keeps ownership across restarts.
 */
export interface GatewayStore {
  getRound(requestId: string): Promise<MfaRound | undefined>;
  /** Inserts or replaces the round of `round.requestId`. */
  putRound(round: MfaRound): Promise<void>;
  deleteRound(requestId: string): Promise<void>;
  loginOwner(loginId: string): Promise<string | undefined>;
  /**
   * Makes `principal` the owner of `loginId` unless it already has one, atomically, and returns
   * the owner: `principal` when the claim held.
   */
  claimLogin(loginId: string, principal: string): Promise<string>;
}

export interface MemoryStoreOptions {
  /** Most open rounds kept; the oldest go first beyond it. */
  maxRounds?: number;
  now?: () => number;
}

export class MemoryStore implements GatewayStore {
  // A Map iterates in insertion order and putRound() re-inserts; every round gets the same TTL,
  // so the first entries are the first to expire.
  readonly #rounds = new Map<string, MfaRound>();
  // Never evicted: forgetting an owner would hand the LoginId to the next caller who asks.
  readonly #loginOwners = new Map<string, string>();
  readonly #maxRounds: number;
  readonly #now: () => number;

  constructor(options: MemoryStoreOptions = {}) {
    this.#maxRounds = options.maxRounds ?? 100_000;
    this.#now = options.now ?? Date.now;
  }

  get roundCount(): number {
    return this.#rounds.size;
  }

  async getRound(requestId: string): Promise<MfaRound | undefined> {
    const round = this.#rounds.get(requestId);
    if (round && round.expiresAt <= this.#now()) {
      this.#rounds.delete(requestId);
      return undefined;
    }
    return round;
  }

  async putRound(round: MfaRound): Promise<void> {
    this.#rounds.delete(round.requestId);
    this.#rounds.set(round.requestId, round);
    this.#sweep();
  }

  async deleteRound(requestId: string): Promise<void> {
    this.#rounds.delete(requestId);
  }

  async loginOwner(loginId: string): Promise<string | undefined> {
    return this.#loginOwners.get(loginId.toLowerCase());
  }

  async claimLogin(loginId: string, principal: string): Promise<string> {
    const key = loginId.toLowerCase();
    const owner = this.#loginOwners.get(key);
    if (owner !== undefined) return owner;
    this.#loginOwners.set(key, principal);
    return principal;
  }

  #sweep(): void {
    const now = this.#now();
    for (const [requestId, round] of this.#rounds) {
      if (round.expiresAt > now && this.#rounds.size <= this.#maxRounds) break;
      this.#rounds.delete(requestId);
    }
  }
}
