import type { Logger } from 'pino';
import type { z } from 'zod';
import {
  GatewayError,
  InstitutionUnavailableError,
  RateLimitedError,
  SessionBusyError,
  UpstreamError,
} from '../errors.ts';
import { AccountsBody, PendingBody, parseJsonExact, StatementsBody } from './data-wire.ts';
import { errorFromFlinksCode, FlinksContractError } from './errors.ts';
import {
  type BreakerOptions,
  type BreakerState,
  markOutage,
  markTransient,
  Resilience,
  type RetryOptions,
} from './resilience.ts';
import { TokenPool } from './token-pool.ts';
import {
  type FlinksMetrics,
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
  authorizeBody,
  DeleteCardBody,
  ErrorBody,
  flinksCodeOf,
  MfaRequiredBody,
  parseJson,
  TokenBody,
} from './wire.ts';

/** Seconds to wait after CARD_IN_USE when Flinks sends no Retry-After (it documents none). */
export const CARD_IN_USE_RETRY_SECONDS = 5;

/** What `/DeleteCard` answered: the LoginId's data is gone (`deleted`), or Flinks knows no such LoginId. */
export type DeleteCardOutcome = 'deleted' | 'unknown';

export interface FlinksClientOptions extends TransportOptions {
  /** Used only in the `flinks-auth-key` header of /GenerateAuthorizeToken. */
  secretKey: string;
  /** The `x-api-key` of the data endpoints; data calls fail (masked) without it. */
  apiKey?: string | null;
  retry?: Partial<RetryOptions>;
  breaker?: Partial<BreakerOptions>;
  /** Most pre-minted /Authorize tokens kept ready; 0 mints every token inline. */
  tokenPoolSize?: number;
}

/** Flinks' /Authorize over undici. Knows nothing of GraphQL; answers domain values or GatewayErrors. */
export class FlinksClient {
  readonly #secretKey: string;
  readonly #apiKey: string | null;
  readonly #logger: Logger | undefined;
  readonly #metrics: FlinksMetrics | undefined;
  readonly #transport: FlinksTransport;
  readonly #resilience: Resilience;
  readonly #tokens: TokenPool;

