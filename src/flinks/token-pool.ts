export interface TokenPoolOptions {
  /** Mints one token (`/GenerateAuthorizeToken`). */
  mint: (signal?: AbortSignal) => Promise<string>;
  /** Most tokens kept ready. 0 turns prefetching off: every take mints inline. */
  maxSize?: number;
  /** Most background mints at once. */
  maxConcurrentMints?: number;
  /**
   * Oldest token handed out, in ms. Flinks' tokens expire 30 minutes after issue (one page says
   * 15): discarding them at 10 keeps well clear of either.
   */
  maxAgeMs?: number;
  /** Window over which demand is measured. */
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
 * instead of two. Each token is handed out once. The pool keeps ready what the recent demand will
 * take while the next mints are under way (takes per second × mint time, twice over, plus one),
 * refills in the background with a few mints at once, and falls back to minting inline when empty.
 */
export class TokenPool {
  readonly #mint: TokenPoolOptions['mint'];
  readonly #maxSize: number;
  readonly #maxConcurrentMints: number;
  readonly #maxAgeMs: number;
  readonly #demandWindowMs: number;
  readonly #now: () => number;
  readonly #onError: (error: unknown) => void;
  readonly #ready: Token[] = [];
  // Demand in two fixed windows: the current one and the one before it.
  #windowStart = 0;
  #takesNow = 0;
  #takesBefore = 0;
  /** Smoothed duration of a background mint, in ms. */
  #mintMs = 0;
  #minting = 0;
  #closed = false;

  constructor(options: TokenPoolOptions) {
    this.#mint = options.mint;
    this.#maxSize = options.maxSize ?? 64;
    this.#maxConcurrentMints = options.maxConcurrentMints ?? 8;
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
    const takes = Math.max(this.#takesNow, this.#takesBefore);
    if (takes === 0) return 0;
    const perMs = takes / this.#demandWindowMs;
    return Math.min(this.#maxSize, Math.ceil(perMs * this.#mintMs * 2) + 1);
  }

  #refill(): void {
    if (this.#closed) return;
    const wanted = Math.min(
      this.#target() - this.#ready.length - this.#minting,
      this.#maxConcurrentMints - this.#minting,
    );
    for (let i = 0; i < wanted; i++) this.#mintOne();
  }

  #mintOne(): void {
    this.#minting++;
    const started = this.#now();
    this.#mint()
      .then(
        (value) => {
          const took = this.#now() - started;
          this.#mintMs = this.#mintMs === 0 ? took : this.#mintMs * 0.8 + took * 0.2;
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
        // After a failure the pool waits for the next take rather than hammering Flinks.
        if (minted) this.#refill();
      });
  }
}
