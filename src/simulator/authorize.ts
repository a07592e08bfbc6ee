import { randomUUID } from 'node:crypto';
import { type Body, isRecord, readMostRecentCached, text } from './authorize-fields.ts';
import { challengeReply, failureReply, successReply } from './authorize-replies.ts';
import type { Language } from './challenges.ts';
import { answerChallenges } from './mfa-rounds.ts';
import type { ParsedBody } from './routes.ts';
import type { OpenSession, PendingSession, SessionStore } from './sessions.ts';
import { AuthorizeTokens } from './tokens.ts';
import {
  derivedLastRefresh,
  findUser,
  formatLastRefresh,
  INSTITUTION,
  loginIdOf,
  PASSWORD,
  SEEDED_LOGINS,
  type SeededLogin,
  type SimulatorUser,
} from './users.ts';
import {
  BAD_GATEWAY_HTML,
  DATA_LINKS,
  type FaultReply,
  flinksError,
  INVALID_AUTHORIZE_TOKEN,
  invalidRequest,
  type JsonReply,
  json,
  type Reply,
} from './wire.ts';

export interface FlinksServiceConfig {
  readonly secretKey: string;
  readonly now: () => number;
  readonly tokenLifetimeMs: number;
  readonly sessionIdleMs: number;
  readonly sessions: SessionStore;
  /** Accept any non-empty `flinks-auth-key` on /Authorize (see SimulatorOptions). */
  readonly anyAuthorizeToken?: boolean;
  /** How long after an authorization /DeleteCard answers CARD_IN_USE (see SimulatorOptions). */
  readonly cardInUseMs: number;
}

export interface FlinksService {
  generateAuthorizeToken(authKey: string | undefined): Reply;
  authorize(authKey: string | undefined, body: ParsedBody): Reply;
  /** `DELETE /DeleteCard/{loginId}`: forgets the LoginId and closes its sessions. */
  deleteCard(loginId: string): Reply;
}

type Login = Pick<SeededLogin, 'loginId' | 'username' | 'lastRefresh' | 'failure'>;

interface RequestOptions {
  readonly language: Language;
  readonly tag: string | undefined;
}

