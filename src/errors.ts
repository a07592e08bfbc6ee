import type { z } from 'zod';
import type { SecurityChallenge } from './flinks/types.ts';

interface GatewayErrorOptions {
  /** Flinks' FlinksCode verbatim when the error came from Flinks. */
  flinksCode?: string | null;
  cause?: unknown;
}

/**
 * The expected outcomes a client can act on. Every message is written by the gateway and safe to
 * show: never Flinks' own text, never a value the user typed. Anything that is not a GatewayError
 * is a bug or a broken upstream contract, and Yoga masks it.
 */
export abstract class GatewayError extends Error {
  /** Stable SCREAMING_SNAKE code of the family. */
  abstract readonly code: string;
  readonly flinksCode: string | null;
  readonly retryable: boolean = false;

  constructor(message: string, options: GatewayErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.flinksCode = options.flinksCode ?? null;
  }
}

/** The bank or Flinks refused who the user said they are. */
export class InvalidCredentialsError extends GatewayError {
  readonly code = 'INVALID_CREDENTIALS';
}

/** An MFA answer was refused. `requestId` is set when the session is still usable. */
export class MfaAnswerRejectedError extends GatewayError {
  readonly code = 'MFA_ANSWER_REJECTED';
  readonly requestId: string | null;
  readonly canRetry: boolean;
  /** The challenges to answer again when `canRetry`. */
  readonly challenges: SecurityChallenge[];

  constructor(
    message: string,
    options: GatewayErrorOptions & {
      requestId?: string | null;
      canRetry: boolean;
      challenges?: SecurityChallenge[];
    },
  ) {
    super(message, options);
    this.requestId = options.requestId ?? null;
    this.canRetry = options.canRetry;
    this.challenges = options.challenges ?? [];
  }

  /**
   * The same refusal for the round `requestId`: with the challenges to answer again, or, when
   * `challenges` is null, closed.
   */
  forRound(requestId: string, challenges: SecurityChallenge[] | null, message = this.message) {
    return new MfaAnswerRejectedError(message, {
      flinksCode: this.flinksCode,
      requestId: challenges === null ? null : (this.requestId ?? requestId),
      canRetry: challenges !== null,
      challenges: challenges ?? [],
      cause: this,
    });
  }
}

/** The RequestId is unknown, expired, or not the caller's: start again with `authorize`. */
export class SessionExpiredError extends GatewayError {
  readonly code = 'SESSION_EXPIRED';
}

/** The bank needs the user to act in online banking or with the bank first. */
export class LoginActionRequiredError extends GatewayError {
  readonly code = 'LOGIN_ACTION_REQUIRED';
}

/** An error whose cure is waiting: retryable, with the wait when known. */
abstract class TryLaterError extends GatewayError {
  override readonly retryable = true;
  readonly retryAfterSeconds: number | null;

  constructor(
    message: string,
    options: GatewayErrorOptions & { retryAfterSeconds?: number | null } = {},
  ) {
    super(message, options);
    this.retryAfterSeconds = options.retryAfterSeconds ?? null;
  }
}

/**
 * Another session or process holds this login right now (Flinks' CONCURRENT_SESSION,
 * CARD_IN_USE, ALREADY_AUTHORIZED), or a deletion of it is already under way.
 */
export class SessionBusyError extends TryLaterError {
  readonly code = 'SESSION_BUSY';
}

/**
 * The caller has no connected login with this LoginId: unknown, deleted, or another principal's,
 * all answered alike.
 */
export class LoginNotFoundError extends GatewayError {
  readonly code = 'LOGIN_NOT_FOUND';
}

/** Flinks or the institution cannot serve the call now; trying again later may work. */
export class InstitutionUnavailableError extends TryLaterError {
  readonly code = 'INSTITUTION_UNAVAILABLE';
}

/** Too many calls: by Flinks, or by the gateway's own limit. */
export class RateLimitedError extends TryLaterError {
  readonly code = 'RATE_LIMITED';
}

/**
 * Another answer to the same MFA step is with Flinks right now (sent twice, from two tabs or two
 * replicas): this one was not sent. Its result settles the step; ask `mfaStep` or retry then.
 */
export class MfaAnswerInProgressError extends TryLaterError {
  readonly code = 'MFA_ANSWER_IN_PROGRESS';
}

/**
 * The gateway itself cannot serve the call now: its store (where MFA steps, sessions and LoginId
 * owners live) is unreachable, or too many calls already wait for a Flinks token. Nothing was sent
 * to Flinks; the same call may succeed shortly.
 */
export class ServiceUnavailableError extends TryLaterError {
  readonly code = 'SERVICE_UNAVAILABLE';
}

export interface InputIssue {
  /** Where in the input, e.g. `['input', 'responses', '0', 'answers']`. */
  path: string[];
  message: string;
}

/** The gateway refused the input before calling Flinks. */
export class InvalidInputError extends GatewayError {
  readonly code = 'INVALID_INPUT';
  readonly issues: InputIssue[];

  /** Every problem of the request, in input order. */
  constructor(issues: InputIssue[]) {
    const sorted = [...issues].sort((a, b) =>
      a.path.join('.').localeCompare(b.path.join('.'), 'en', { numeric: true }),
    );
    super(`Invalid input: ${sorted.map(describeIssue).join('; ')}`);
    this.issues = sorted;
  }
}

/** `responses[0].prompt is not a key…`: the issue's place, as written in GraphQL, then what is wrong. */
function describeIssue(issue: InputIssue): string {
  const place = issue.path
    .slice(issue.path[0] === 'input' ? 1 : 0)
    .map((part, index) => (/^\d+$/.test(part) ? `[${part}]` : index === 0 ? part : `.${part}`))
    .join('');
  return place ? `${place} ${issue.message}` : issue.message;
}

/** Flinks answered with a FlinksCode this gateway has no family for. */
export class UpstreamError extends GatewayError {
  readonly code = 'UPSTREAM_ERROR';
}

/** The value parsed by `schema`, or InvalidInputError listing every issue under the path `at`. */
export function parseInput<T extends z.ZodType>(
  schema: T,
  value: unknown,
  at = ['input'],
): z.output<T> {
  const result = checkInput(schema, value, at);
  if ('issues' in result) throw new InvalidInputError(result.issues);
  return result.data;
}

/** The value parsed by `schema`, or every issue under the path `at`. */
export function checkInput<T extends z.ZodType>(
  schema: T,
  value: unknown,
  at = ['input'],
): { data: z.output<T> } | { issues: InputIssue[] } {
  const result = schema.safeParse(value);
  if (result.success) return { data: result.data };
  return {
    issues: result.error.issues.map((issue) => ({
      path: [...at, ...issue.path.map(String)],
      message: issue.message,
    })),
  };
}
