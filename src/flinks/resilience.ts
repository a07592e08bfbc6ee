import { setTimeout as sleep } from 'node:timers/promises';
import {
  BrokenCircuitError,
  CircuitState,
  ConsecutiveBreaker,
  circuitBreaker,
  ExponentialBackoff,
  handleWhen,
  type IBackoff,
} from 'cockatiel';
import { InstitutionUnavailableError } from '../errors.ts';

/** Flinks' origin itself failed: no connection, a timeout, a 5xx, an HTML error page. */
export class FlinksUnreachableError extends InstitutionUnavailableError {}

/** The circuit is open: failed at once, without calling Flinks, and not worth retrying now. */
export class CircuitOpenError extends InstitutionUnavailableError {}

const transient = new WeakSet<object>();

/** Marks an error as one a retry of the same call may not meet (a 5xx answer, say). */
export function markTransient<E extends object>(error: E): E {
  transient.add(error);
  return error;
}

function isTransient(error: unknown): boolean {
  return (
    error instanceof FlinksUnreachableError ||
    (typeof error === 'object' && error !== null && transient.has(error))
  );
}

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
}

export const DEFAULT_RETRY: RetryOptions = {
  maxAttempts: 3,
  deadlineMs: 10_000,
  initialDelayMs: 100,
  maxDelayMs: 2_000,
};
export const DEFAULT_BREAKER: BreakerOptions = { threshold: 5, halfOpenAfterMs: 10_000 };

export type BreakerState = 'closed' | 'open' | 'half-open';

function circuitOpen(cause?: unknown): CircuitOpenError {
  return new CircuitOpenError('Flinks is not available right now. Try again later.', {
    retryAfterSeconds: 10,
    cause,
  });
}

/**
 * The fault policies of one Flinks origin: circuit breakers that count each logical call once
 * (however many attempts it took), and retries with decorrelated-jitter backoff within a deadline
 * for the calls that may be replayed. The token endpoint has a breaker of its own: its successes
 * (prefetches, mostly) must not reset the count of an /Authorize or data endpoint that keeps
 * failing, and the other way round.
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
    const create = () =>
      circuitBreaker(handleWhen(isTransient), {
        halfOpenAfter: breaker.halfOpenAfterMs,
        breaker: new ConsecutiveBreaker(breaker.threshold),
      });
    this.#breakers = { token: create(), api: create() };
  }

  /** The worst state of the origin's breakers. */
  get state(): BreakerState {
    const states = [this.#breakers.token.state, this.#breakers.api.state];
    if (states.some((state) => state === CircuitState.Open || state === CircuitState.Isolated)) {
      return 'open';
    }
    return states.includes(CircuitState.HalfOpen) ? 'half-open' : 'closed';
  }

  /**
   * Runs one logical call through its breaker: while the breaker is open it fails at once, before
   * `call` spends anything (a token, say). When `replayable`, a transient failure is retried;
   * `call` gets the attempt's number, from 1.
   */
  async run<T>(
    endpoint: string,
    replayable: boolean,
    signal: AbortSignal | undefined,
    call: (attempt: number) => Promise<T>,
  ): Promise<T> {
    const breaker =
      endpoint === 'GenerateAuthorizeToken' ? this.#breakers.token : this.#breakers.api;
    try {
      return await breaker.execute(() =>
        replayable ? this.#retrying(endpoint, signal, call) : call(1),
      );
    } catch (error) {
      if (error instanceof BrokenCircuitError) throw circuitOpen(error);
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
          !isTransient(error) ||
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
