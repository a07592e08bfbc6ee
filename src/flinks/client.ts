import { context, ROOT_CONTEXT } from '@opentelemetry/api';
import type { Logger } from 'pino';
import { deletionFailureOf, FlinksContractError, failureOf } from './errors.ts';
import {
  type BreakerOptions,
  type BreakerState,
  Resilience,
  type RetryOptions,
} from './resilience.ts';
import { TokenPool } from './token-pool.ts';
import {
  aborted,
  type FlinksRequest,
  FlinksTransport,
  type RawResponse,
  type TransportOptions,
} from './transport.ts';
import type {
  Account,
  AccountStatements,
  AccountsDetailOptions,
  AuthorizeOutcome,
  AuthorizeRequest,
  DataPending,
  StatementsOptions,
} from './types.ts';
import {
  AuthorizeSuccessBody,
  encodeAuthorize,
  MfaRequiredBody,
  TOKEN_REQUEST,
  TokenBody,
} from './wire/authorize.ts';
import {
  decodeAccounts,
  decodeStatements,
  encodeAccountsDetail,
  encodeAccountsDetailAsync,
  encodeAccountsSummary,
  encodeStatements,
  PendingBody,
} from './wire/data.ts';
import { decode } from './wire/decode.ts';
import { DeleteCardBody, encodeDeleteCard } from './wire/delete-card.ts';
import { flinksCodeOf } from './wire/error.ts';

/** What `/DeleteCard` answered: the LoginId's data is gone (`deleted`), or Flinks knows no such LoginId. */
export type DeleteCardOutcome = 'deleted' | 'unknown';

export interface FlinksClientOptions extends TransportOptions {
  /** Used only in the `flinks-auth-key` header of /GenerateAuthorizeToken. */
  secretKey: string;
  /** The `x-api-key` of the data endpoints; data calls fail (masked) without it. */
  apiKey?: string | null;
  retry?: Partial<RetryOptions>;
  breaker?: Partial<BreakerOptions>;
  /** Most pre-minted /Authorize tokens kept ready; 0 mints tokens only on demand. */
  tokenPoolSize?: number;
  /**
   * Most callers waiting for a token at once (4,096 by default); beyond it, ServiceUnavailableError
   * at once.
   */
  tokenMaxWaiting?: number;
}

/**
 * Flinks' endpoints over undici, each with its replay and token policy; wire/ writes and reads the
 * bodies, errors.ts says what a failure means. Knows nothing of GraphQL; answers domain values or
 * GatewayErrors.
 */
export class FlinksClient {
  readonly #secretKey: string;
  readonly #apiKey: string | null;
  readonly #logger: Logger | undefined;
  readonly #transport: FlinksTransport;
  readonly #resilience: Resilience;
  readonly #tokens: TokenPool;

