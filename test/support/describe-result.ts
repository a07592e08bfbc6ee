import type { AuthorizeResultFieldsFragment } from '../../src/generated/graphql.ts';

/**
 * One line per outcome, written the way a client branches: on `__typename`, every member
 * handled, and the `never` check makes a new member of AuthorizeResult a compile error here.
 */
export function describeResult(result: AuthorizeResultFieldsFragment): string {
  switch (result.__typename) {
    case 'AuthorizeSuccess':
      return `session ${result.requestId} on login ${result.login.id}`;
    case 'MfaRequired':
      return `mfa: ${result.challenges.map((challenge) => `${challenge.type} ${challenge.prompt}`).join('; ')}`;
    case 'MfaAnswerRejectedError':
      return `rejected (${result.flinksCode}), ${result.canRetry ? 'retry' : 'start again'}: ${result.message}`;
    case 'InvalidInputError':
      return `invalid input: ${result.issues.map((issue) => issue.path.join('.')).join(', ')}`;
    case 'InstitutionUnavailableError':
    case 'RateLimitedError':
    case 'MfaAnswerInProgressError':
    case 'ServiceUnavailableError':
      return `${result.code}, retry after ${result.retryAfterSeconds ?? '?'} s: ${result.message}`;
    case 'InvalidCredentialsError':
    case 'SessionExpiredError':
    case 'LoginActionRequiredError':
    case 'SessionBusyError':
    case 'UpstreamError':
      return `${result.code} (${result.flinksCode ?? 'gateway'}): ${result.message}`;
    default: {
      const unhandled: never = result;
      throw new Error(`unhandled result ${JSON.stringify(unhandled)}`);
    }
  }
}
