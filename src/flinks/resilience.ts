import { setTimeout as sleep } from 'node:timers/promises';
import { ExponentialBackoff, type IBackoff } from 'cockatiel';
import { InstitutionUnavailableError } from '../errors.ts';
import { answeredByFlinks, transienceOf } from './errors.ts';

/** The circuit is open: failed at once, without calling Flinks, and not worth retrying now. */
export class CircuitOpenError extends InstitutionUnavailableError {}

export interface RetryOptions {
  /** Attempts in all, the first included. */
  maxAttempts: number;
  /** No retry starts after this many ms since the first attempt. */
  deadlineMs: number;
  initialDelayMs: number;
  maxDelayMs: number;
}

export interface BreakerOptions {
  /** Consecutive failures of the origin that open the circuit. */
  threshold: number;
  /** How long the circuit stays open before one probe call is let through (half-open). */
  halfOpenAfterMs: number;
  /**
   * Distinct callers whose calls must be among those consecutive failures: one caller whose own
   * bank or login keeps failing cannot open the circuit for everyone. 1 is a plain breaker.
   */
  minCallers: number;
}

export const DEFAULT_RETRY: RetryOptions = {
  maxAttempts: 3,
  deadlineMs: 10_000,
  initialDelayMs: 100,
  maxDelayMs: 2_000,
};
export const DEFAULT_BREAKER: BreakerOptions = {
  threshold: 5,
  halfOpenAfterMs: 10_000,
  minCallers: 3,
};

export type BreakerState = 'closed' | 'open' | 'half-open';

/**
 * A circuit breaker that knows who failed. Closed, it counts consecutive outage failures and the
 * callers they came from; it opens once both thresholds are met. Open, every call fails at once
 * until `halfOpenAfterMs` has passed; then one call is let through as a probe, whose success closes
 * it and whose failure opens it again. A call that ends without saying anything about Flinks (the
 * caller went away, a broken body) leaves the count as it was.
 */
class CallerBreaker {
  readonly #options: BreakerOptions;
  #open = false;
  #openedAt = 0;
  #probing = false;
  #failures = 0;
  readonly #callers = new Set<string>();
  /** Bumped on every open and close: a call's outcome counts only in the state it started in. */
  #generation = 0;

  constructor(options: BreakerOptions) {
    this.#options = options;
  }

