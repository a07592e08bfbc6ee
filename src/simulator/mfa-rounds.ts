import { type Body, isRecord, readSecurityResponses } from './authorize-fields.ts';
import { challengeReply } from './authorize-replies.ts';
import { judgeRound } from './challenges.ts';
import type { SessionStore } from './sessions.ts';
import { INSTITUTION, type SimulatorUser } from './users.ts';
import { flinksError, invalidRequest, type Reply } from './wire.ts';

/** What answering a round needs of the /Authorize service. */
export interface MfaRounds {
  readonly sessions: SessionStore;
  readonly now: () => number;
  readonly sessionIdleMs: number;
  /** Opens the session of a user who answered the last round. */
  succeed(user: SimulatorUser, requestId: string, tag: string | undefined): Reply;
}

/** /Authorize with a RequestId: the answers to the open round, judged as Flinks does. */
export function answerChallenges(body: Body, rounds: MfaRounds): Reply {
  const { sessions } = rounds;
  const requestId = body.RequestId;
  if (typeof requestId !== 'string') {
    return invalidRequest('The request is invalid.', {
      RequestId: ['RequestId must be a string'],
    });
  }
  const session = sessions.get(requestId.toLowerCase());
  const sessionFields = { RequestId: requestId, Institution: INSTITUTION };
  if (session === undefined) {
    return flinksError(400, 'SESSION_NONEXISTENT', 'The session does not exist.', sessionFields);
  }
  if (session.state === 'authorized') {
    return flinksError(
      400,
      'ALREADY_AUTHORIZED',
      'This session has already been authorized.',
      sessionFields,
    );
  }
  const now = rounds.now();
  if (now - session.lastSeenAt > rounds.sessionIdleMs) {
    sessions.delete(session.requestId);
    return sessionExpired(sessionFields);
  }
  session.lastSeenAt = now;

  const raw = body.SecurityResponses;
  // An absent or empty SecurityResponses gets the same 203 again, as Flinks does (FACTS.md).
  if (raw === undefined || raw === null || (isRecord(raw) && Object.keys(raw).length === 0)) {
    return challengeReply(session);
  }
  const responses = isRecord(raw) ? readSecurityResponses(raw) : undefined;
  if (responses === undefined) {
    return invalidRequest('The request is invalid.', {
      SecurityResponses: ['SecurityResponses must map each prompt to an array of strings'],
    });
  }
  if (session.flow.expiresBeforeAnswer) {
    sessions.delete(session.requestId);
    return sessionExpired(sessionFields);
  }

  const round = session.flow.rounds[session.round] ?? [];
  switch (judgeRound(round, session.language, responses)) {
    case 'unknown-key':
      return flinksError(
        401,
        'UNKNOWN_CHALLENGE_KEY',
        'A security response does not match any challenge that was asked.',
        sessionFields,
      );
    case 'incomplete':
      return flinksError(
        400,
        'SECURITYRESPONSES_INCOMPLETE',
        'Every security challenge must be answered.',
        sessionFields,
      );
    case 'wrong':
      if (session.flow.onWrongAnswer === 'end-session') {
        sessions.delete(session.requestId);
        return flinksError(
          401,
          'INVALID_SECURITY_RESPONSE_NO_RETRY',
          'The security response is invalid and the session is closed.',
          sessionFields,
        );
      }
      return flinksError(
        401,
        'INVALID_SECURITY_RESPONSE',
        'The security response is invalid.',
        sessionFields,
      );
    case 'accepted':
      session.round += 1;
      return session.round < session.flow.rounds.length
        ? challengeReply(session)
        : rounds.succeed(session.user, session.requestId, session.tag);
  }
}

function sessionExpired(fields: Body): Reply {
  return flinksError(400, 'SESSION_EXPIRED', 'The session has expired.', fields);
}
