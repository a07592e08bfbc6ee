import {
  GatewayError,
  InstitutionUnavailableError,
  InvalidCredentialsError,
  LoginActionRequiredError,
  MfaAnswerRejectedError,
  RateLimitedError,
  SessionBusyError,
  SessionExpiredError,
  UpstreamError,
} from '../errors.ts';

/*
 * The one table of what each FlinksCode means: the error family it becomes, with its message,
 * and what else the gateway reads from the code (answer again, the LoginId exists, a deletion).
 * errors.ts reads a response into a code; this module says what the code is.
 */

/** Seconds to wait after CARD_IN_USE when Flinks sends no Retry-After (it documents none). */
export const CARD_IN_USE_RETRY_SECONDS = 5;

interface FlinksErrorContext {
  flinksCode: string;
  requestId: string | null;
  retryAfterSeconds: number | null;
  /** The fields Flinks' `ValidationDetails` names (PascalCase wire names), when it sent some. */
  invalidFields?: string[];
}

/**
 * What every family is built with; each keeps what it carries (`requestId` and `canRetry`:
 * MfaAnswerRejectedError; `retryAfterSeconds`: the families a client may retry).
 */
interface FamilyOptions {
  flinksCode: string;
  requestId: string | null;
  retryAfterSeconds: number | null;
  canRetry: boolean;
}

export interface FlinksCodeRow {
  family: new (message: string, options: FamilyOptions) => GatewayError;
  /** Written by the gateway, shown to users as it is. */
  message: string | ((context: FlinksErrorContext) => string);
  /** MfaAnswerRejectedError: whether the same step may be answered again. */
  canRetry?: boolean;
  /**
   * Flinks answers it only about a LoginId that exists (the bank had no stored answer, or wants
   * the user to act): the caller claims it, or anyone who knew it could use it unclaimed.
   */
  provesLoginExists?: true;
  /**
   * What the code means on /DeleteCard: `unknown`, no such LoginId (an outcome, not an error);
   * `same`, the error above; `busy`, a SessionBusyError of its own, with the wait to use when
   * Flinks sends no Retry-After. Absent: nothing specific to a deletion, an UpstreamError.
   */
  deleteCard?: 'unknown' | 'same' | { busy: string; retryAfterSeconds: number };
}

