import { randomUUID } from 'node:crypto';
import { judgeRound, type Language, renderRound } from './challenges.ts';
import type { OpenSession, PendingSession, SessionStore } from './sessions.ts';
import {
  derivedLastRefresh,
  type FlinksFailure,
  findUser,
  formatLastRefresh,
  INSTITUTION,
  INSTITUTION_ID,
  loginIdOf,
  PASSWORD,
  SEEDED_LOGINS,
  type SeededLogin,
  type SimulatorUser,
} from './users.ts';
import {
  AUTHORIZE_LINKS,
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

export type ParsedBody = { readonly ok: true; readonly value: unknown } | { readonly ok: false };

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

type Body = Readonly<Record<string, unknown>>;

function isRecord(value: unknown): value is Body {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function text(body: Body, ...names: string[]): string | undefined {
  for (const name of names) {
    const value = body[name];
    if (typeof value === 'string' && value.trim() !== '') return value;
  }
  return undefined;
}

function readMostRecentCached(value: unknown): boolean | 'invalid' {
  if (value === undefined || value === null || value === false) return false;
  if (value === true) return true;
  if (typeof value === 'string' && /^(true|false)$/i.test(value)) {
    return value.toLowerCase() === 'true';
  }
  return 'invalid';
}

function readSecurityResponses(value: Body): Map<string, string[]> | undefined {
  const responses = new Map<string, string[]>();
  for (const [key, answers] of Object.entries(value)) {
    if (!Array.isArray(answers) || !answers.every((answer) => typeof answer === 'string')) {
      return undefined;
    }
    responses.set(key, answers);
  }
  return responses;
}

function failureReply(failure: FlinksFailure, fields: Body = {}): Reply {
  return flinksError(failure.status, failure.code, failure.message, fields, failure.headers);
}

export function createFlinksService(config: FlinksServiceConfig): FlinksService {
  const tokens = new Map<string, number>();
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

  function generateAuthorizeToken(authKey: string | undefined): Reply {
    if (authKey !== config.secretKey) {
      return flinksError(401, 'UNAUTHORIZED', 'You must provide a valid auth key');
    }
    const now = config.now();
    // One lifetime for every token: insertion order is expiry order, so the sweep stops at the
    // first live one instead of scanning every token ever minted (a mint took 1 ms at 90k).
    for (const [token, expiresAt] of tokens) {
      if (expiresAt > now) break;
      tokens.delete(token);
    }
    const token = randomUUID();
    // With anyAuthorizeToken nothing is checked against the map: keep it empty.
    if (!config.anyAuthorizeToken) tokens.set(token, now + config.tokenLifetimeMs);
    return json(200, { HttpStatusCode: 200, Token: token });
  }

  function consumeToken(authKey: string | undefined): boolean {
    if (authKey === undefined) return false;
    if (config.anyAuthorizeToken) return authKey !== '';
    const expiresAt = tokens.get(authKey);
    tokens.delete(authKey);
    return expiresAt !== undefined && config.now() < expiresAt;
  }

  function authorize(authKey: string | undefined, parsed: ParsedBody): Reply {
    if (!consumeToken(authKey)) return INVALID_AUTHORIZE_TOKEN;
    if (!parsed.ok) return invalidRequest('The request body is not valid JSON.');
    const body = parsed.value;
    if (!isRecord(body)) return invalidRequest('The request body must be a JSON object.');
    if (body.RequestId !== undefined) return answerChallenges(body);

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

  function successReply(
    login: Pick<Login, 'loginId' | 'username' | 'lastRefresh'>,
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

  function challengeReply(session: PendingSession): Reply {
    const round = session.flow.rounds[session.round] ?? [];
    return json(203, {
      ...(session.user.bareChallenge ? {} : { Links: AUTHORIZE_LINKS, HttpStatusCode: 203 }),
      SecurityChallenges: renderRound(round, session.language),
      Institution: INSTITUTION,
      RequestId: session.requestId,
      ...(session.tag === undefined ? {} : { Tag: session.tag }),
    });
  }

  function answerChallenges(body: Body): Reply {
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
    const now = config.now();
    if (now - session.lastSeenAt > config.sessionIdleMs) {
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
          : succeed(session.user, session.requestId, session.tag);
    }
  }

  function sessionExpired(fields: Body): Reply {
    return flinksError(400, 'SESSION_EXPIRED', 'The session has expired.', fields);
  }

  return { generateAuthorizeToken, authorize, deleteCard };
}
