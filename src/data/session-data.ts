import { setTimeout as sleep } from 'node:timers/promises';
import DataLoader from 'dataloader';
import type { RateLimiter } from '../authorize/rate-limit.ts';
import { parseInput, SessionExpiredError } from '../errors.ts';
import type { FlinksClient } from '../flinks/client.ts';
import { FlinksId } from '../flinks/ids.ts';
import type {
  Account,
  AccountStatements,
  AccountsDetailOptions,
  DataPending,
  StatementsOptions,
} from '../flinks/types.ts';
import { type GatewayStore, SESSION_TTL_MS } from '../store/index.ts';
import { type AccountsDetailInput, DetailInput, StatementsInput } from './inputs.ts';
import { STATEMENT_LINK_TTL_MS, type StatementLinks } from './statement-links.ts';
import type { AccountsView, PendingView, StatementsView } from './views.ts';

/**
 * What every request's SessionData shares (DataService holds it): the upstream, the store, the
 * link signer, the rate limit and the waits.
 */
export interface DataSources {
  readonly flinks: Pick<
    FlinksClient,
    'accountsSummary' | 'accountsDetail' | 'accountsDetailAsync' | 'statements'
  >;
  readonly store: GatewayStore;
  readonly links: StatementLinks;
  readonly limiter: RateLimiter | null;
  readonly waitMs: number;
  readonly pollIntervalMs: number;
  readonly deferWaitMs: number;
  readonly deferPollIntervalMs: number;
  readonly now: () => number;
}

/** What ends a deferred wait besides its own limit. */
export interface BackgroundSignals {
  /** The HTTP client went away (the adapter's `request.signal`): nothing more is sent upstream. */
  client: AbortSignal;
  /** The gateway is shutting down: the wait ends at once with DataPending, resumable elsewhere. */
  stopping?: AbortSignal | undefined;
}

const keyOf = (requestId: string, options: object) => `${requestId} ${JSON.stringify(options)}`;

// No batch endpoint exists at Flinks: each loader dedupes and caches within the request.
function loader<K, V>(load: (key: K) => Promise<V>, cacheKeyFn?: (key: K) => string) {
  return new DataLoader<K, V, string | K>(
    (keys) => Promise.all(keys.map((key) => load(key).catch((error: Error) => error))),
    cacheKeyFn ? { cacheKeyFn } : {},
  );
}

const byRequestAndOptions = ([id, options]: [string, object]) => keyOf(id, options);
const byRequestOptionsAndMode = ([id, options, deferred]: [string, object, boolean]) =>
  `${keyOf(id, options)} ${deferred ? 'deferred' : 'now'}`;

/** How one accountsDetail read waits for pending data. */
interface Wait {
  /** Passed to every upstream call. */
  signal: AbortSignal;
  /** Ends the pauses between polls early: the caller went away or the gateway is stopping. */
  pause: AbortSignal;
  waitMs: number;
  pollIntervalMs: number;
}

/**
 * Per GraphQL request: DataLoaders keyed by (RequestId, endpoint, options), each made the first
 * time the request needs it, so an authorize that reads no data pays for none.
 */
export class SessionData {
  readonly #service: DataSources;
  readonly #principal: string;
  readonly #signal: AbortSignal;
  readonly #background: BackgroundSignals | null;
  #grants?: DataLoader<string, void, string>;
  #summaries?: DataLoader<string, AccountsView, string>;
  #details?: DataLoader<
    [string, AccountsDetailOptions, boolean],
    AccountsView | PendingView,
    string
  >;
  #statements?: DataLoader<[string, StatementsOptions], StatementsView | PendingView, string>;

  constructor(
    service: DataSources,
    principal: string,
    signal: AbortSignal,
    background: BackgroundSignals | null,
  ) {
    this.#service = service;
    this.#principal = principal;
    this.#signal = signal;
    this.#background = background;
  }

  /** Throws SessionExpiredError unless the RequestId is an open session of this principal. */
  session(requestId: string): Promise<void> {
    this.#grants ??= loader((id: string) => this.#own(id));
    return this.#grants.load(parseInput(FlinksId, requestId, ['requestId']));
  }

  accountsSummary(requestId: string): Promise<AccountsView> {
    this.#summaries ??= loader((id: string) => this.#summary(id));
    return this.#summaries.load(requestId);
  }

