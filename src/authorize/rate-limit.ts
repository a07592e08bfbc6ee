import { RateLimitedError } from '../errors.ts';
import type { GatewayStore } from '../store/index.ts';

export interface RateLimiterOptions {
  /** Calls allowed per principal per minute, as a burst and as a sustained rate. */
  perMinute: number;
  /** Where the budgets live: with the PostgreSQL store, one budget across every replica. */
  store: Pick<GatewayStore, 'takeToken'>;
  now?: () => number;
}

/**
 * A token bucket per principal (`perMinute` tokens, refilled continuously), kept in the store so
 * that replicas sharing it share each principal's budget. Anything that should cost a principal
 * one call awaits `take(principal)`.
 */
export class RateLimiter {
  readonly #perMinute: number;
  readonly #store: RateLimiterOptions['store'];
  readonly #now: () => number;

  constructor(options: RateLimiterOptions) {
    this.#perMinute = options.perMinute;
    this.#store = options.store;
    this.#now = options.now ?? Date.now;
  }

  /**
   * Takes one call from the principal's allowance, or throws RateLimitedError (and
   * ServiceUnavailableError when the store cannot be reached: the limit fails closed).
   */
  async take(principal: string): Promise<void> {
    const { allowed, tokens } = await this.#store.takeToken(
      principal,
      this.#perMinute,
      this.#now(),
    );
    if (allowed) return;
    throw new RateLimitedError('Too many attempts. Wait before trying again.', {
      retryAfterSeconds: Math.max(1, Math.ceil(((1 - tokens) * 60) / this.#perMinute)),
    });
  }
}