  constructor(options: FlinksClientOptions) {
    this.#secretKey = options.secretKey;
    this.#apiKey = options.apiKey ?? null;
    this.#logger = options.logger;
    this.#transport = new FlinksTransport(options);
    this.#resilience = new Resilience({
      retry: options.retry,
      breaker: options.breaker,
      onRetry: (endpoint) => options.metrics?.retry(endpoint),
    });
    this.#tokens = new TokenPool({
      // A token may go to any caller in line: its call is no one request's, so no caller's trace.
      mint: (signal) => context.with(ROOT_CONTEXT, () => this.generateAuthorizeToken(signal)),
      maxSize: options.tokenPoolSize,
      // Half the connections at most: /Authorize calls, which carry the callers' requests, keep
      // the other half.
      maxConcurrentMints: Math.ceil((options.connections ?? 256) / 2),
      maxWaiting: options.tokenMaxWaiting,
      aborted,
      onError: (error) =>
        this.#logger?.debug(
          { err: { message: (error as Error).message } },
          'token prefetch failed',
        ),
    });
  }

  /** The circuit breakers of this origin, the worst of them: `open` while Flinks is failing. */
  get breakerState(): BreakerState {
    return this.#resilience.state;
  }

  /** Pre-minted tokens ready now. */
  get tokenPoolSize(): number {
    return this.#tokens.size;
  }

  /** Calls waiting in line for a token now. */
  get tokenWaiting(): number {
    return this.#tokens.waiting;
  }

  /** Mints a one-time /Authorize token with the secret key, retrying transient failures. */
  generateAuthorizeToken(signal?: AbortSignal): Promise<string> {
    return this.#resilience.run('GenerateAuthorizeToken', true, signal, (attempt) =>
      this.#mintToken(signal, attempt),
    );
  }

  async #mintToken(signal: AbortSignal | undefined, attempt: number): Promise<string> {
    const { endpoint } = TOKEN_REQUEST;
    const headers = { 'flinks-auth-key': this.#secretKey };
    const response = await this.#send(TOKEN_REQUEST, headers, signal, attempt);
    if (response.status === 200) return decode(endpoint, response, TokenBody);
    if (response.status === 401 || response.status === 403) {
      throw new FlinksContractError('Flinks refused the secret key (FLINKS_SECRET_KEY).', {
        endpoint,
        status: response.status,
      });
    }
    throw failureOf(endpoint, response);
  }

  /**
   * Calls /Authorize with a fresh one-time token. Only cached mode is retried after a transient
   * failure: it reads stored data. A live login or an MFA answer is never replayed, because the
   * first attempt may have reached the bank, and a second login attempt or a second answer can
   * lock the user's bank account.
   */
  authorize(
    authorizeRequest: AuthorizeRequest,
    signal?: AbortSignal,
    caller?: string,
  ): Promise<AuthorizeOutcome> {
    const request = encodeAuthorize(authorizeRequest);
    const once = (attempt: number) => this.#authorizeOnce(request, signal, attempt);
    const replayable = authorizeRequest.mode === 'cached';
    return this.#resilience.run('Authorize', replayable, signal, once, caller);
  }

  /**
   * A 401 without a FlinksCode means Flinks refused the token (FACTS.md) and did not process the
   * request: it is sent once more with a new token, whatever the mode.
   */
  async #authorizeOnce(
    request: FlinksRequest,
    signal: AbortSignal | undefined,
    attempt: number,
  ): Promise<AuthorizeOutcome> {
    for (let tokens = 1; ; tokens++) {
      const token = await this.#tokens.take(signal);
      const headers = { 'flinks-auth-key': token };
      const response = await this.#send(request, headers, signal, attempt);
      if (response.status === 401 && flinksCodeOf(response.text) === null) {
        if (tokens === 1) {
          this.#logger?.warn(
            { endpoint: 'Authorize' },
            'flinks refused a fresh authorize token; retrying once',
          );
          continue;
        }
        throw new FlinksContractError('Flinks refused two fresh authorize tokens in a row.', {
          endpoint: 'Authorize',
          status: 401,
        });
      }
      return this.#authorizeOutcome(response);
    }
  }

  /** The accounts of an authorized session (`/GetAccountsSummary`). */
  async accountsSummary(
    requestId: string,
    signal?: AbortSignal,
    caller?: string,
  ): Promise<Account[]> {
    const request = encodeAccountsSummary(requestId);
    const accounts = await this.#data(request, decodeAccounts, signal, caller);
    if ('kind' in accounts) {
      throw new FlinksContractError('Flinks answered GetAccountsSummary with 202.', {
        endpoint: 'GetAccountsSummary',
        status: 202,
      });
    }
    return accounts;
  }

  /** Starts `/GetAccountsDetail`; Flinks usually answers 202 first (see accountsDetailAsync). */
  async accountsDetail(
    requestId: string,
    options: AccountsDetailOptions,
    signal?: AbortSignal,
    caller?: string,
  ): Promise<Account[] | DataPending> {
    return this.#data(encodeAccountsDetail(requestId, options), decodeAccounts, signal, caller);
  }

  /** Asks again for a pending `/GetAccountsDetail` (`/GetAccountsDetailAsync/{requestId}`). */
  async accountsDetailAsync(
    requestId: string,
    signal?: AbortSignal,
    caller?: string,
  ): Promise<Account[] | DataPending> {
    return this.#data(encodeAccountsDetailAsync(requestId), decodeAccounts, signal, caller);
  }

  /** The statements of an authorized session (`/GetStatements`), PDFs as base64. */
  async statements(
    requestId: string,
    options: StatementsOptions,
    signal?: AbortSignal,
    caller?: string,
  ): Promise<AccountStatements[] | DataPending> {
    return this.#data(encodeStatements(requestId, options), decodeStatements, signal, caller);
  }

  /**
   * Deletes a LoginId and all its data at Flinks (`DELETE /DeleteCard/{loginId}`, with the
   * `x-api-key` of the data endpoints). `unknown` when Flinks answers INVALID_LOGIN: no such
   * LoginId (any more). CARD_IN_USE, which Flinks answers right after an authorization while it
   * still processes the account, is a retryable SessionBusyError with `retryAfterSeconds`.
   *
   * Retried after a transient failure: a deletion is idempotent at Flinks. Should a first attempt
   * have deleted the LoginId before its answer was lost, the retry is answered INVALID_LOGIN,
   * `unknown`, which says the same thing: the data is gone.
   */
  async deleteCard(
    loginId: string,
    signal?: AbortSignal,
    caller?: string,
  ): Promise<DeleteCardOutcome> {
    const request = encodeDeleteCard(loginId);
    const missingKey = '/DeleteCard cannot be called';
    const response = await this.#keyed(request, signal, caller, missingKey);
    if (response.status === 200) return decode(request.endpoint, response, DeleteCardBody);
    const failure = deletionFailureOf(response);
    if (failure === 'unknown') return failure;
    throw failure;
  }

  async close(): Promise<void> {
    this.#tokens.close();
    await this.#transport.close();
  }

  /** A data call: its 200 read with `read`, or its 202 as DataPending; anything else thrown. */
  async #data<T>(
    request: FlinksRequest,
    read: (endpoint: string, response: RawResponse) => T,
    signal: AbortSignal | undefined,
    caller: string | undefined,
  ): Promise<T | DataPending> {
    const response = await this.#keyed(request, signal, caller, 'data calls cannot be made');
    if (response.status === 200) return read(request.endpoint, response);
    if (response.status === 202) return decode(request.endpoint, response, PendingBody);
    throw failureOf(request.endpoint, response);
  }

  /**
   * A call with the `x-api-key` of the data endpoints, retried after a transient failure. Data
   * calls read, or start gathering, data Flinks already holds, and a deletion is idempotent at
   * Flinks: each is safe to send twice.
   */
  #keyed(
    request: FlinksRequest,
    signal: AbortSignal | undefined,
    caller: string | undefined,
    missingKey: string,
  ): Promise<RawResponse> {
    const { endpoint } = request;
    if (!this.#apiKey) {
      throw new FlinksContractError(`FLINKS_API_KEY is not set: ${missingKey}.`, { endpoint });
    }
    const headers = { 'x-api-key': this.#apiKey };
    const once = (attempt: number) => this.#send(request, headers, signal, attempt);
    return this.#resilience.run(endpoint, true, signal, once, caller);
  }

  #authorizeOutcome(response: RawResponse): AuthorizeOutcome {
    if (response.status === 200) return decode('Authorize', response, AuthorizeSuccessBody);
    // 203 is success-with-MFA, never an error.
    if (response.status === 203) return decode('Authorize', response, MfaRequiredBody);
    throw failureOf('Authorize', response);
  }

  /**
   * One HTTP exchange. A 5xx answer is thrown here, transient (errors.ts says which kind), so that
   * the breaker and the retries around the call see it; other statuses are returned.
   */
  async #send(
    request: FlinksRequest,
    headers: Record<string, string>,
    signal: AbortSignal | undefined,
    attempt: number,
  ): Promise<RawResponse> {
    const response = await this.#transport.exchange(request, headers, signal, attempt);
    if (response.status >= 500) throw failureOf(request.endpoint, response);
    return response;
  }
}