/** Every documented FlinksCode (../shared/reference/flinks/FACTS.md) and its error family. */
const FLINKS_CODES: Record<string, FlinksCodeRow> = {
  INVALID_LOGIN: {
    family: InvalidCredentialsError,
    message: 'The login is not valid for this institution.',
    // No such LoginId (any more): after a retried deletion, the first attempt's doing.
    deleteCard: 'unknown',
  },
  INVALID_USERNAME: {
    family: InvalidCredentialsError,
    message: 'The institution did not accept the username.',
  },
  INVALID_PASSWORD: {
    family: InvalidCredentialsError,
    message: 'The institution did not accept the password.',
  },
  INVALID_REQUEST: {
    family: InvalidCredentialsError,
    message: ({ invalidFields = [] }) => invalidRequestMessage(invalidFields),
  },
  ACCESS_DENIED: {
    family: InvalidCredentialsError,
    message: 'The institution refused the authentication.',
  },

  INVALID_SECURITY_RESPONSE: {
    family: MfaAnswerRejectedError,
    message: 'The answer was not accepted. Check it and answer again.',
    canRetry: true,
  },
  INVALID_SECURITY_RESPONSE_NO_RETRY: {
    family: MfaAnswerRejectedError,
    message: 'The answer was not accepted and the session was closed. Start again.',
    canRetry: false,
  },
  UNKNOWN_CHALLENGE_KEY: {
    family: MfaAnswerRejectedError,
    message: 'An answer did not match any question of this step.',
    canRetry: true,
  },
  SECURITYRESPONSES_INCOMPLETE: {
    family: MfaAnswerRejectedError,
    message: 'Every question of this step needs an answer.',
    canRetry: true,
  },
  // In cached mode the RequestId of a QUESTION_NOT_FOUND is still usable (FACTS.md): kept.
  QUESTION_NOT_FOUND: {
    family: MfaAnswerRejectedError,
    message:
      'Your bank asked a security question that has no saved answer. Connect your bank again to answer it.',
    canRetry: false,
    provesLoginExists: true,
  },

  SESSION_NONEXISTENT: {
    family: SessionExpiredError,
    message: 'The session does not exist or has ended. Start again.',
  },
  SESSION_EXPIRED: { family: SessionExpiredError, message: 'The session expired. Start again.' },

  // Shown to end users word for word: what happened and what they can do, in their terms.
  DISABLED_LOGIN: {
    family: LoginActionRequiredError,
    message: 'Your bank has disabled this login. Contact your bank to enable it, then try again.',
    provesLoginExists: true,
  },
  NEW_ACCOUNT: {
    family: LoginActionRequiredError,
    message:
      'Your bank needs you to finish a step in its online banking first. Log in there, then try again.',
    provesLoginExists: true,
  },

  CONCURRENT_SESSION: {
    family: SessionBusyError,
    message: 'Another session is open on this login. Try again shortly.',
  },
  CARD_IN_USE: {
    family: SessionBusyError,
    message: 'This login is still being processed. Try again shortly.',
    // Flinks answers it to a deletion right after an authorization, while it still processes the account.
    deleteCard: {
      busy: 'Your bank is still processing this connection. Try again in a few seconds.',
      retryAfterSeconds: CARD_IN_USE_RETRY_SECONDS,
    },
  },
  ALREADY_AUTHORIZED: { family: SessionBusyError, message: 'This session is already authorized.' },

  RETRY_LATER: {
    family: InstitutionUnavailableError,
    message: 'Flinks could not reach the institution. Try again later.',
    deleteCard: 'same',
  },
  AGGREGATION_ERROR: {
    family: InstitutionUnavailableError,
    message: 'Flinks had an unexpected failure. Try again later.',
    deleteCard: 'same',
  },
  DISABLED_INSTITUTION: {
    family: InstitutionUnavailableError,
    message: 'The institution is not available right now. Try again later.',
    deleteCard: 'same',
  },

  TOO_MANY_REQUESTS: {
    family: RateLimitedError,
    message: 'Too many requests to Flinks. Wait before trying again.',
    deleteCard: 'same',
  },
};

/** INVALID_REQUEST says which field, in the input's terms, when Flinks' ValidationDetails does. */
function invalidRequestMessage(fields: string[]): string {
  const names = fields
    .filter((field) => /^[A-Za-z][A-Za-z0-9]{0,40}$/.test(field))
    .map((field) => field.charAt(0).toLowerCase() + field.slice(1));
  if (names.includes('institution')) {
    return 'Flinks does not know this institution. Check its name, spelled as Flinks lists it (FlinksCapital on the toolbox and the embedded simulator).';
  }
  if (names.length > 0) {
    return `Flinks refused the request: check ${names.map((name) => `\`${name}\``).join(', ')}.`;
  }
  return 'Flinks refused the request as incomplete or malformed.';
}

/** The error a FlinksCode becomes; one without a row is an UpstreamError (it is still typed). */
export function errorFromFlinksCode(context: FlinksErrorContext): GatewayError {
  const row = codeRow(context.flinksCode);
  if (!row) {
    return new UpstreamError('Flinks refused the request.', { flinksCode: context.flinksCode });
  }
  const message = typeof row.message === 'string' ? row.message : row.message(context);
  return new row.family(message, {
    flinksCode: context.flinksCode,
    requestId: context.requestId,
    retryAfterSeconds: context.retryAfterSeconds,
    canRetry: row.canRetry ?? false,
  });
}

/** Whether a thrown value is Flinks' answer about a LoginId that exists (the row's flag). */
export function provesLoginExists(error: unknown): boolean {
  const flinksCode = error instanceof GatewayError ? error.flinksCode : null;
  return flinksCode !== null && codeRow(flinksCode)?.provesLoginExists === true;
}

/** A FlinksCode's row; undefined for a code the table does not know. */
export function codeRow(flinksCode: string): FlinksCodeRow | undefined {
  return Object.hasOwn(FLINKS_CODES, flinksCode) ? FLINKS_CODES[flinksCode] : undefined;
}

/** Every FlinksCode with a family of its own; any other becomes an UpstreamError. */
export const KNOWN_FLINKS_CODES: readonly string[] = Object.keys(FLINKS_CODES);