  get state(): BreakerState {
    if (!this.#open) return 'closed';
    return performance.now() - this.#openedAt >= this.#options.halfOpenAfterMs
      ? 'half-open'
      : 'open';
  }

  /** Lets a call through, as the probe when half-open, or throws CircuitOpenError. */
  admit(): Ticket {
    const state = this.state;
    if (state === 'closed') return { probe: false, generation: this.#generation };
    if (state === 'half-open' && !this.#probing) {
      this.#probing = true;
      return { probe: true, generation: this.#generation };
    }
    const waitMs = this.#options.halfOpenAfterMs - (performance.now() - this.#openedAt);
    throw new CircuitOpenError('Flinks is not available right now. Try again later.', {
      retryAfterSeconds: Math.max(1, Math.ceil(waitMs / 1000)),
    });
  }

  success({ probe, generation }: Ticket): void {
    if (probe) this.#probing = false;
    else if (generation !== this.#generation || this.#open) return;
    if (this.#open) this.#generation += 1;
    this.#open = false;
    this.#failures = 0;
    this.#callers.clear();
  }

  failure({ probe, generation }: Ticket, caller: string): void {
    if (probe) {
      this.#probing = false;
      this.#openedAt = performance.now();
      return;
    }
    // Started before the circuit last opened or closed: says nothing about the state now.
    if (generation !== this.#generation || this.#open) return;
    this.#failures += 1;
    this.#callers.add(caller);
    if (
      this.#failures >= this.#options.threshold &&
      this.#callers.size >= this.#options.minCallers
    ) {
      this.#open = true;
      this.#openedAt = performance.now();
      this.#generation += 1;
    }
  }

  /** The call said nothing about Flinks: a probe slot is given back, counts stay. */
  neutral({ probe }: Ticket): void {
    if (probe) this.#probing = false;
  }
}

interface Ticket {
  probe: boolean;
  generation: number;
}

/**
 * The fault policies of one Flinks origin: circuit breakers that count each logical call once
 * (however many attempts it took), and retries with decorrelated-jitter backoff within a deadline
 * for the calls that may be replayed. The token endpoint has a breaker of its own: its successes
 * (prefetches, mostly) must not reset the count of an /Authorize or data endpoint that keeps
 * failing, and the other way round. Nothing a caller sends reaches the token endpoint, so its
 * breaker needs no distinct callers.
 */
export class Resilience {
  readonly #breakers;
  readonly #retry: RetryOptions;
  readonly #onRetry: (endpoint: string) => void;

  constructor(
    options: {
      retry?: Partial<RetryOptions>;
      breaker?: Partial<BreakerOptions>;
      onRetry?: (endpoint: string) => void;
    } = {},
  ) {
    const breaker = { ...DEFAULT_BREAKER, ...options.breaker };
    this.#retry = { ...DEFAULT_RETRY, ...options.retry };
    this.#onRetry = options.onRetry ?? (() => {});
    this.#breakers = {
      token: new CallerBreaker({ ...breaker, minCallers: 1 }),
      api: new CallerBreaker(breaker),
    };
  }

  /** The worst state of the origin's breakers. */
  get state(): BreakerState {
    const states = [this.#breakers.token.state, this.#breakers.api.state];
    if (states.includes('open')) return 'open';
    return states.includes('half-open') ? 'half-open' : 'closed';
  }

  /**
   * Runs one logical call through its breaker: while the breaker is open it fails at once, before
   * `call` spends anything (a token, say). When `replayable`, a transient failure is retried;
   * `call` gets the attempt's number, from 1. `caller` is who the call is for (the principal);
   * calls the gateway makes on its own pass none.
   */
  async run<T>(
    endpoint: string,
    replayable: boolean,
    signal: AbortSignal | undefined,
    call: (attempt: number) => Promise<T>,
    caller = '',
  ): Promise<T> {
    const breaker =
      endpoint === 'GenerateAuthorizeToken' ? this.#breakers.token : this.#breakers.api;
    const ticket = breaker.admit();
    try {
      const result = await (replayable ? this.#retrying(endpoint, signal, call) : call(1));
      breaker.success(ticket);
      return result;
    } catch (error) {
      if (transienceOf(error) === 'outage') breaker.failure(ticket, caller);
      // Flinks answered, on purpose: it is up, whatever the answer says about one login or bank.
      // Anything else (the token endpoint's open circuit, a full token line, a caller gone)
      // says nothing about this endpoint.
      else if (answeredByFlinks(error) && !signal?.aborted) breaker.success(ticket);
      else breaker.neutral(ticket);
      throw error;
    }
  }

  /**
   * Runs `call` again after a transient failure, with backoff and jitter, while attempts and the
   * deadline allow. Only for calls Flinks may see twice without harm.
   */
  async #retrying<T>(
    endpoint: string,
    signal: AbortSignal | undefined,
    call: (attempt: number) => Promise<T>,
  ): Promise<T> {
    const deadline = performance.now() + this.#retry.deadlineMs;
    let backoff: IBackoff<unknown> = new ExponentialBackoff({
      initialDelay: this.#retry.initialDelayMs,
      maxDelay: this.#retry.maxDelayMs,
    }).next();
    for (let attempt = 1; ; attempt++) {
      try {
        return await call(attempt);
      } catch (error) {
        const delay = backoff.duration;
        if (
          transienceOf(error) === null ||
          attempt >= this.#retry.maxAttempts ||
          performance.now() + delay > deadline ||
          signal?.aborted
        ) {
          throw error;
        }
        this.#onRetry(endpoint);
        await sleep(delay, undefined, { signal });
        backoff = backoff.next(undefined);
      }
    }
  }
}
