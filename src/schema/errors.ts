import {
  type GatewayError,
  type InputIssue,
  InstitutionUnavailableError,
  InvalidCredentialsError,
  InvalidInputError,
  LoginActionRequiredError,
  MfaAnswerInProgressError,
  MfaAnswerRejectedError,
  RateLimitedError,
  ServiceUnavailableError,
  SessionBusyError,
  SessionExpiredError,
  UpstreamError,
} from '../errors.ts';
import { builder } from './builder.ts';
import { SecurityChallenge } from './challenges.ts';

export const ErrorInterface = builder.interfaceRef<GatewayError>('Error').implement({
  description:
    'Every error member of a result union implements Error. Branch on `__typename`; show `message`.',
  fields: (t) => ({
    message: t.exposeString('message', {
      description: 'Written by the gateway and safe to show to a user; never Flinks’ raw text.',
    }),
    flinksCode: t.exposeString('flinksCode', {
      nullable: true,
      description: 'Flinks’ FlinksCode verbatim when the error came from Flinks, else null.',
    }),
    code: t.exposeString('code', {
      description: 'The gateway’s stable code of the error family, e.g. `INVALID_CREDENTIALS`.',
    }),
    retryable: t.exposeBoolean('retryable', {
      description:
        'Whether sending the very same call again, unchanged, may succeed later (an outage, a busy login, a rate limit). False when the user must change something first: a refused MFA answer is answered again with a different answer when `MfaAnswerRejectedError.canRetry`.',
    }),
  }),
});

const retryAfter = {
  description: 'Seconds to wait before trying again, when known.',
  nullable: true,
} as const;

builder.objectType(InvalidCredentialsError, {
  name: 'InvalidCredentialsError',
  description:
    'The institution or Flinks refused the login: INVALID_LOGIN, INVALID_USERNAME, INVALID_PASSWORD, INVALID_REQUEST, ACCESS_DENIED.',
  interfaces: [ErrorInterface],
});

builder.objectType(MfaAnswerRejectedError, {
  name: 'MfaAnswerRejectedError',
  description:
    'An MFA answer was refused: INVALID_SECURITY_RESPONSE, INVALID_SECURITY_RESPONSE_NO_RETRY, UNKNOWN_CHALLENGE_KEY, SECURITYRESPONSES_INCOMPLETE, QUESTION_NOT_FOUND.',
  interfaces: [ErrorInterface],
  fields: (t) => ({
    // Not named requestId: a nullable requestId here would conflict with AuthorizeSuccess's and
    // MfaRequired's ID! in any selection of the union (GraphQL's overlapping-fields rule).
    sessionRequestId: t.exposeID('requestId', {
      nullable: true,
      description:
        'The RequestId, when Flinks kept the session: answer again with it when `canRetry`. After a cached QUESTION_NOT_FOUND it still opens data calls.',
    }),
    canRetry: t.exposeBoolean('canRetry', {
      description:
        'Whether the user may answer this step again, with a different answer, by `answerMfa` with `sessionRequestId`. `retryable` is false all the same: resending the same answer would be refused again, and repeated wrong answers can lock the bank login.',
    }),
    challenges: t.expose('challenges', {
      type: [SecurityChallenge],
      description: 'The challenges to answer again when `canRetry`; empty otherwise.',
    }),
  }),
});

builder.objectType(SessionExpiredError, {
  name: 'SessionExpiredError',
  description:
    'The requestId is unknown, expired or not the caller’s (SESSION_NONEXISTENT, SESSION_EXPIRED): start again with `authorize`.',
  interfaces: [ErrorInterface],
});

builder.objectType(LoginActionRequiredError, {
  name: 'LoginActionRequiredError',
  description:
    'The institution needs the user first (DISABLED_LOGIN: contact the bank; NEW_ACCOUNT: finish a step in online banking).',
  interfaces: [ErrorInterface],
});

builder.objectType(SessionBusyError, {
  name: 'SessionBusyError',
  description:
    'The login is busy: CONCURRENT_SESSION, CARD_IN_USE, ALREADY_AUTHORIZED, or (`flinksCode` null) a deletion of it already under way. Retryable.',
  interfaces: [ErrorInterface],
  fields: (t) => ({ retryAfterSeconds: t.exposeInt('retryAfterSeconds', retryAfter) }),
});

builder.objectType(InstitutionUnavailableError, {
  name: 'InstitutionUnavailableError',
  description:
    'Flinks or the institution cannot serve the call now (RETRY_LATER, AGGREGATION_ERROR, DISABLED_INSTITUTION, a 5xx, a network failure or a timeout). Retryable.',
  interfaces: [ErrorInterface],
  fields: (t) => ({ retryAfterSeconds: t.exposeInt('retryAfterSeconds', retryAfter) }),
});

builder.objectType(RateLimitedError, {
  name: 'RateLimitedError',
  description: 'Too many calls (TOO_MANY_REQUESTS from Flinks, or the gateway’s own limit).',
  interfaces: [ErrorInterface],
  fields: (t) => ({ retryAfterSeconds: t.exposeInt('retryAfterSeconds', retryAfter) }),
});

builder.objectType(MfaAnswerInProgressError, {
  name: 'MfaAnswerInProgressError',
  description:
    'Another answer to this MFA step is with Flinks right now (sent twice, from two tabs or two replicas); this one was not sent. Its result settles the step. Retryable.',
  interfaces: [ErrorInterface],
  fields: (t) => ({ retryAfterSeconds: t.exposeInt('retryAfterSeconds', retryAfter) }),
});

builder.objectType(ServiceUnavailableError, {
  name: 'ServiceUnavailableError',
  description:
    'The gateway itself cannot serve the call now (its store of MFA steps, sessions and LoginId owners is unreachable, or too many calls already wait for a Flinks token); nothing was sent to Flinks. Retryable.',
  interfaces: [ErrorInterface],
  fields: (t) => ({ retryAfterSeconds: t.exposeInt('retryAfterSeconds', retryAfter) }),
});

const InputIssueType = builder.objectRef<InputIssue>('InputIssue').implement({
  description: 'One problem with the input.',
  fields: (t) => ({
    path: t.exposeStringList('path', {
      description: 'Where in the arguments, e.g. `["input", "responses", "0", "answers"]`.',
    }),
    message: t.exposeString('message', { description: 'What is wrong, safe to show.' }),
  }),
});

builder.objectType(InvalidInputError, {
  name: 'InvalidInputError',
  description: 'The gateway refused the input before calling Flinks; nothing was sent.',
  interfaces: [ErrorInterface],
  fields: (t) => ({
    issues: t.expose('issues', { type: [InputIssueType], description: 'Every problem found.' }),
  }),
});

builder.objectType(UpstreamError, {
  name: 'UpstreamError',
  description:
    'Flinks refused the call with a FlinksCode this gateway has no family for; see `flinksCode`.',
  interfaces: [ErrorInterface],
});

/** Every error member an /Authorize call can answer. */
export const AUTHORIZE_ERRORS = [
  InvalidInputError,
  InvalidCredentialsError,
  MfaAnswerRejectedError,
  SessionExpiredError,
  LoginActionRequiredError,
  SessionBusyError,
  InstitutionUnavailableError,
  RateLimitedError,
  UpstreamError,
  MfaAnswerInProgressError,
  ServiceUnavailableError,
];
