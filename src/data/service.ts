import { setTimeout as sleep } from 'node:timers/promises';
import DataLoader from 'dataloader';
import { z } from 'zod';
import type { RateLimiter } from '../authorize/rate-limit.ts';
import { SessionExpiredError } from '../errors.ts';
import type { FlinksClient } from '../flinks/client.ts';
import { FlinksId } from '../flinks/ids.ts';
import type {
  Account,
  AccountStatements,
  AccountsDetailOptions,
  DataPending,
  StatementFile,
  StatementsOptions,
} from '../flinks/types.ts';
import { parseInput } from '../input.ts';
import { type GatewayStore, SESSION_TTL_MS } from '../store/index.ts';
import type { StatementLinks } from './statement-links.ts';

/** How long a statement download link works. */
export const STATEMENT_LINK_TTL_MS = 5 * 60 * 1000;

export interface PendingView extends DataPending {
  requestId: string;
  retryAfterSeconds: number;
}

export interface AccountsView {
  kind: 'summary' | 'detail';
  requestId: string;
  accounts: Account[];
}

export interface StatementView extends StatementFile {
  downloadUrl: string;
  downloadExpiresAt: Date;
}

export interface StatementsView {
  kind: 'statements';
  requestId: string;
  accounts: { accountNumber: string; statements: StatementView[] }[];
}

export interface DataServiceOptions {
  flinks: Pick<
    FlinksClient,
    'accountsSummary' | 'accountsDetail' | 'accountsDetailAsync' | 'statements'
  >;
  store: GatewayStore;
  links: StatementLinks;
  /**
   * The per-principal limit authorize and answerMfa draw on: each data read that goes upstream
   * (after DataLoader dedup) takes one call from it; none when absent.
   */
  limiter?: RateLimiter | null;
  /** Longest one GraphQL request waits for pending data before answering DataPending. */
  waitMs: number;
  /** Pause between two polls of pending data. */
  pollIntervalMs: number;
  now?: () => number;
}

/**
 * Account data of authorized sessions, for their owners only. Shared by all requests: the store
 * remembers which RequestIds have account detail pending at Flinks, so that the next request,
 * on any replica, resumes polling instead of asking Flinks to start over.
 */
export class DataService {
  readonly flinks: DataServiceOptions['flinks'];
  readonly store: GatewayStore;
  readonly links: StatementLinks;
  readonly limiter: RateLimiter | null;
  readonly waitMs: number;
  readonly pollIntervalMs: number;
  readonly now: () => number;

  constructor(options: DataServiceOptions) {
    this.flinks = options.flinks;
    this.store = options.store;
    this.links = options.links;
    this.limiter = options.limiter ?? null;
    this.waitMs = options.waitMs;
    this.pollIntervalMs = options.pollIntervalMs;
    this.now = options.now ?? Date.now;
  }

  /** The data of one GraphQL request: one upstream call per distinct piece of data. */
  forRequest(principal: string, signal: AbortSignal): SessionData {
    return new SessionData(this, principal, signal);
  }

  /** The PDF a download link names, if the link is valid, unexpired and its owner's. */
  async download(
    token: string,
    signal?: AbortSignal,
  ): Promise<{ bytes: Buffer; id: string } | null> {
    const link = this.links.read(token);
    if (!link || link.expiresAt <= this.now()) return null;
    const grant = await this.store.getSession(link.requestId, this.now());
    if (!grant || !this.links.verify(token, grant.principal)) return null;
    await this.limiter?.take(grant.principal);
    const groups = await this.flinks.statements(
      link.requestId,
      { period: link.period as StatementsOptions['period'], accountIds: null },
      signal,
      grant.principal,
    );
    if ('kind' in groups) return null;
    const file = groups
      .flatMap((group) => group.statements)
      .find((s) => s.uniqueId === link.statementId);
    return file ? { bytes: Buffer.from(file.base64Bytes, 'base64'), id: file.uniqueId } : null;
  }
}

const AccountIds = z
  .array(FlinksId)
  .max(50, 'must list at most 50 accounts')
  .nullish()
  .transform((ids) => (ids && ids.length > 0 ? ids : null));

