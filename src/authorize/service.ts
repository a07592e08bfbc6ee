import {
  checkInput,
  type InputIssue,
  InvalidInputError,
  MfaAnswerInProgressError,
  MfaAnswerRejectedError,
  parseInput,
  SessionExpiredError,
} from '../errors.ts';
import { errorFromFlinksCode, provesLoginExists } from '../flinks/codes.ts';
import { FlinksId } from '../flinks/ids.ts';
import type { AuthorizeOutcome, AuthorizeRequest } from '../flinks/types.ts';
import { type GatewayStore, type MfaRound, ROUND_TTL_MS, SESSION_TTL_MS } from '../store/index.ts';
import { securityResponses, withAnswerIssues } from './answers.ts';
import {
  type AnswerMfaCommand,
  AnswerMfaInput,
  type AuthorizeCommand,
  AuthorizeInput,
} from './inputs.ts';
import type { RateLimiter } from './rate-limit.ts';
import type { AuthorizeView, MfaRequiredView } from './views.ts';

export interface AuthorizeServiceOptions {
  flinks: {
    authorize(
      request: AuthorizeRequest,
      signal?: AbortSignal,
      caller?: string,
    ): Promise<AuthorizeOutcome>;
  };
  store: GatewayStore;
  /** Limits authorize + answerMfa calls per principal; none when absent. */
  limiter?: RateLimiter | null;
  /** Answers Flinks may refuse in one MFA round before the gateway closes it. */
  maxWrongAnswers?: number;
  /**
   * How long an answer holds its round while at Flinks: longer than any request may last (the
   * request deadline), so that a lease never ends while its answer is still with Flinks.
   */
  answerLeaseMs?: number;
  now?: () => number;
}

/**
 * The /Authorize conversation: checks input before any upstream call, keeps LoginIds and MFA
 * rounds to the principal that obtained them, checks answers against the open round, and moves
 * the round on with Flinks' answer.
 */
export class AuthorizeService {
  readonly #flinks: AuthorizeServiceOptions['flinks'];
  readonly #store: GatewayStore;
  readonly #limiter: RateLimiter | null;
  readonly #maxWrongAnswers: number;
  readonly #answerLeaseMs: number;
  readonly #now: () => number;

  constructor(options: AuthorizeServiceOptions) {
    this.#flinks = options.flinks;
    this.#store = options.store;
    this.#limiter = options.limiter ?? null;
    this.#maxWrongAnswers = options.maxWrongAnswers ?? 3;
    this.#answerLeaseMs = options.answerLeaseMs ?? 140_000;
    this.#now = options.now ?? Date.now;
  }

