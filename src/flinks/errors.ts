import {
  type GatewayError,
  InstitutionUnavailableError,
  InvalidCredentialsError,
  LoginActionRequiredError,
  MfaAnswerRejectedError,
  RateLimitedError,
  SessionBusyError,
  SessionExpiredError,
  UpstreamError,
} from '../errors.ts';

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

interface FlinksErrorContext {
  flinksCode: string;
  requestId: string | null;
  retryAfterSeconds: number | null;
  /** The fields Flinks' `ValidationDetails` names (PascalCase wire names), when it sent some. */
  invalidFields?: string[];
}

type ErrorFactory = (context: FlinksErrorContext) => GatewayError;

const credentials =
  (message: string): ErrorFactory =>
  ({ flinksCode }) =>
    new InvalidCredentialsError(message, { flinksCode });

const mfaRejected =
  (message: string, canRetry: boolean): ErrorFactory =>
  ({ flinksCode, requestId }) =>
    new MfaAnswerRejectedError(message, { flinksCode, requestId, canRetry });

const unavailable =
  (message: string): ErrorFactory =>
  ({ flinksCode, retryAfterSeconds }) =>
    new InstitutionUnavailableError(message, { flinksCode, retryAfterSeconds });

/** Every documented FlinksCode of /Authorize (../shared/reference/flinks/FACTS.md) by family. */
const BY_CODE: Record<string, ErrorFactory> = {
  INVALID_LOGIN: credentials('The login is not valid for this institution.'),
  INVALID_USERNAME: credentials('The institution did not accept the username.'),
  INVALID_PASSWORD: credentials('The institution did not accept the password.'),
  INVALID_REQUEST: ({ flinksCode, invalidFields = [] }) =>
    new InvalidCredentialsError(invalidRequestMessage(invalidFields), { flinksCode }),
  ACCESS_DENIED: credentials('The institution refused the authentication.'),

  INVALID_SECURITY_RESPONSE: mfaRejected(
    'The answer was not accepted. Check it and answer again.',
    true,
  ),
  INVALID_SECURITY_RESPONSE_NO_RETRY: mfaRejected(
    'The answer was not accepted and the session was closed. Start again.',
    false,
  ),
  UNKNOWN_CHALLENGE_KEY: mfaRejected('An answer did not match any question of this step.', true),
  SECURITYRESPONSES_INCOMPLETE: mfaRejected('Every question of this step needs an answer.', true),
  // In cached mode the RequestId of a QUESTION_NOT_FOUND is still usable (FACTS.md): kept.
  QUESTION_NOT_FOUND: mfaRejected(
    'Your bank asked a security question that has no saved answer. Connect your bank again to answer it.',
    false,
  ),

  SESSION_NONEXISTENT: ({ flinksCode }) =>
    new SessionExpiredError('The session does not exist or has ended. Start again.', {
      flinksCode,
    }),
  SESSION_EXPIRED: ({ flinksCode }) =>
    new SessionExpiredError('The session expired. Start again.', { flinksCode }),

  // Shown to end users word for word: what happened and what they can do, in their terms.
  DISABLED_LOGIN: ({ flinksCode }) =>
    new LoginActionRequiredError(
      'Your bank has disabled this login. Contact your bank to enable it, then try again.',
      { flinksCode },
    ),
  NEW_ACCOUNT: ({ flinksCode }) =>
    new LoginActionRequiredError(
      'Your bank needs you to finish a step in its online banking first. Log in there, then try again.',
      { flinksCode },
    ),

  CONCURRENT_SESSION: ({ flinksCode, retryAfterSeconds }) =>
    new SessionBusyError('Another session is open on this login. Try again shortly.', {
      flinksCode,
      retryAfterSeconds,
    }),
  CARD_IN_USE: ({ flinksCode, retryAfterSeconds }) =>
    new SessionBusyError('This login is still being processed. Try again shortly.', {
      flinksCode,
      retryAfterSeconds,
    }),
  ALREADY_AUTHORIZED: ({ flinksCode, retryAfterSeconds }) =>
    new SessionBusyError('This session is already authorized.', { flinksCode, retryAfterSeconds }),

  RETRY_LATER: unavailable('Flinks could not reach the institution. Try again later.'),
  AGGREGATION_ERROR: unavailable('Flinks had an unexpected failure. Try again later.'),
  DISABLED_INSTITUTION: unavailable('The institution is not available right now. Try again later.'),

  TOO_MANY_REQUESTS: ({ flinksCode, retryAfterSeconds }) =>
    new RateLimitedError('Too many requests to Flinks. Wait before trying again.', {
      flinksCode,
      retryAfterSeconds,
    }),
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

export function errorFromFlinksCode(context: FlinksErrorContext): GatewayError {
  const factory = BY_CODE[context.flinksCode];
  if (factory) return factory(context);
  return new UpstreamError('Flinks refused the request.', { flinksCode: context.flinksCode });
}

/** Every FlinksCode with a family of its own; any other becomes an UpstreamError. */
export const KNOWN_FLINKS_CODES: readonly string[] = Object.keys(BY_CODE);
