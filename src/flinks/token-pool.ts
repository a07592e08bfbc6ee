import { ServiceUnavailableError } from '../errors.ts';

export interface TokenPoolOptions {
  /** Mints one token (`/GenerateAuthorizeToken`); the signal aborts when the pool closes. */
  mint: (signal: AbortSignal) => Promise<string>;
  /** Most tokens kept ready ahead of demand. 0 turns prefetching off: tokens are minted on demand. */
  maxSize?: number;
  /** Most mints in flight at once, for waiting callers and refills together. */
  maxConcurrentMints?: number;
  /**
   * Most callers waiting for a token at once. One more is refused at once with
   * ServiceUnavailableError (retryable, nothing sent to Flinks), rather than holding its request
   * in memory behind a queue it would wait minutes in.
   */
  maxWaiting?: number;
  /**
   * Oldest token handed out, in ms. Flinks' tokens expire 30 minutes after issue (one page says
   * 15): discarding them at 10 keeps well clear of either.
   */
  maxAgeMs?: number;
  /** Window over which demand is measured. */
  demandWindowMs?: number;
  now?: () => number;
  /** What a waiting caller whose signal aborted is rejected with; the signal's reason by default. */
  aborted?: (reason: unknown) => unknown;
  /** A mint failed and no caller was waiting for it. */
  onError?: (error: unknown) => void;
}

interface Token {
  value: string;
  mintedAt: number;
}

interface Waiter {
  resolve(token: string): void;
  reject(error: unknown): void;
  /** Settled: served, failed or aborted; skipped when its turn comes. */
  done: boolean;
  signal: AbortSignal | undefined;
  onAbort: (() => void) | undefined;
}

/**
 * One-time /Authorize tokens, each handed out once, so the hot path makes one upstream round trip
 * instead of two. The pool keeps ready what the recent demand will take while the next mints are
 * under way (takes per second × mint time, twice over, plus one). A caller that finds it empty
 * waits in line: at most `maxConcurrentMints` mints are in flight at once, for the waiters and the
 * refill together, and each token minted goes to the longest-waiting caller still there (one that
 * went away leaves the line; the token goes to the next, or into the pool). The line is bounded:
 * beyond `maxWaiting`, a caller is answered ServiceUnavailableError at once. A mint that fails
 * fails the caller at the head of the line with its error, as an inline mint would have.
 */
export class TokenPool {
  readonly #mint: TokenPoolOptions['mint'];
  readonly #maxSize: number;
  readonly #maxConcurrentMints: number;
  readonly #maxWaiting: number;
  readonly #maxAgeMs: number;
  readonly #demandWindowMs: number;
  readonly #now: () => number;
  readonly #onError: (error: unknown) => void;
  readonly #aborted: (reason: unknown) => unknown;
  readonly #ready: Token[] = [];
  // Waiters in arrival order; served from #head. Settled ones stay until their turn (O(1) abort).
  #line: Array<Waiter | undefined> = [];
  #head = 0;
  #waiting = 0;
  // Demand in two fixed windows: the current one and the one before it.
  #windowStart = 0;
  #takesNow = 0;
  #takesBefore = 0;
  /** Smoothed duration of a mint, in ms. */
  #mintMs = 0;
  #minting = 0;
  /** After a failed mint, no refill ahead of demand until the next take. */
  #refillPaused = false;
  #closed = false;
  /** Aborts the mints in flight at close: shutdown does not wait for Flinks to answer them. */
  readonly #stop = new AbortController();

  constructor(options: TokenPoolOptions) {
    this.#mint = options.mint;
    this.#maxSize = options.maxSize ?? 64;
    this.#maxConcurrentMints = Math.max(1, options.maxConcurrentMints ?? 8);
    this.#maxWaiting = options.maxWaiting ?? 4_096;
    this.#maxAgeMs = options.maxAgeMs ?? 10 * 60_000;
    this.#demandWindowMs = options.demandWindowMs ?? 10_000;
    this.#now = options.now ?? Date.now;
    this.#onError = options.onError ?? (() => {});
    this.#aborted = options.aborted ?? ((reason) => reason);
  }

  /** Tokens ready now. */
  get size(): number {
    return this.#ready.length;
  }

  /** Callers waiting for a token now. */
  get waiting(): number {
    return this.#waiting;
  }

  /** Mints in flight now. */
  get minting(): number {
    return this.#minting;
  }