  async authorize(
    principal: string,
    command: AuthorizeCommand,
    signal?: AbortSignal,
  ): Promise<AuthorizeView> {
    await this.#limiter?.take(principal);
    const input = parseInput(AuthorizeInput, command);
    const request: AuthorizeRequest = input.cached
      ? { mode: 'cached', loginId: input.cached.loginId }
      : input.refresh
        ? { mode: 'refresh', ...input.refresh }
        : { mode: 'credentials', ...(input.credentials as NonNullable<typeof input.credentials>) };
    const loginId =
      request.mode === 'cached' || request.mode === 'refresh' ? request.loginId : null;
    if (loginId !== null) {
      const owner = await this.#store.loginOwner(loginId);
      if (owner !== undefined && owner !== principal) throw loginNotFound();
      // Deleted at Flinks through deleteLogin: Flinks would answer INVALID_LOGIN; it is not asked.
      if (owner === undefined && (await this.#store.deletedLoginOwner(loginId)) !== undefined) {
        throw loginNotFound();
      }
    }
    let outcome: AuthorizeOutcome;
    try {
      outcome = await this.#flinks.authorize(request, signal, principal);
    } catch (error) {
      if (loginId !== null && provesLoginExists(error)) await this.#claim(loginId, principal);
      // A cached QUESTION_NOT_FOUND still opens a usable session (FACTS.md): the caller's.
      if (error instanceof MfaAnswerRejectedError && error.requestId && request.mode === 'cached') {
        await this.#grantSession(error.requestId, principal, loginId);
      }
      throw error;
    }
    return this.#settle(principal, loginId, outcome);
  }

  async answerMfa(
    principal: string,
    command: AnswerMfaCommand,
    signal?: AbortSignal,
  ): Promise<AuthorizeView> {
    await this.#limiter?.take(principal);
    const checked = checkInput(AnswerMfaInput, command);
    if ('issues' in checked)
      throw await this.#everyAnswerProblem(principal, command, checked.issues);
    const input = checked.data;
    // One answer per round at Flinks at a time, whichever replica it reaches: a second would be
    // judged by the bank too (a lockout risk, a way around the wrong-answer cap).
    const lease = await this.#store.beginAnswer(input.requestId, principal, {
      now: this.#now(),
      leaseMs: this.#answerLeaseMs,
      maxWrongAnswers: this.#maxWrongAnswers,
    });
    // Someone else's round answers exactly like an unknown one: nothing to learn from probing.
    if (lease.status === 'none') throw noOpenStep();
    if (lease.status === 'busy') {
      throw new MfaAnswerInProgressError(
        'Another answer to this step is being checked. Wait for its result, then try again if needed.',
        { retryAfterSeconds: 1 },
      );
    }
    const { round, leaseId } = lease;
    let responses: Record<string, string[]>;
    try {
      responses = securityResponses(round.challenges, input.responses);
    } catch (error) {
      await this.#store.endAnswer(round.requestId, leaseId);
      throw error;
    }
    let outcome: AuthorizeOutcome;
    try {
      outcome = await this.#flinks.authorize(
        { mode: 'answer', requestId: round.requestId, responses },
        signal,
        principal,
      );
    } catch (error) {
      throw await this.#refused(round, leaseId, error);
    }
    // A success closes the round; another step replaces it (and its lease) under the same id.
    if (outcome.kind === 'success') await this.#store.deleteRound(round.requestId);
    return this.#settle(principal, round.loginId, outcome);
  }

  /** The open MFA step of a RequestId, for a page that reloads mid-conversation. */
  async openRound(principal: string, requestId: string): Promise<MfaRequiredView> {
    const round = await this.#ownRound(principal, parseInput(FlinksId, requestId, ['requestId']));
    return {
      kind: 'mfa',
      requestId: round.requestId,
      institution: null,
      challenges: round.challenges,
      tag: null,
      expiresAt: new Date(round.expiresAt),
    };
  }

  /** Claims the LoginId for `principal`; throws as for an unknown one when another owns it. */
  async #claim(loginId: string, principal: string): Promise<void> {
    const record = { loginId, principal, institution: null, username: null, lastRefresh: null };
    if ((await this.#store.claimLogin(record, this.#now())) !== principal) throw loginNotFound();
  }

  /**
   * The input's own problems (a limit, an empty field) together with those of the answers against
   * the open step, so that one request reports every problem rather than one pass at a time.
   */
  async #everyAnswerProblem(
    principal: string,
    command: AnswerMfaCommand,
    issues: InputIssue[],
  ): Promise<InvalidInputError> {
    const requestId = FlinksId.safeParse(command.requestId);
    if (!requestId.success || command.responses.length > 50) return new InvalidInputError(issues);
    const round = await this.#store.getRound(requestId.data, this.#now());
    if (!round || round.principal !== principal) return new InvalidInputError(issues);
    return new InvalidInputError(withAnswerIssues(issues, round.challenges, command.responses));
  }

  async #grantSession(requestId: string, principal: string, loginId: string | null) {
    await this.#store.putSession({
      requestId,
      principal,
      loginId,
      expiresAt: this.#now() + SESSION_TTL_MS,
    });
  }

  async #ownRound(principal: string, requestId: string): Promise<MfaRound> {
    const round = await this.#store.getRound(requestId, this.#now());
    // Someone else's round answers exactly like an unknown one: nothing to learn from probing.
    if (!round || round.principal !== principal) throw noOpenStep();
    return round;
  }

  /** What to throw after Flinks refused an answer, with the round moved on accordingly. */
  async #refused(round: MfaRound, leaseId: string, error: unknown): Promise<unknown> {
    if (error instanceof SessionExpiredError) {
      await this.#store.deleteRound(round.requestId);
      return error;
    }
    if (!(error instanceof MfaAnswerRejectedError)) {
      // No verdict on the answer (Flinks unreachable, the client gone): the round stays open.
      // Should the store fail too, the lease runs out on its own.
      await this.#store.endAnswer(round.requestId, leaseId).catch(() => {});
      return error;
    }
    if (!error.canRetry) {
      await this.#store.deleteRound(round.requestId);
      return error.forRound(round.requestId, null);
    }
    const wrongAnswers = await this.#store.recordWrongAnswer(
      round.requestId,
      leaseId,
      this.#now() + ROUND_TTL_MS,
    );
    // 0: the round is no longer this answer's (expired and gone); nothing to count on.
    if (wrongAnswers === 0) return error.forRound(round.requestId, null);
    if (wrongAnswers >= this.#maxWrongAnswers) {
      await this.#store.deleteRound(round.requestId);
      return error.forRound(round.requestId, null, TOO_MANY_WRONG_ANSWERS);
    }
    return error.forRound(round.requestId, round.challenges);
  }

  async #settle(
    principal: string,
    loginId: string | null,
    outcome: AuthorizeOutcome,
  ): Promise<AuthorizeView> {
    if (outcome.kind === 'success') {
      const now = this.#now();
      // With credentials the caller proved the bank login, so the session is theirs even when the
      // LoginId is another principal's (who keeps it). By LoginId, losing a race for it to another
      // principal meanwhile gets no session.
      const owner = await this.#store.settleSuccess(
        {
          loginId: outcome.login.id,
          principal,
          institution: outcome.institution,
          username: outcome.login.username,
          lastRefresh: outcome.login.lastRefresh,
        },
        {
          requestId: outcome.requestId,
          principal,
          loginId: outcome.login.id,
          expiresAt: now + SESSION_TTL_MS,
        },
        { ownerOnly: loginId !== null, now },
      );
      if (owner !== principal && loginId !== null) throw loginNotFound();
      return outcome;
    }
    // A refresh that asks a question proves the LoginId exists, as a success does.
    if (loginId !== null) await this.#claim(loginId, principal);
    const expiresAt = this.#now() + ROUND_TTL_MS;
    await this.#store.putRound({
      requestId: outcome.requestId,
      principal,
      loginId,
      challenges: outcome.challenges,
      expiresAt,
    });
    return { ...outcome, expiresAt: new Date(expiresAt) };
  }
}

const TOO_MANY_WRONG_ANSWERS = 'Too many wrong answers: this step is closed. Start again.';

function noOpenStep() {
  return new SessionExpiredError(
    'No open MFA step has this requestId. Start again with authorize.',
  );
}

/**
 * Exactly what Flinks answers for a LoginId it does not know (INVALID_LOGIN), so that another
 * principal's LoginId cannot be told apart from one that does not exist.
 */
function loginNotFound() {
  return errorFromFlinksCode({
    flinksCode: 'INVALID_LOGIN',
    requestId: null,
    retryAfterSeconds: null,
  });
}