  /**
   * With `deferred` (the field is under `@defer`: the response has started), pending data is
   * waited for up to `deferWaitMs`, polled every `deferPollIntervalMs`, past the request's
   * deadline; the wait ends early when the client goes away or the gateway stops.
   */
  accountsDetail(
    requestId: string,
    input: AccountsDetailInput = {},
    { deferred = false }: { deferred?: boolean } = {},
  ): Promise<AccountsView | PendingView> {
    this.#details ??= loader(
      ([id, options, inBackground]: [string, AccountsDetailOptions, boolean]) =>
        this.#detail(id, options, inBackground),
      byRequestOptionsAndMode,
    );
    return this.#details.load([
      requestId,
      parseInput(DetailInput, input),
      deferred && this.#background !== null,
    ]);
  }

  statements(
    requestId: string,
    input: StatementsInput = {},
  ): Promise<StatementsView | PendingView> {
    this.#statements ??= loader(
      ([id, options]: [string, StatementsOptions]) => this.#statementsOf(id, options),
      byRequestAndOptions,
    );
    return this.#statements.load([requestId, parseInput(StatementsInput, input)]);
  }

  async #own(requestId: string): Promise<void> {
    const { store, now } = this.#service;
    const at = now();
    // Another principal's RequestId answers exactly like one that does not exist.
    if (!(await store.touchSession(requestId, this.#principal, at, at + SESSION_TTL_MS))) {
      throw new SessionExpiredError(
        'No open session has this requestId. Start again with authorize.',
      );
    }
  }

  async #summary(requestId: string): Promise<AccountsView> {
    await this.session(requestId);
    await this.#service.limiter?.take(this.#principal);
    const accounts = await this.#service.flinks.accountsSummary(
      requestId,
      this.#signal,
      this.#principal,
    );
    return { kind: 'summary', requestId, accounts };
  }

  async #detail(
    requestId: string,
    options: AccountsDetailOptions,
    deferred: boolean,
  ): Promise<AccountsView | PendingView> {
    await this.session(requestId);
    // One read, however many polls of Flinks' Async endpoint it takes within its wait.
    await this.#service.limiter?.take(this.#principal);
    const { waitMs, pollIntervalMs, deferWaitMs, deferPollIntervalMs } = this.#service;
    const background = this.#background;
    if (!deferred || !background) {
      return this.#gather(requestId, options, {
        signal: this.#signal,
        pause: this.#signal,
        waitMs,
        pollIntervalMs,
      });
    }
    // Not the request's signal: its deadline (REQUEST_DEADLINE_MS) bounds one answer, and this
    // wait is meant to outlast it; the wait has its own limit. Listeners, not AbortSignal.any:
    // see use-request-signal.ts for why `any` is refused the adapter's signal.
    const gone = new AbortController();
    const pause = new AbortController();
    const onGone = () => {
      gone.abort(background.client.reason);
      pause.abort(background.client.reason);
    };
    const onStopping = () => pause.abort(background.stopping?.reason);
    if (background.client.aborted) onGone();
    else background.client.addEventListener('abort', onGone, { once: true });
    if (background.stopping?.aborted) onStopping();
    else background.stopping?.addEventListener('abort', onStopping, { once: true });
    try {
      return await this.#gather(requestId, options, {
        signal: gone.signal,
        pause: pause.signal,
        waitMs: deferWaitMs,
        pollIntervalMs: deferPollIntervalMs,
      });
    } finally {
      background.client.removeEventListener('abort', onGone);
      background.stopping?.removeEventListener('abort', onStopping);
    }
  }

  async #gather(
    requestId: string,
    options: AccountsDetailOptions,
    wait: Wait,
  ): Promise<AccountsView | PendingView> {
    const { flinks, store, now } = this.#service;
    const { signal, pause, pollIntervalMs } = wait;
    const optionsKey = JSON.stringify(options);
    // Real elapsed time, not the injectable clock: this bounds how long the request waits.
    const deadline = performance.now() + wait.waitMs;
    // Flinks gathers one detail per RequestId, fetched from the Async endpoint: resume the one
    // under way rather than starting over; if what comes back was for other options, ask for ours.
    let gathering = await store.getPendingDetail(requestId, now());
    let recorded = gathering !== undefined;
    let result: Account[] | DataPending =
      gathering === undefined
        ? await flinks.accountsDetail(requestId, options, signal, this.#principal)
        : await flinks.accountsDetailAsync(requestId, signal, this.#principal);
    gathering ??= optionsKey;
    for (;;) {
      if (!('kind' in result)) {
        if (gathering === optionsKey) {
          if (recorded) await store.deletePendingDetail(requestId);
          return { kind: 'detail', requestId, accounts: result };
        }
        gathering = optionsKey;
        result = await flinks.accountsDetail(requestId, options, signal, this.#principal);
        continue;
      }
      if (performance.now() + pollIntervalMs > deadline || pause.aborted) break;
      if (pause !== signal && !recorded) {
        // A long wait may end with the client gone: the next request resumes from the store.
        await store.putPendingDetail(requestId, gathering, now() + SESSION_TTL_MS);
        recorded = true;
      }
      try {
        await sleep(pollIntervalMs, undefined, { signal: pause });
      } catch (error) {
        // The gateway is stopping: end now with DataPending; the client asks again elsewhere.
        if (signal.aborted || pause === signal) throw error;
        break;
      }
      result = await flinks.accountsDetailAsync(requestId, signal, this.#principal);
    }
    await store.putPendingDetail(requestId, gathering, now() + SESSION_TTL_MS);
    return this.#pending(requestId, result, pollIntervalMs);
  }

  async #statementsOf(
    requestId: string,
    options: StatementsOptions,
  ): Promise<StatementsView | PendingView> {
    await this.session(requestId);
    await this.#service.limiter?.take(this.#principal);
    const { flinks, links, now } = this.#service;
    const groups: AccountStatements[] | DataPending = await flinks.statements(
      requestId,
      options,
      this.#signal,
      this.#principal,
    );
    if ('kind' in groups) return this.#pending(requestId, groups);
    const expiresAt = now() + STATEMENT_LINK_TTL_MS;
    return {
      kind: 'statements',
      requestId,
      accounts: groups.map((group) => ({
        accountNumber: group.accountNumber,
        statements: group.statements.map((file) => ({
          ...file,
          downloadUrl: `/statements/${links.sign(
            { requestId, statementId: file.uniqueId, period: options.period, expiresAt },
            this.#principal,
          )}`,
          downloadExpiresAt: new Date(expiresAt),
        })),
      })),
    };
  }

  #pending(
    requestId: string,
    pending: DataPending,
    pollIntervalMs = this.#service.pollIntervalMs,
  ): PendingView {
    return {
      ...pending,
      requestId,
      retryAfterSeconds: Math.max(1, Math.ceil(pollIntervalMs / 1000)),
    };
  }
}