  /**
   * A fresh, never-used token: from the pool, or the next one minted. Rejects with the signal's
   * reason when it aborts first, with ServiceUnavailableError when too many callers wait already,
   * or with the mint's error when the mint made for this caller fails.
   */
  take(signal?: AbortSignal): Promise<string> {
    if (this.#closed) return Promise.reject(closedError());
    if (signal?.aborted) return Promise.reject(this.#aborted(signal.reason));
    const now = this.#now();
    this.#refillPaused = false;
    const token = this.#fresh(now);
    if (token !== undefined) {
      this.#handedOut(now);
      this.#pump();
      return Promise.resolve(token);
    }
    if (this.#waiting >= this.#maxWaiting) {
      return Promise.reject(
        new ServiceUnavailableError(
          'The gateway has too many calls waiting for Flinks right now. Try again in a second.',
          { retryAfterSeconds: 1 },
        ),
      );
    }
    return new Promise<string>((resolve, reject) => {
      const waiter: Waiter = { resolve, reject, done: false, signal, onAbort: undefined };
      if (signal) {
        waiter.onAbort = () => {
          if (waiter.done) return;
          waiter.done = true;
          this.#waiting--;
          this.#compact();
          reject(this.#aborted(signal.reason));
        };
        signal.addEventListener('abort', waiter.onAbort, { once: true });
      }
      this.#line.push(waiter);
      this.#waiting++;
      this.#pump();
    });
  }

  /** Stops minting (the mints in flight are aborted), drops the tokens held, fails every waiting caller. */
  close(): void {
    this.#closed = true;
    this.#stop.abort(closedError());
    this.#ready.length = 0;
    for (let waiter = this.#next(); waiter; waiter = this.#next()) waiter.reject(closedError());
  }

  /** The oldest ready token that is not too old, or undefined; stale ones are dropped. */
  #fresh(now: number): string | undefined {
    while (this.#ready.length > 0 && (this.#ready[0] as Token).mintedAt <= now - this.#maxAgeMs) {
      this.#ready.shift();
    }
    return this.#ready.shift()?.value;
  }

  /** Takes the longest-waiting caller still waiting out of the line, settled as far as the line goes. */
  #next(): Waiter | undefined {
    while (this.#head < this.#line.length) {
      const waiter = this.#line[this.#head];
      this.#line[this.#head++] = undefined;
      if (this.#head > 1024 && this.#head * 2 > this.#line.length) {
        this.#line = this.#line.slice(this.#head);
        this.#head = 0;
      }
      if (waiter === undefined || waiter.done) continue;
      waiter.done = true;
      this.#waiting--;
      if (waiter.onAbort) waiter.signal?.removeEventListener('abort', waiter.onAbort);
      return waiter;
    }
    this.#line.length = 0;
    this.#head = 0;
    return undefined;
  }

  /**
   * Drops the settled waiters when they outnumber the live ones: callers that went away while no
   * mint completed (Flinks hung) would otherwise stay in the line until one does.
   */
  #compact(): void {
    if (this.#line.length - this.#head <= 2 * this.#waiting + 1024) return;
    this.#line = this.#line
      .slice(this.#head)
      .filter((waiter) => waiter !== undefined && !waiter.done);
    this.#head = 0;
  }

  /**
   * Demand is counted in tokens handed out, when they are: a line that takes longer than the
   * window to serve still counts as demand at its end.
   */
  #handedOut(now: number): void {
    this.#roll(now);
    this.#takesNow++;
  }

  #roll(now: number): void {
    const elapsed = now - this.#windowStart;
    if (elapsed < this.#demandWindowMs) return;
    this.#takesBefore = elapsed < 2 * this.#demandWindowMs ? this.#takesNow : 0;
    this.#takesNow = 0;
    this.#windowStart = now - (elapsed % this.#demandWindowMs);
  }

  /** Tokens to keep ready ahead of demand. */
  #target(): number {
    if (this.#refillPaused) return 0;
    this.#roll(this.#now());
    const takes = Math.max(this.#takesNow, this.#takesBefore);
    if (takes === 0) return 0;
    const perMs = takes / this.#demandWindowMs;
    return Math.min(this.#maxSize, Math.ceil(perMs * this.#mintMs * 2) + 1);
  }

  /** Starts the mints the waiting callers and the refill need, within `maxConcurrentMints`. */
  #pump(): void {
    if (this.#closed) return;
    const wanted = Math.min(
      this.#waiting + Math.max(0, this.#target() - this.#ready.length) - this.#minting,
      this.#maxConcurrentMints - this.#minting,
    );
    for (let i = 0; i < wanted; i++) this.#mintOne();
  }

  #mintOne(): void {
    this.#minting++;
    const started = this.#now();
    this.#mint(this.#stop.signal).then(
      (value) => {
        this.#minting--;
        if (this.#closed) return;
        const now = this.#now();
        const took = now - started;
        this.#mintMs = this.#mintMs === 0 ? took : this.#mintMs * 0.8 + took * 0.2;
        const waiter = this.#next();
        if (waiter) {
          this.#handedOut(now);
          waiter.resolve(value);
        } else this.#ready.push({ value, mintedAt: now });
        this.#pump();
      },
      (error: unknown) => {
        this.#minting--;
        if (this.#closed) return;
        // Not hammering Flinks ahead of demand after a failure: refills wait for the next take.
        this.#refillPaused = true;
        const waiter = this.#next();
        if (waiter) waiter.reject(error);
        else this.#onError(error);
        this.#pump();
      },
    );
  }
}

function closedError(): Error {
  return new DOMException('The Flinks client is closed.', 'AbortError');
}
