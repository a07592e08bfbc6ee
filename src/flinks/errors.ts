import {
  GatewayError,
  InstitutionUnavailableError,
  RateLimitedError,
  SessionBusyError,
  UpstreamError,
} from '../errors.ts';
import { codeRow, errorFromFlinksCode } from './codes.ts';
import type { RawResponse } from './transport.ts';
import { ErrorBody, retryAfterSeconds } from './wire/error.ts';
import { parseJson } from './wire/json.ts';

/**
 * Flinks broke its contract (a body that fails its schema, an undocumented status) or refused the
 * gateway's own credentials. Not a GatewayError on purpose: Yoga masks it and it is logged.
 * `detail` never holds a secret, a password or an answer.
 */
export class FlinksContractError extends Error {
  readonly endpoint: string;
  readonly status: number | null;
  readonly detail: unknown;

  constructor(
    message: string,
    options: { endpoint: string; status?: number | null; detail?: unknown },
  ) {
    super(message);
    this.name = 'FlinksContractError';
    this.endpoint = options.endpoint;
    this.status = options.status ?? null;
    this.detail = options.detail;
  }
}

/**
 * Why the same call, sent again, may not meet the same failure; the one thing the retries and the
 * breakers read (resilience.ts). `outage`: Flinks' origin itself failed (no connection, a timeout,
 * a 5xx that is not a Flinks answer: no FlinksCode), which counts toward the breaker. `answer`: a
 * 5xx with a FlinksCode (AGGREGATION_ERROR, say) is Flinks answering about one login or bank,
 * which says Flinks itself is up. Any other failure is not transient. Kept beside the error, not
 * on it, so that the error objects, and the log lines that serialize them, are their families'.
 */
export type Transience = 'outage' | 'answer';

const TRANSIENCE = new WeakMap<object, Transience>();

/** The transience of a thrown value; null when a retry would meet the same failure. */
export function transienceOf(error: unknown): Transience | null {
  return typeof error === 'object' && error !== null ? (TRANSIENCE.get(error) ?? null) : null;
}

/**
 * The failures that are Flinks answering (a refusal, with a FlinksCode or a status), which says
 * Flinks is up whatever it says about one login or bank: the breakers count them as successes.
 * Anything else the gateway throws (its own refusals, a lost connection, a broken body) is not.
 */
const ANSWERS = new WeakSet<object>();

/** Whether a thrown value is Flinks' own answer rather than an outage or the gateway's doing. */
export function answeredByFlinks(error: unknown): boolean {
  return typeof error === 'object' && error !== null && ANSWERS.has(error);
}

function answer<E extends GatewayError>(error: E): E {
  ANSWERS.add(error);
  return error;
}

/** Flinks' origin itself failed: no connection, a timeout, a body cut short. Always an outage. */
export class FlinksUnreachableError extends InstitutionUnavailableError {
  constructor(
    message: string,
    options?: ConstructorParameters<typeof InstitutionUnavailableError>[1],
  ) {
    super(message, options);
    TRANSIENCE.set(this, 'outage');
  }
}

/**
 * What a non-success answer means, mapped on its FlinksCode, never on the status alone: Flinks'
 * own pages disagree on 400 vs 401 for the same code. Without a FlinksCode: 429 is rate limited,
 * a 5xx or a 4xx that is not JSON (an error page) is Flinks unavailable, anything else is a broken
 * contract. A 5xx is transient, an outage when it carries no FlinksCode.
 */
export function failureOf(
  endpoint: string,
  response: RawResponse,
): GatewayError | FlinksContractError {
  const retryAfter = retryAfterSeconds(response.headers['retry-after']);
  const json = parseJson(response.text);
  const refusal = ErrorBody.safeParse(json);
  const failure = refusal.success
    ? errorFromFlinksCode({ ...refusal.data, retryAfterSeconds: retryAfter })
    : statusFailure(endpoint, response, json, retryAfter);
  if (response.status >= 500) TRANSIENCE.set(failure, refusal.success ? 'answer' : 'outage');
  return failure instanceof GatewayError && transienceOf(failure) !== 'outage'
    ? answer(failure)
    : failure;
}

function statusFailure(
  endpoint: string,
  response: RawResponse,
  json: unknown,
  retryAfterSeconds: number | null,
): GatewayError | FlinksContractError {
  if (response.status === 429) {
    return new RateLimitedError('Too many requests to Flinks. Wait before trying again.', {
      retryAfterSeconds,
    });
  }
  if (response.status >= 500 || (json === undefined && response.status >= 400)) {
    return new InstitutionUnavailableError('Flinks is not available right now. Try again later.', {
      retryAfterSeconds,
    });
  }
  return new FlinksContractError(`Flinks answered ${endpoint} with an undocumented status.`, {
    endpoint,
    status: response.status,
    detail: { contentType: response.headers['content-type'], bytes: response.text.length },
  });
}

/** What a non-success answer of /DeleteCard means: the `deleteCard` of its FlinksCode's row. */
export function deletionFailureOf(
  response: RawResponse,
): 'unknown' | GatewayError | FlinksContractError {
  const failure = failureOf('DeleteCard', response);
  const flinksCode = failure instanceof GatewayError ? failure.flinksCode : null;
  const row = flinksCode === null ? undefined : codeRow(flinksCode);
  // No FlinksCode (429, an error page, a broken contract), or a code without a row: as it is.
  if (!row || row.deleteCard === 'same') return failure;
  if (row.deleteCard === 'unknown') return 'unknown';
  if (row.deleteCard) {
    const sent = failure instanceof SessionBusyError ? failure.retryAfterSeconds : null;
    return answer(
      new SessionBusyError(row.deleteCard.busy, {
        flinksCode,
        retryAfterSeconds: sent ?? row.deleteCard.retryAfterSeconds,
      }),
    );
  }
  // A code /Authorize knows (INVALID_REQUEST, SESSION_EXPIRED, ...) means nothing specific here.
  return answer(new UpstreamError('Flinks refused to delete the login.', { flinksCode }));
}