export function createFlinksService(config: FlinksServiceConfig): FlinksService {
  const tokens = new AuthorizeTokens(config);
  const { sessions } = config;
  const logins = new Map<string, Login>(
    SEEDED_LOGINS.map((login) => [login.loginId.toLowerCase(), login]),
  );
  const refusedOnce = new Set<string>();
  /** When each LoginId (lower case) last opened a session: /DeleteCard is refused for a while. */
  const lastAuthorized = new Map<string, number>();
  const faultedOnce = new Set<string>();

  /**
   * The fault a fault user's call gets now, or undefined when its once-fault has passed. A
   * trickled body carries the normal answer, made only then (it opens a session).
   */
  function faultOf(user: SimulatorUser | undefined, normal: () => Reply): FaultReply | undefined {
    if (user?.flow.kind !== 'fault') return undefined;
    const key = user.username.toLowerCase();
    if (user.flow.once && faultedOnce.has(key)) return undefined;
    faultedOnce.add(key);
    const { fault } = user.flow;
    return fault === 'trickle'
      ? { kind: 'fault', fault, normal: normal() }
      : { kind: 'fault', fault };
  }

  function authorize(authKey: string | undefined, parsed: ParsedBody): Reply {
    if (!tokens.consume(authKey)) return INVALID_AUTHORIZE_TOKEN;
    if (!parsed.ok) return invalidRequest('The request body is not valid JSON.');
    const body = parsed.value;
    if (!isRecord(body)) return invalidRequest('The request body must be a JSON object.');
    if (body.RequestId !== undefined) {
      return answerChallenges(body, {
        sessions,
        now: config.now,
        sessionIdleMs: config.sessionIdleMs,
        succeed,
      });
    }

    const options: RequestOptions = {
      language: text(body, 'Language')?.trim().toLowerCase() === 'fr' ? 'fr' : 'en',
      tag: typeof body.Tag === 'string' ? body.Tag : undefined,
    };
    const cached = readMostRecentCached(body.MostRecentCached);
    if (cached === 'invalid') {
      return invalidRequest('The request is invalid.', {
        MostRecentCached: ['MostRecentCached must be true or false'],
      });
    }
    const loginId = text(body, 'LoginId');
    if (cached) {
      return loginId === undefined
        ? invalidRequest('The request is invalid.', { LoginId: ['LoginId is required'] })
        : openCached(loginId, options);
    }
    return loginId === undefined ? logIn(body, options) : refresh(loginId, options);
  }

  function unknownLogin(): Reply {
    return flinksError(
      401,
      'INVALID_LOGIN',
      'The LoginId is invalid or does not belong to this customer.',
    );
  }

  function openSession(
    login: Pick<Login, 'loginId' | 'username' | 'lastRefresh'>,
    tag: string | undefined,
    requestId: string = randomUUID(),
  ): string {
    const session: OpenSession = {
      state: 'authorized',
      requestId,
      loginId: login.loginId,
      username: login.username,
      lastRefresh: login.lastRefresh,
      tag,
      lastUsedAt: config.now(),
    };
    sessions.set(requestId, session);
    lastAuthorized.set(login.loginId.toLowerCase(), config.now());
    return requestId;
  }

  function deleteCard(loginId: string): Reply {
    const key = loginId.toLowerCase();
    if (!logins.has(key)) return unknownLogin();
    if (config.now() - (lastAuthorized.get(key) ?? Number.NEGATIVE_INFINITY) < config.cardInUseMs) {
      return flinksError(
        400,
        'CARD_IN_USE',
        'The card is being processed after an authorization. Try again in a few seconds.',
      );
    }
    logins.delete(key);
    lastAuthorized.delete(key);
    for (const [requestId, session] of sessions) {
      if (session.state === 'authorized' && session.loginId.toLowerCase() === key) {
        sessions.delete(requestId);
      }
    }
    return json(200, {
      StatusCode: 200,
      Message: `All of the information about LoginId ${loginId} has been removed`,
    });
  }

  function openCached(loginId: string, options: RequestOptions): Reply {
    const login = logins.get(loginId.toLowerCase());
    if (login === undefined) return unknownLogin();
    const fault = faultOf(findUser(login.username), () =>
      successReply(login, openSession(login, options.tag), options.tag),
    );
    if (fault) return fault;
    if (login.failure) {
      // In cached mode the RequestId of QUESTION_NOT_FOUND still opens the cached data (FACTS.md).
      return loginFailure(login.failure, () => openSession(login, options.tag));
    }
    return successReply(login, openSession(login, options.tag), options.tag);
  }

  function loginFailure(failure: NonNullable<Login['failure']>, requestId: () => string): Reply {
    return failureReply(
      failure,
      failure.withRequestId ? { RequestId: requestId(), Institution: INSTITUTION } : {},
    );
  }

  function refresh(loginId: string, options: RequestOptions): Reply {
    const login = logins.get(loginId.toLowerCase());
    if (login === undefined) return unknownLogin();
    if (login.failure) return loginFailure(login.failure, () => randomUUID());
    const user = findUser(login.username);
    return user === undefined ? unknownLogin() : runLiveFlow(user, options);
  }

  function logIn(body: Body, options: RequestOptions): Reply {
    const username = text(body, 'Username', 'username');
    const password = text(body, 'Password', 'password');
    const institution = text(body, 'Institution');
    if (username === undefined || password === undefined || institution === undefined) {
      const missing = Object.entries({
        Username: username,
        Password: password,
        Institution: institution,
      }).filter(([, value]) => value === undefined);
      return invalidRequest(
        'The request is invalid.',
        Object.fromEntries(missing.map(([field]) => [field, [`${field} is required`]])),
      );
    }
    if (institution.toLowerCase() !== INSTITUTION.toLowerCase()) {
      return invalidRequest('The institution is not supported.', {
        Institution: [`Institution '${institution}' is not supported`],
      });
    }
    const user = findUser(username);
    const bankFields = { RequestId: randomUUID(), Institution: INSTITUTION };
    if (user === undefined) {
      return flinksError(401, 'INVALID_USERNAME', 'The username provided is invalid.', bankFields);
    }
    // Flinks' own API reference sends "everyday" (authorize-api-reference-fields.txt).
    if (password.toLowerCase() !== PASSWORD.toLowerCase()) {
      return flinksError(401, 'INVALID_PASSWORD', 'The password provided is invalid.', bankFields);
    }
    return runLiveFlow(user, options);
  }

  function runLiveFlow(user: SimulatorUser, options: RequestOptions): Reply {
    const { flow } = user;
    switch (flow.kind) {
      case 'success':
        return succeed(user, randomUUID(), options.tag);
      case 'slow':
        return { ...succeed(user, randomUUID(), options.tag), delayMs: flow.delayMs };
      case 'mfa': {
        const session: PendingSession = {
          state: 'authorizing',
          requestId: randomUUID(),
          user,
          flow,
          language: flow.language ?? options.language,
          tag: options.tag,
          round: 0,
          lastSeenAt: config.now(),
        };
        sessions.set(session.requestId, session);
        return challengeReply(session);
      }
      case 'failure':
        return failureReply(flow.failure, { RequestId: randomUUID(), Institution: INSTITUTION });
      case 'bad-gateway':
        return { kind: 'html', status: 502, body: BAD_GATEWAY_HTML };
      case 'broken-contract':
        return json(200, { Links: DATA_LINKS, HttpStatusCode: 200, Institution: INSTITUTION });
      case 'fault':
        return (
          faultOf(user, () => succeed(user, randomUUID(), options.tag)) ??
          succeed(user, randomUUID(), options.tag)
        );
      case 'token-refused': {
        const key = user.username.toLowerCase();
        if (!flow.once || !refusedOnce.has(key)) {
          refusedOnce.add(key);
          return INVALID_AUTHORIZE_TOKEN;
        }
        return succeed(user, randomUUID(), options.tag);
      }
    }
  }

  function succeed(user: SimulatorUser, requestId: string, tag: string | undefined): JsonReply {
    const loginId = loginIdOf(user.username);
    if (!logins.has(loginId)) {
      logins.set(loginId, {
        loginId,
        username: user.username,
        lastRefresh: derivedLastRefresh(user.username),
      });
    }
    const login = {
      loginId,
      username: user.username,
      lastRefresh: formatLastRefresh(config.now()),
    };
    openSession(login, tag, requestId);
    return successReply(login, requestId, tag);
  }

  return {
    generateAuthorizeToken: (authKey) => tokens.generate(authKey),
    authorize,
    deleteCard,
  };
}
