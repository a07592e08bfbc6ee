import { RateLimitedError } from '../errors.ts';

export interface RateLimiterOptions {
  /** Calls allowed per principal per minute, as a burst and as a sustained rate. */
  perMinute: number;
  now?: () => number;
  /** Most principals tracked; buckets that are full again are dropped first. */
  maxPrincipals?: number;
}

interface Bucket {
  tokens: number;
  updatedAt: number;
}

/** A token bucket per principal, in memory: each gateway instance limits on its own. */
export class RateLimiter {
  readonly #capacity: number;
  readonly #perMs: number;
  readonly #now: () => number;
  readonly #maxPrincipals: number;
  readonly #buckets = new Map<string, Bucket>();

  constructor(options: RateLimiterOptions) {
    this.#capacity = options.perMinute;
    this.#perMs = options.perMinute / 60_000;
    this.#now = options.now ?? Date.now;
    this.#maxPrincipals = options.maxPrincipals ?? 100_000;
  }

  /** Takes one call from the principal's allowance, or throws RateLimitedError. */
  take(principal: string): void {
    const now = this.#now();
    const bucket = this.#buckets.get(principal) ?? { tokens: this.#capacity, updatedAt: now };
    bucket.tokens = Math.min(
      this.#capacity,
      bucket.tokens + (now - bucket.updatedAt) * this.#perMs,
    );
    bucket.updatedAt = now;
    if (bucket.tokens < 1) {
      this.#buckets.set(principal, bucket);
      throw new RateLimitedError('Too many attempts. Wait before trying again.', {
        retryAfterSeconds: Math.ceil((1 - bucket.tokens) / this.#perMs / 1000),
      });
    }
    bucket.tokens -= 1;
    this.#buckets.set(principal, bucket);
    if (this.#buckets.size > this.#maxPrincipals) this.#forgetFullBuckets(now);
  }

  #forgetFullBuckets(now: number): void {
    for (const [principal, bucket] of this.#buckets) {
      if (bucket.tokens + (now - bucket.updatedAt) * this.#perMs >= this.#capacity) {
        this.#buckets.delete(principal);
      }
    }
  }
}
