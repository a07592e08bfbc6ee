import type { RateLimiter } from '../authorize/rate-limit.ts';
import type { StatementsOptions } from '../flinks/types.ts';
import type { GatewayStore } from '../store/index.ts';
import { type BackgroundSignals, type DataSources, SessionData } from './session-data.ts';
import type { StatementLinks } from './statement-links.ts';

export interface DataServiceOptions {
  flinks: DataSources['flinks'];
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
  /**
   * Longest a deferred accountsDetail (one under `@defer`) waits for pending data: its response
   * has already started, so the wait holds no client on a blank screen. `waitMs` when absent.
   */
  deferWaitMs?: number;
  /** Pause between two polls during a deferred wait; `pollIntervalMs` when absent. */
  deferPollIntervalMs?: number;
  now?: () => number;
}

/**
 * Account data of authorized sessions, for their owners only. Shared by all requests: the store
 * remembers which RequestIds have account detail pending at Flinks, so that the next request,
 * on any replica, resumes polling instead of asking Flinks to start over.
 */
export class DataService {
  readonly #sources: DataSources;

  constructor(options: DataServiceOptions) {
    this.#sources = {
      ...options,
      limiter: options.limiter ?? null,
      deferWaitMs: options.deferWaitMs ?? options.waitMs,
      deferPollIntervalMs: options.deferPollIntervalMs ?? options.pollIntervalMs,
      now: options.now ?? Date.now,
    };
  }

  /**
   * The data of one GraphQL request: one upstream call per distinct piece of data. `signal` ends
   * the request's work (deadline, client gone); `background` ends deferred waits, which outlive
   * the deadline (no deferred wait is possible without it).
   */
  forRequest(principal: string, signal: AbortSignal, background?: BackgroundSignals): SessionData {
    return new SessionData(this.#sources, principal, signal, background ?? null);
  }

  /** The PDF a download link names, if the link is valid, unexpired and its owner's. */
  async download(
    token: string,
    signal?: AbortSignal,
  ): Promise<{ bytes: Buffer; id: string } | null> {
    const { links, store, limiter, flinks, now } = this.#sources;
    const link = links.read(token);
    if (!link || link.expiresAt <= now()) return null;
    const grant = await store.getSession(link.requestId, now());
    if (!grant || !links.verify(token, grant.principal)) return null;
    await limiter?.take(grant.principal);
    const groups = await flinks.statements(
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