const DetailInput = z.object({
  days: z
    .enum(['Days90', 'Days365'])
    .nullish()
    .transform((v) => v ?? 'Days90'),
  withTransactions: z
    .boolean()
    .nullish()
    .transform((v) => v ?? true),
  withBalance: z
    .boolean()
    .nullish()
    .transform((v) => v ?? true),
  withAccountIdentity: z
    .boolean()
    .nullish()
    .transform((v) => v ?? false),
  withKyc: z
    .boolean()
    .nullish()
    .transform((v) => v ?? false),
  accountIds: AccountIds,
});

const StatementsInput = z.object({
  period: z
    .enum(['MostRecent', 'Months3', 'Months12'])
    .nullish()
    .transform((v) => v ?? 'MostRecent'),
  accountIds: AccountIds,
});

export type AccountsDetailInput = z.input<typeof DetailInput>;
export type StatementsInput = z.input<typeof StatementsInput>;

const keyOf = (requestId: string, options: object) => `${requestId} ${JSON.stringify(options)}`;

// No batch endpoint exists at Flinks: each loader dedupes and caches within the request.
function loader<K, V>(load: (key: K) => Promise<V>, cacheKeyFn?: (key: K) => string) {
  return new DataLoader<K, V, string | K>(
    (keys) => Promise.all(keys.map((key) => load(key).catch((error: Error) => error))),
    cacheKeyFn ? { cacheKeyFn } : {},
  );
}

const byRequestAndOptions = ([id, options]: [string, object]) => keyOf(id, options);

/**
 * Per GraphQL request: DataLoaders keyed by (RequestId, endpoint, options), each made the first
 * time the request needs it, so an authorize that reads no data pays for none.
 */
export class SessionData {
  readonly #service: DataService;
  readonly #principal: string;
  readonly #signal: AbortSignal;
  #grants?: DataLoader<string, void, string>;
  #summaries?: DataLoader<string, AccountsView, string>;
  #details?: DataLoader<[string, AccountsDetailOptions], AccountsView | PendingView, string>;
  #statements?: DataLoader<[string, StatementsOptions], StatementsView | PendingView, string>;

  constructor(service: DataService, principal: string, signal: AbortSignal) {
    this.#service = service;
    this.#principal = principal;
    this.#signal = signal;
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

  accountsDetail(
    requestId: string,
    input: AccountsDetailInput = {},
  ): Promise<AccountsView | PendingView> {
    this.#details ??= loader(
      ([id, options]: [string, AccountsDetailOptions]) => this.#detail(id, options),
      byRequestAndOptions,
    );
    return this.#details.load([requestId, parseInput(DetailInput, input)]);
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
  ): Promise<AccountsView | PendingView> {
    await this.session(requestId);
    // One read, however many polls of Flinks' Async endpoint it takes within DATA_WAIT_MS.
    await this.#service.limiter?.take(this.#principal);
    const { flinks, store, waitMs, pollIntervalMs, now } = this.#service;
    const optionsKey = JSON.stringify(options);
    // Real elapsed time, not the injectable clock: this bounds how long the request waits.
    const deadline = performance.now() + waitMs;
    // Flinks gathers one detail per RequestId, fetched from the Async endpoint: resume the one
    // under way rather than starting over; if what comes back was for other options, ask for ours.
    let gathering = await store.getPendingDetail(requestId, now());
    const recorded = gathering !== undefined;
    let result: Account[] | DataPending =
      gathering === undefined
        ? await flinks.accountsDetail(requestId, options, this.#signal, this.#principal)
        : await flinks.accountsDetailAsync(requestId, this.#signal, this.#principal);
    gathering ??= optionsKey;
    for (;;) {
      if (!('kind' in result)) {
        if (gathering === optionsKey) {
          if (recorded) await store.deletePendingDetail(requestId);
          return { kind: 'detail', requestId, accounts: result };
        }
        gathering = optionsKey;
        result = await flinks.accountsDetail(requestId, options, this.#signal, this.#principal);
        continue;
      }
      if (performance.now() + pollIntervalMs > deadline) break;
      await sleep(pollIntervalMs, undefined, { signal: this.#signal });
      result = await flinks.accountsDetailAsync(requestId, this.#signal, this.#principal);
    }
    await store.putPendingDetail(requestId, gathering, now() + SESSION_TTL_MS);
    return this.#pending(requestId, result);
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

  #pending(requestId: string, pending: DataPending): PendingView {
    return {
      ...pending,
      requestId,
      retryAfterSeconds: Math.max(1, Math.ceil(this.#service.pollIntervalMs / 1000)),
    };
  }
}