  constructor(options: FlinksClientOptions) {
    this.#secretKey = options.secretKey;
    this.#apiKey = options.apiKey ?? null;
    this.#logger = options.logger;
    this.#metrics = options.metrics;
    this.#transport = new FlinksTransport(options);
    this.#resilience = new Resilience({
      retry: options.retry,
      breaker: options.breaker,
      onRetry: (endpoint) => this.#metrics?.retry(endpoint),
    });
    this.#tokens = new TokenPool({
      mint: (signal) => this.generateAuthorizeToken(signal),
      maxSize: options.tokenPoolSize,
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

  /** Mints a one-time /Authorize token with the secret key, retrying transient failures. */
  generateAuthorizeToken(signal?: AbortSignal): Promise<string> {
    return this.#resilience.run('GenerateAuthorizeToken', true, signal, (attempt) =>
      this.#mintToken(signal, attempt),
    );
  }

  async #mintToken(signal: AbortSignal | undefined, attempt: number): Promise<string> {
    const response = await this.#post(
      'GenerateAuthorizeToken',
      { 'flinks-auth-key': this.#secretKey },
      undefined,
      signal,
      attempt,
    );
    if (response.status === 200) {
      return this.#parse('GenerateAuthorizeToken', response, TokenBody).Token;
    }
    if (response.status === 401 || response.status === 403) {
      throw new FlinksContractError('Flinks refused the secret key (FLINKS_SECRET_KEY).', {
        endpoint: 'GenerateAuthorizeToken',
        status: response.status,
      });
    }
    throw this.#failure('GenerateAuthorizeToken', response);
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
    const body = JSON.stringify(authorizeBody(authorizeRequest));
    const once = (attempt: number) => this.#authorizeOnce(body, signal, attempt);
    const replayable = authorizeRequest.mode === 'cached';
    return this.#resilience.run('Authorize', replayable, signal, once, caller);
  }

  /**
   * A 401 without a FlinksCode means Flinks refused the token (FACTS.md) and did not process the
   * request: it is sent once more with a new token, whatever the mode.
   */
  async #authorizeOnce(
    body: string,
    signal: AbortSignal | undefined,
    attempt: number,
  ): Promise<AuthorizeOutcome> {
    for (let tokens = 1; ; tokens++) {
      const token = await this.#tokens.take(signal);
      const headers = { 'flinks-auth-key': token };
      const response = await this.#post('Authorize', headers, body, signal, attempt);
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
    const body = { RequestId: requestId };
    const result = await this.#data('POST', 'GetAccountsSummary', body, signal, caller);
    if ('kind' in result) {
      throw new FlinksContractError('Flinks answered GetAccountsSummary with 202.', {
        endpoint: 'GetAccountsSummary',
        status: 202,
      });
    }
    return this.#parse('GetAccountsSummary', result, AccountsBody, parseJsonExact).Accounts;
  }

  /** Starts `/GetAccountsDetail`; Flinks usually answers 202 first (see accountsDetailAsync). */
  async accountsDetail(
    requestId: string,
    options: AccountsDetailOptions,
    signal?: AbortSignal,
    caller?: string,
  ): Promise<Account[] | DataPending> {
    const body = {
      RequestId: requestId,
      WithAccountIdentity: options.withAccountIdentity,
      WithKYC: options.withKyc,
      WithTransactions: options.withTransactions,
      WithBalance: options.withBalance,
      DaysOfTransactions: options.days,
      ...(options.accountIds ? { AccountsFilter: options.accountIds } : {}),
    };
    return this.#accounts(
      'GetAccountsDetail',
      await this.#data('POST', 'GetAccountsDetail', body, signal, caller),
    );
  }

  /** Asks again for a pending `/GetAccountsDetail` (`/GetAccountsDetailAsync/{requestId}`). */
  async accountsDetailAsync(
    requestId: string,
    signal?: AbortSignal,
    caller?: string,
  ): Promise<Account[] | DataPending> {
    const path = `GetAccountsDetailAsync/${encodeURIComponent(requestId)}`;
    return this.#accounts(
      'GetAccountsDetailAsync',
      await this.#data('GET', path, undefined, signal, caller),
    );
  }

  /** The statements of an authorized session (`/GetStatements`), PDFs as base64. */
  async statements(
    requestId: string,
    options: StatementsOptions,
    signal?: AbortSignal,
    caller?: string,
  ): Promise<AccountStatements[] | DataPending> {
    const body = {
      RequestId: requestId,
      NumberOfStatements: options.period,
      ...(options.accountIds ? { AccountsFilter: options.accountIds } : {}),
    };
    const result = await this.#data('POST', 'GetStatements', body, signal, caller);
    if ('kind' in result) return result;
    return this.#parse('GetStatements', result, StatementsBody).StatementsByAccount.map(
      (group) => ({
        accountNumber: group.AccountNumber,
        statements: group.Statements.map((file) => ({
          uniqueId: file.UniqueId,
          fileType: file.FileType,
          base64Bytes: file.Base64Bytes,
        })),
      }),
    );
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
    const endpoint = 'DeleteCard';
    if (!this.#apiKey) {
      throw new FlinksContractError('FLINKS_API_KEY is not set: /DeleteCard cannot be called.', {
        endpoint,
      });
    }
    const headers = { 'x-api-key': this.#apiKey };
    const path = `${endpoint}/${encodeURIComponent(loginId)}`;
    const response = await this.#resilience.run(
      endpoint,
      true,
      signal,
      (attempt) => this.#send('DELETE', endpoint, path, headers, undefined, signal, attempt),
      caller,
    );
    if (response.status === 200) {
      this.#parse(endpoint, response, DeleteCardBody);
      return 'deleted';
    }
    const failure = this.#failure(endpoint, response);
    if (!(failure instanceof GatewayError)) throw failure;
    if (failure.flinksCode === 'INVALID_LOGIN') return 'unknown';
    if (failure.flinksCode === 'CARD_IN_USE') {
      throw new SessionBusyError(
        'Your bank is still processing this connection. Try again in a few seconds.',
        {
          flinksCode: failure.flinksCode,
          retryAfterSeconds:
            failure instanceof SessionBusyError && failure.retryAfterSeconds !== null
              ? failure.retryAfterSeconds
              : CARD_IN_USE_RETRY_SECONDS,
        },
      );
    }
    if (
      failure instanceof InstitutionUnavailableError ||
      failure instanceof RateLimitedError ||
      failure instanceof UpstreamError
    ) {
      throw failure;
    }
    // A code /Authorize knows (INVALID_REQUEST, SESSION_EXPIRED, ...) means nothing specific here.
    throw new UpstreamError('Flinks refused to delete the login.', {
      flinksCode: failure.flinksCode,
    });
  }

  async close(): Promise<void> {
    this.#tokens.close();
    await this.#transport.close();
  }

  /** A data call: the 200 response to parse, or the 202 as DataPending; anything else thrown. */
  async #data(
    method: 'GET' | 'POST',
    path: string,
    body: object | undefined,
    signal: AbortSignal | undefined,
    caller: string | undefined,
  ): Promise<RawResponse | DataPending> {
    const endpoint = path.split('/')[0] as string;
    if (!this.#apiKey) {
      throw new FlinksContractError('FLINKS_API_KEY is not set: data calls cannot be made.', {
        endpoint,
      });
    }
    const apiKey = this.#apiKey;
    // Data calls read, or start gathering, data Flinks already holds: safe to send twice.
    const response = await this.#resilience.run(
      endpoint,
      true,
      signal,
      (attempt) =>
        this.#send(
          method,
          endpoint,
          path,
          { 'x-api-key': apiKey },
          body === undefined ? undefined : JSON.stringify(body),
          signal,
          attempt,
        ),
      caller,
    );
    if (response.status === 200) return response;
    if (response.status === 202) {
      const pending = this.#parse(endpoint, response, PendingBody);
      return { kind: 'pending', flinksCode: pending.FlinksCode };
    }
    throw this.#failure(endpoint, response);
  }

  #accounts(endpoint: string, result: RawResponse | DataPending): Account[] | DataPending {
    if ('kind' in result) return result;
    return this.#parse(endpoint, result, AccountsBody, parseJsonExact).Accounts;
  }

  #authorizeOutcome(response: RawResponse): AuthorizeOutcome {
    if (response.status === 200) {
      const body = this.#parse('Authorize', response, AuthorizeSuccessBody);
      return {
        kind: 'success',
        requestId: body.RequestId,
        institution: body.Institution,
        institutionName: body.InstitutionName ?? null,
        institutionId: body.InstitutionId ?? null,
        login: {
          id: body.Login.Id,
          username: body.Login.Username ?? null,
          isScheduledRefresh: body.Login.IsScheduledRefresh ?? null,
          lastRefresh: body.Login.LastRefresh,
          type: body.Login.Type ?? null,
        },
        tag: body.Tag ?? null,
      };
    }
    // 203 is success-with-MFA, never an error.
    if (response.status === 203) {
      const body = this.#parse('Authorize', response, MfaRequiredBody);
      return {
        kind: 'mfa',
        requestId: body.RequestId,
        institution: body.Institution ?? null,
        challenges: body.SecurityChallenges.map((challenge) => ({
          type: challenge.Type,
          prompt: challenge.Prompt,
          iterables: challenge.Iterables ?? [],
        })),
        tag: body.Tag ?? null,
      };
    }
    throw this.#failure('Authorize', response);
  }

  /**
   * Maps a non-success answer on its FlinksCode, never on the status alone: Flinks' own pages
   * disagree on 400 vs 401 for the same code. Returns what to throw.
   */
  #failure(endpoint: string, response: RawResponse): GatewayError | FlinksContractError {
    const retryAfterSeconds = parseRetryAfter(response.headers['retry-after']);
    const json = parseJson(response.text);
    const error = ErrorBody.safeParse(json);
    if (error.success) {
      return errorFromFlinksCode({
        flinksCode: error.data.FlinksCode,
        requestId: error.data.RequestId ?? null,
        retryAfterSeconds,
        invalidFields: Object.keys(error.data.ValidationDetails ?? {}),
      });
    }
    if (response.status === 429) {
      return new RateLimitedError('Too many requests to Flinks. Wait before trying again.', {
        retryAfterSeconds,
      });
    }
    if (response.status >= 500 || (json === undefined && response.status >= 400)) {
      return new InstitutionUnavailableError(
        'Flinks is not available right now. Try again later.',
        {
          retryAfterSeconds,
        },
      );
    }
    return new FlinksContractError(`Flinks answered ${endpoint} with an undocumented status.`, {
      endpoint,
      status: response.status,
      detail: { contentType: response.headers['content-type'], bytes: response.text.length },
    });
  }

  #parse<T extends z.ZodType>(
    endpoint: string,
    response: RawResponse,
    schema: T,
    parse: (text: string) => unknown = parseJson,
  ): z.output<T> {
    const result = schema.safeParse(parse(response.text));
    if (result.success) return result.data;
    throw new FlinksContractError(`Flinks' ${endpoint} body does not match its contract.`, {
      endpoint,
      status: response.status,
      // zod issues carry paths and expectations, never the offending values.
      detail: result.error.issues.map((issue) => ({
        path: issue.path.join('.'),
        message: issue.message,
      })),
    });
  }

  #post(
    endpoint: string,
    headers: Record<string, string>,
    body: string | undefined,
    signal: AbortSignal | undefined,
    attempt: number,
  ): Promise<RawResponse> {
    return this.#send('POST', endpoint, endpoint, headers, body, signal, attempt);
  }

  /**
   * One HTTP exchange. A 5xx answer is thrown here, as a transient error, so that the breaker and
   * the retries around the call see it; other statuses are returned. Only a 5xx without a
   * FlinksCode counts toward the breaker: a FlinksCode (AGGREGATION_ERROR, say) is Flinks
   * answering about one login or bank, which says Flinks itself is up.
   */
  async #send(
    method: 'GET' | 'POST' | 'DELETE',
    endpoint: string,
    path: string,
    headers: Record<string, string>,
    body: string | undefined,
    signal: AbortSignal | undefined,
    attempt: number,
  ): Promise<RawResponse> {
    const response = await this.#transport.exchange(
      method,
      endpoint,
      path,
      headers,
      body,
      signal,
      attempt,
    );
    if (response.status >= 500) {
      const failure = markTransient(this.#failure(endpoint, response));
      throw flinksCodeOf(response.text) === null ? markOutage(failure) : failure;
    }
    return response;
  }
}

function parseRetryAfter(value: string | string[] | undefined): number | null {
  const raw = Array.isArray(value) ? value[0] : value;
  if (!raw) return null;
  if (/^\d+$/.test(raw.trim())) return Number(raw.trim());
  const date = Date.parse(raw);
  return Number.isNaN(date) ? null : Math.max(0, Math.ceil((date - Date.now()) / 1000));
}
