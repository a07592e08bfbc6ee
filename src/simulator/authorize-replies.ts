import type { Body } from './authorize-fields.ts';
import { renderRound } from './challenges.ts';
import type { PendingSession } from './sessions.ts';
import {
  type FlinksFailure,
  findUser,
  INSTITUTION,
  INSTITUTION_ID,
  type SeededLogin,
} from './users.ts';
import {
  AUTHORIZE_LINKS,
  DATA_LINKS,
  flinksError,
  type JsonReply,
  json,
  type Reply,
} from './wire.ts';

/** A login's failure, as Flinks answers it. */
export function failureReply(failure: FlinksFailure, fields: Body = {}): Reply {
  return flinksError(failure.status, failure.code, failure.message, fields, failure.headers);
}

/** 200: the login is authorized and its session open. */
export function successReply(
  login: Pick<SeededLogin, 'loginId' | 'username' | 'lastRefresh'>,
  requestId: string,
  tag: string | undefined,
): JsonReply {
  const sparse = findUser(login.username)?.sparseSuccess === true;
  return json(200, {
    Links: DATA_LINKS,
    HttpStatusCode: 200,
    Login: {
      Username: login.username,
      IsScheduledRefresh: false,
      LastRefresh: login.lastRefresh,
      ...(sparse ? {} : { Type: 'Personal' }),
      Id: login.loginId,
    },
    ...(sparse ? {} : { InstitutionName: INSTITUTION, InstitutionId: INSTITUTION_ID }),
    Institution: INSTITUTION,
    RequestId: requestId,
    ...(tag === undefined ? {} : { Tag: tag }),
  });
}

/** 203: the open round's challenges. */
export function challengeReply(session: PendingSession): Reply {
  const round = session.flow.rounds[session.round] ?? [];
  return json(203, {
    ...(session.user.bareChallenge ? {} : { Links: AUTHORIZE_LINKS, HttpStatusCode: 203 }),
    SecurityChallenges: renderRound(round, session.language),
    Institution: INSTITUTION,
    RequestId: session.requestId,
    ...(session.tag === undefined ? {} : { Tag: session.tag }),
  });
}
