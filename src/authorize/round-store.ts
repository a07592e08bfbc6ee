import type { SecurityChallenge } from '../flinks/types.ts';

/** One open MFA round: what Flinks asked, for whom, until when. */
export interface MfaRound {
  requestId: string;
  /** The caller who opened the round; no one else may answer it. */
  principal: string;
  challenges: SecurityChallenge[];
  /** Epoch milliseconds after which the round is forgotten. */
  expiresAt: number;
}

/**
 * Where open MFA rounds live between `authorize` and `answerMfa`. In memory by default; a shared
 * implementation (Redis, say) lets several gateway instances serve one conversation.
 */
export interface RoundStore {
  get(requestId: string): Promise<MfaRound | undefined>;
  /** Inserts or replaces the round of `round.requestId`. */
  put(round: MfaRound): Promise<void>;
  delete(requestId: string): Promise<void>;
}

export interface MemoryRoundStoreOptions {
  /** Most rounds kept; the oldest go first beyond it. */
  maxRounds?: number;
  now?: () => number;
}

export class MemoryRoundStore implements RoundStore {
  // A Map iterates in insertion order and put() re-inserts, so the first entries expire first.
  readonly #rounds = new Map<string, MfaRound>();
  readonly #maxRounds: number;
  readonly #now: () => number;

  constructor(options: MemoryRoundStoreOptions = {}) {
    this.#maxRounds = options.maxRounds ?? 100_000;
    this.#now = options.now ?? Date.now;
  }

  get size(): number {
    return this.#rounds.size;
  }

  async get(requestId: string): Promise<MfaRound | undefined> {
    const round = this.#rounds.get(requestId);
    if (round && round.expiresAt <= this.#now()) {
      this.#rounds.delete(requestId);
      return undefined;
    }
    return round;
  }

  async put(round: MfaRound): Promise<void> {
    this.#rounds.delete(round.requestId);
    this.#rounds.set(round.requestId, round);
    this.#sweep();
  }

  async delete(requestId: string): Promise<void> {
    this.#rounds.delete(requestId);
  }

  #sweep(): void {
    const now = this.#now();
    for (const [requestId, round] of this.#rounds) {
      if (round.expiresAt > now && this.#rounds.size <= this.#maxRounds) break;
      this.#rounds.delete(requestId);
    }
  }
}
