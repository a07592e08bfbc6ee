export interface TokenPoolOptions {
  /** Mints one token (`/GenerateAuthorizeToken`). */
  mint: (signal?: AbortSignal) => Promise<string>;
  /** Most tokens kept ready. 0 turns prefetching off: every take mints inline. */
  maxSize?: number;
  /**
   * Oldest token handed out, in ms. Flinks' tokens expire 30 minutes after issue (one page says
   * 15): discarding them at 10 keeps well clear of either.
   */
  maxAgeMs?: number;
  /** Window of recent demand that sizes the pool. */
  demandWindowMs?: number;
  now?: () => number;
  onError?: (error: unknown) => void;
}

interface Token {
  value: string;
  mintedAt: number;
}

/**
 * A few pre-minted one-time /Authorize tokens, so the hot path makes one upstream round trip
 * instead of two. Each token is handed out once. The pool refills in the background to the number
 * of tokens taken in the last `demandWindowMs` (at least one once there is demand, at most
 * `maxSize`), and falls back to minting inline when empty.
 */
export class TokenPool {
  readonly #mint: TokenPoolOptions['mint'];
  readonly #maxSize: number;
  readonly #maxAgeMs: number;
  readonly #demandWindowMs: number;
  readonly #now: () => number;
  readonly #onError: (error: unknown) => void;
  readonly #ready: Token[] = [];
  // Demand in two fixed windows: the current one and the one before it.
  #windowStart = 0;
  #takesNow = 0;
  #takesBefore = 0;
  #minting = 0;
  #closed = false;

  constructor(options: TokenPoolOptions) {
    this.#mint = options.mint;
    this.#maxSize = options.maxSize ?? 8;
    this.#maxAgeMs = options.maxAgeMs ?? 10 * 60_000;
    this.#demandWindowMs = options.demandWindowMs ?? 10_000;
    this.#now = options.now ?? Date.now;
    this.#onError = options.onError ?? (() => {});
  }

  /** Tokens ready now. */
  get size(): number {
    return this.#ready.length;
  }

  /** A fresh, never-used token: from the pool, or minted now. */
  async take(signal?: AbortSignal): Promise<string> {
    const now = this.#now();
    this.#roll(now);
    this.#takesNow++;
    while (this.#ready.length > 0 && (this.#ready[0] as Token).mintedAt <= now - this.#maxAgeMs) {
      this.#ready.shift();
    }
    const token = this.#ready.shift();
    this.#refill();
    return token ? token.value : this.#mint(signal);
  }

  /** Stops refilling and drops the tokens held. */
  close(): void {
    this.#closed = true;
    this.#ready.length = 0;
  }

  #roll(now: number): void {
    const elapsed = now - this.#windowStart;
    if (elapsed < this.#demandWindowMs) return;
    this.#takesBefore = elapsed < 2 * this.#demandWindowMs ? this.#takesNow : 0;
    this.#takesNow = 0;
    this.#windowStart = now - (elapsed % this.#demandWindowMs);
  }

  #target(): number {
    this.#roll(this.#now());
    return Math.min(this.#maxSize, Math.max(this.#takesNow, this.#takesBefore));
  }

  #refill(): void {
    if (this.#closed || this.#minting > 0) return;
    const missing = this.#target() - this.#ready.length;
    if (missing <= 0) return;
    // One mint at a time: a burst of demand is met inline, not by a burst of background mints.
    this.#minting++;
    this.#mint()
      .then(
        (value) => {
          if (!this.#closed) this.#ready.push({ value, mintedAt: this.#now() });
          return true;
        },
        (error: unknown) => {
          this.#onError(error);
          return false;
        },
      )
      .then((minted) => {
        this.#minting--;
        if (minted) this.#refill();
      });
  }
}
