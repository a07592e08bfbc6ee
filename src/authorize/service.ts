import type { Logger } from 'pino';
import { z } from 'zod';
import { InvalidInputError, MfaAnswerRejectedError, SessionExpiredError } from '../errors.ts';
import type {
  AuthorizeOutcome,
  AuthorizeRequest,
  AuthorizeSuccessOutcome,
  MfaRequiredOutcome,
} from '../flinks/types.ts';
import { securityResponses } from './answers.ts';
import type { MfaRound, RoundStore } from './round-store.ts';

/** A RequestId lives 8 minutes without activity while authorizing (FACTS.md, Lifetimes). */
export const ROUND_TTL_MS = 8 * 60 * 1000;

// Flinks ids look like GUIDs but are not always RFC 4122 (the reference's own LoginId
// 5e115eac-1209-4f19-641c-08d6d484e2fe has no valid variant), so z.uuid() would refuse real ones.
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const CONTROL = /\p{Cc}/u;

const Guid = z.string().regex(GUID, 'must be a GUID such as 5e115eac-1209-4f19-641c-08d6d484e2fe');
const Text = (max: number) =>
  z
    .string()
    .min(1, 'must not be empty')
    .max(max, `must be at most ${max} characters`)
    .refine((value) => !CONTROL.test(value), 'must not contain control characters');
const Language = z.enum(['en', 'fr']);
const Live = {
  save: z.boolean().nullish(),
  tag: Text(200).nullish(),
  language: Language.nullish(),
};

const AuthorizeInput = z
  .object({
    cached: z.object({ loginId: Guid }).nullish(),
    refresh: z.object({ loginId: Guid, ...Live }).nullish(),
    credentials: z
      .object({
        institution: Text(100),
        username: Text(256).refine((value) => value.trim() !== '', 'must not be blank'),
        // Passwords are sent as typed: no trimming, any character the bank allows.
        password: z.string().min(1, 'must not be empty').max(256, 'must be at most 256 characters'),
        ...Live,
      })
      .nullish(),
  })
  .refine(
    (input) =>
      [input.cached, input.refresh, input.credentials].filter((mode) => mode != null).length === 1,
    'needs exactly one of cached, refresh or credentials',
  );

const AnswerMfaInput = z.object({
  requestId: Guid,
  responses: z
    .array(
      z.object({
        prompt: z
          .string()
          .min(1, 'must not be empty')
          .max(2_000, 'must be at most 2000 characters'),
        answers: z
          .array(z.string().max(100_000, 'must be at most 100000 characters'))
          .min(1, 'needs at least one answer')
          .max(50, 'must have at most 50 answers'),
      }),
    )
    .min(1, 'needs at least one response')
    .max(50, 'must have at most 50 responses'),
});

export type AuthorizeCommand = z.input<typeof AuthorizeInput>;
export type AnswerMfaCommand = z.input<typeof AnswerMfaInput>;

export interface MfaRequiredView extends MfaRequiredOutcome {
  /** When the gateway forgets the round if it is not answered. */
  expiresAt: Date;
}

export type AuthorizeView = AuthorizeSuccessOutcome | MfaRequiredView;

export interface AuthorizeServiceOptions {
  flinks: { authorize(request: AuthorizeRequest, signal?: AbortSignal): Promise<AuthorizeOutcome> };
  rounds: RoundStore;
  now?: () => number;
  logger?: Logger;
}

/**
 * The /Authorize conversation: validates input before any upstream call, remembers each open MFA
 * round for its caller, checks answers against it, and moves the round on with Flinks' answer.
 */
export class AuthorizeService {
  readonly #flinks: AuthorizeServiceOptions['flinks'];
  readonly #rounds: RoundStore;
  readonly #now: () => number;

  constructor(options: AuthorizeServiceOptions) {
    this.#flinks = options.flinks;
    this.#rounds = options.rounds;
    this.#now = options.now ?? Date.now;
  }

  async authorize(
    principal: string,
    command: AuthorizeCommand,
    signal?: AbortSignal,
  ): Promise<AuthorizeView> {
    const input = parse(AuthorizeInput, command);
    const request: AuthorizeRequest = input.cached
      ? { mode: 'cached', loginId: input.cached.loginId }
      : input.refresh
        ? { mode: 'refresh', ...input.refresh }
        : { mode: 'credentials', ...(input.credentials as NonNullable<typeof input.credentials>) };
    return this.#settle(principal, await this.#flinks.authorize(request, signal));
  }

  async answerMfa(
    principal: string,
    command: AnswerMfaCommand,
    signal?: AbortSignal,
  ): Promise<AuthorizeView> {
    const input = parse(AnswerMfaInput, command);
    const round = await this.#ownRound(principal, input.requestId);
    const responses = securityResponses(round.challenges, input.responses);
    let outcome: AuthorizeOutcome;
    try {
      outcome = await this.#flinks.authorize(
        { mode: 'answer', requestId: round.requestId, responses },
        signal,
      );
    } catch (error) {
      if (error instanceof MfaAnswerRejectedError) {
        if (!error.canRetry) await this.#rounds.delete(round.requestId);
        else await this.#rounds.put({ ...round, expiresAt: this.#now() + ROUND_TTL_MS });
        throw error.withChallenges(round.requestId, round.challenges);
      }
      if (error instanceof SessionExpiredError) await this.#rounds.delete(round.requestId);
      throw error;
    }
    if (outcome.kind === 'success') {
      await this.#rounds.delete(round.requestId);
      return outcome;
    }
    return this.#settle(principal, outcome);
  }

  /** The open MFA step of a RequestId, for a page that reloads mid-conversation. */
  async openRound(principal: string, requestId: string): Promise<MfaRequiredView> {
    const round = await this.#ownRound(principal, parse(Guid, requestId, ['requestId']));
    return {
      kind: 'mfa',
      requestId: round.requestId,
      institution: null,
      challenges: round.challenges,
      tag: null,
      expiresAt: new Date(round.expiresAt),
    };
  }

  async #ownRound(principal: string, requestId: string): Promise<MfaRound> {
    const round = await this.#rounds.get(requestId);
    // Someone else's round answers exactly like an unknown one: nothing to learn from probing.
    if (!round || round.principal !== principal) {
      throw new SessionExpiredError(
        'No open MFA step has this requestId. Start again with authorize.',
      );
    }
    return round;
  }

  async #settle(principal: string, outcome: AuthorizeOutcome): Promise<AuthorizeView> {
    if (outcome.kind === 'success') return outcome;
    const expiresAt = this.#now() + ROUND_TTL_MS;
    await this.#rounds.put({
      requestId: outcome.requestId,
      principal,
      challenges: outcome.challenges,
      expiresAt,
    });
    return { ...outcome, expiresAt: new Date(expiresAt) };
  }
}

function parse<T extends z.ZodType>(schema: T, value: unknown, at = ['input']): z.output<T> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  throw new InvalidInputError(
    result.error.issues.map((issue) => ({
      path: [...at, ...issue.path.map(String)],
      message: issue.message,
    })),
  );
}
