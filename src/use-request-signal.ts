import { isAsyncIterable, type Plugin } from 'graphql-yoga';

/**
 * One AbortSignal per GraphQL request, owned by the gateway: aborted when the client goes away
 * (the adapter's `request.signal` fires) or when the request outlives its deadline.
 *
 * Not `AbortSignal.any([request.signal, AbortSignal.timeout(ms)])`: on Node 24+ `any` refuses
 * the adapter's stand-in signal (ERR_INVALID_ARG_TYPE, so every HTTP request failed), and on
 * Node 20 the composite holds its timeout signal weakly, so after a garbage collection the
 * deadline never fired. A plain timer stays in the event loop's list until it fires or is cleared.
 */
export interface RequestSignals {
  /** The signal of `request`, made on first use; the same object on every later call. */
  signalOf(request: Request): AbortSignal;
  /**
   * Clears the request's timer and listener once its response is made, or, for an incremental
   * response (`@defer`, `@stream`), once its last payload is: the deferred parts still run
   * within the deadline and stop when the client goes away.
   */
  plugin: Plugin;
}

export function createRequestSignals(deadlineMs: number): RequestSignals {
  const open = new WeakMap<Request, RequestSignal>();
  const streaming = new WeakSet<Request>();
  const release = (request: Request) => {
    open.get(request)?.release();
    open.delete(request);
  };
  const executeHooks = {
    onExecuteDone({
      args,
      result,
    }: {
      args: { contextValue: { request?: Request } };
      result: unknown;
    }) {
      const { request } = args.contextValue;
      if (!request || !isAsyncIterable(result)) return;
      streaming.add(request);
      return {
        onEnd() {
          release(request);
        },
      };
    },
  };

  return {
    signalOf(request) {
      let entry = open.get(request);
      if (!entry) {
        entry = new RequestSignal(request.signal, deadlineMs);
        open.set(request, entry);
      }
      return entry.signal;
    },
    plugin: {
      // One hooks object for every request: only an incremental result allocates (its onEnd).
      onExecute: () => executeHooks,
      onResponse({ request }) {
        if (!streaming.has(request)) release(request);
      },
    },
  };
}

/**
 * The client's abort listener is the object itself (`handleEvent`) and the deadline's callback a
 * module function given the object: no closure per request.
 */
class RequestSignal {
  readonly #controller = new AbortController();
  readonly #client: AbortSignal;
  readonly #timer: NodeJS.Timeout;
  readonly #deadlineMs: number;

  constructor(client: AbortSignal, deadlineMs: number) {
    this.#client = client;
    this.#deadlineMs = deadlineMs;
    this.#timer = setTimeout(deadlineReached, deadlineMs, this);
    // The timer must not keep a draining process alive; unref does not make it collectable.
    this.#timer.unref();
    if (client.aborted) this.#abort(client.reason);
    else client.addEventListener('abort', this, { once: true });
  }

  get signal(): AbortSignal {
    return this.#controller.signal;
  }

  /** The client's signal fired. */
  handleEvent(): void {
    this.#abort(this.#client.reason);
  }

  deadline(): void {
    this.#abort(
      new DOMException(`The request outlived its ${this.#deadlineMs} ms deadline.`, 'TimeoutError'),
    );
  }

  #abort(reason: unknown): void {
    this.release();
    this.#controller.abort(reason);
  }

  release(): void {
    clearTimeout(this.#timer);
    this.#client.removeEventListener('abort', this);
  }
}

function deadlineReached(signal: RequestSignal): void {
  signal.deadline();
}
