import { z } from 'zod';
import type { RateLimiter } from '../authorize/rate-limit.ts';
import { LoginNotFoundError, parseInput, SessionBusyError } from '../errors.ts';
import type { DeleteCardOutcome } from '../flinks/client.ts';
import { FlinksId } from '../flinks/ids.ts';
import type { GatewayStore, OwnedLogin } from '../store/index.ts';

/**
 * What `institution` says of a LoginId recorded from an answer that named no institution (a
 * cached QUESTION_NOT_FOUND, a DISABLED_LOGIN): the next successful authorize fills it in.
 */
export const UNKNOWN_INSTITUTION = 'UNKNOWN';

const DeleteLoginInput = z.object({ loginId: FlinksId });

export type DeleteLoginCommand = z.input<typeof DeleteLoginInput>;

/** A LoginId as the caller's list of bank connections shows it. */
export interface ConnectedLoginView extends Omit<OwnedLogin, 'institution' | 'principal'> {
  institution: string;
}

export interface LoginDeletedView {
  kind: 'deleted';
  loginId: string;
}

export interface LoginServiceOptions {
  flinks: {
    deleteCard(loginId: string, signal?: AbortSignal, caller?: string): Promise<DeleteCardOutcome>;
  };
  store: GatewayStore;
  /** The per-principal allowance of calls that reach Flinks; none when absent. */
  limiter?: RateLimiter | null;
  /** How long a deletion holds the LoginId while at Flinks: longer than any request may last. */
  deleteLeaseMs?: number;
  now?: () => number;
}

/**
 * The LoginId lifecycle: the bank connections a caller owns, and their deletion at Flinks
 * (`/DeleteCard`), which Flinks asks of every integrator once a LoginId is no longer needed.
 */
export class LoginService {
  readonly #flinks: LoginServiceOptions['flinks'];
  readonly #store: GatewayStore;
  readonly #limiter: RateLimiter | null;
  readonly #deleteLeaseMs: number;
  readonly #now: () => number;

  constructor(options: LoginServiceOptions) {
    this.#flinks = options.flinks;
    this.#store = options.store;
    this.#limiter = options.limiter ?? null;
    this.#deleteLeaseMs = options.deleteLeaseMs ?? 140_000;
    this.#now = options.now ?? Date.now;
  }

  /** The principal's LoginIds, most recently used first; nobody else's. */
  async list(principal: string): Promise<ConnectedLoginView[]> {
    return (await this.#store.logins(principal)).map((login) => ({
      loginId: login.loginId,
      institution: login.institution ?? UNKNOWN_INSTITUTION,
      username: login.username,
      lastRefresh: login.lastRefresh,
      connectedAt: login.connectedAt,
      lastUsedAt: login.lastUsedAt,
    }));
  }

  /**
   * Deletes the principal's LoginId at Flinks, then forgets it here with the principal's sessions
   * and MFA rounds on it. Another principal's LoginId and an unknown one answer alike
   * (LoginNotFoundError) without reaching Flinks. A second deletion by the same principal after
   * Flinks confirmed the first answers LoginDeleted again; one that arrives while the first is
   * at Flinks is SessionBusyError and is not sent.
   */
  async delete(
    principal: string,
    command: DeleteLoginCommand,
    signal?: AbortSignal,
  ): Promise<LoginDeletedView> {
    await this.#limiter?.take(principal);
    const { loginId } = parseInput(DeleteLoginInput, command);
    const deleted: LoginDeletedView = { kind: 'deleted', loginId };
    const lease = await this.#store.beginDeleteLogin(loginId, principal, {
      now: this.#now(),
      leaseMs: this.#deleteLeaseMs,
    });
    if (lease.status === 'none') {
      if ((await this.#store.deletedLoginOwner(loginId)) === principal) return deleted;
      throw new LoginNotFoundError('You have no bank connection with this loginId.');
    }
    if (lease.status === 'busy') {
      throw new SessionBusyError(
        'This bank connection is being disconnected right now. Check your connections in a moment.',
        { retryAfterSeconds: Math.max(1, Math.ceil((lease.untilMs - this.#now()) / 1000)) },
      );
    }
    try {
      // INVALID_LOGIN (`unknown`) from Flinks for a LoginId recorded here means its data is gone
      // already: a deletion Flinks confirmed whose answer never reached the store (a retry, a
      // client gone, the store down), or one made outside the gateway. Forgotten all the same.
      await this.#flinks.deleteCard(loginId, signal, principal);
    } catch (error) {
      // No deletion: the record stays. Should the store fail too, the lease runs out on its own.
      await this.#store.endDeleteLogin(loginId, principal).catch(() => {});
      throw error;
    }
    await this.#store.forgetLogin(loginId, principal, this.#now());
    return deleted;
  }
}
