import type { SecurityChallenge } from '../flinks/types.ts';

export { MemoryStore, type MemoryStoreOptions } from './memory.ts';

/** A RequestId lives 8 minutes without activity while authorizing (FACTS.md, Lifetimes). */
export const ROUND_TTL_MS = 8 * 60 * 1000;

/** A RequestId lives 30 minutes without activity during data processing (FACTS.md, Lifetimes). */
export const SESSION_TTL_MS = 30 * 60 * 1000;

/** One open MFA round: what Flinks asked, for whom, until when. */
export interface MfaRound {
  requestId: string;
  /** The caller who opened the round; no one else may answer it. */
  principal: string;
  /** The LoginId a refresh round was opened on; null for credentials. */
  loginId: string | null;
  challenges: SecurityChallenge[];
  /** Answers Flinks refused in this round so far. */
  wrongAnswers: number;
  /** Epoch milliseconds after which the round is forgotten. */
  expiresAt: number;
}

/** A new round, as `putRound` takes it: no wrong answer yet, no answer at Flinks. */
export type NewMfaRound = Omit<MfaRound, 'wrongAnswers'>;

/** An authorized Flinks session (a RequestId whose data may be read) and its owner. */
export interface SessionGrant {
  requestId: string;
  principal: string;
  expiresAt: number;
  /**
   * The LoginId the session is open on, when known: deleting the LoginId ends its sessions.
   * Written by `putSession` and `settleSuccess`; `getSession` does not read it back.
   */
  loginId?: string | null;
}

/** What the gateway records of a LoginId it has seen succeed: the owner and what to list. */
export interface LoginRecord {
  loginId: string;
  principal: string;
  institution: string | null;
  username: string | null;
  /** When Flinks last aggregated the login's data, as Flinks said. */
  lastRefresh: Date | null;
}

/** A LoginId as listed for its owner. */
export interface OwnedLogin extends LoginRecord {
  connectedAt: Date;
  lastUsedAt: Date;
}

/**
 * The outcome of asking to answer a round: `open` with a lease that the answer holds while it is
 * at Flinks, `busy` while another answer holds one, `none` when the caller has no such round.
 */
export type AnswerLease =
  | { status: 'open'; leaseId: string; round: MfaRound }
  | { status: 'busy'; untilMs: number }
  | { status: 'none' };

/**
 * The outcome of asking to delete a LoginId: `open` with the deletion's lease (until it is
 * confirmed or given back), `busy` while another deletion of it holds one, `none` when the
 * LoginId is not the caller's.
 */
export type DeleteLease =
  | { status: 'open' }
  | { status: 'busy'; untilMs: number }
  | { status: 'none' };

export interface TokenTake {
  allowed: boolean;
  /** Tokens left after the call (a fraction while refilling). */
  tokens: number;
}

/**
 * Everything the gateway remembers between calls: open MFA rounds and their wrong-answer counts,
 * the owner of each authorized RequestId, the owner of each LoginId, pending account-detail
 * polls, and rate-limit budgets. In memory (one process) or on PostgreSQL (every replica shares
 * it and it survives restarts). Every method that decides something (claim, lease, count, take)
 * is atomic in both; times are epoch milliseconds from the caller's clock.
 */
export interface GatewayStore {
  getRound(requestId: string, now: number): Promise<MfaRound | undefined>;
  /** Inserts or replaces the round of `round.requestId`: no wrong answer, no lease. */
  putRound(round: NewMfaRound): Promise<void>;
  deleteRound(requestId: string): Promise<void>;
  /**
   * Takes the round's answer lease for `principal` until `now + leaseMs`, atomically: one caller
   * wins while a lease is live, and gets the round as it is under the lease (a round replaced by
   * the next step meanwhile is that step). A round at `maxWrongAnswers` is not answerable (`none`).
   */
  beginAnswer(
    requestId: string,
    principal: string,
    options: { now: number; leaseMs: number; maxWrongAnswers: number },
  ): Promise<AnswerLease>;
  /** Gives the lease back without changing the round (the answer never got a verdict). */
  endAnswer(requestId: string, leaseId: string): Promise<void>;
  /**
   * Counts one refused answer, atomically, gives the lease back and keeps the round until
   * `expiresAt`. Returns the count, or 0 when the lease is no longer this one's.
   */
  recordWrongAnswer(requestId: string, leaseId: string, expiresAt: number): Promise<number>;

  getSession(requestId: string, now: number): Promise<SessionGrant | undefined>;
  /** Inserts or replaces the grant of `grant.requestId`. */
  putSession(grant: SessionGrant): Promise<void>;
  /** Extends the principal's live grant to `expiresAt`; false when there is none. */
  touchSession(
    requestId: string,
    principal: string,
    now: number,
    expiresAt: number,
  ): Promise<boolean>;

  loginOwner(loginId: string): Promise<string | undefined>;
  /**
   * Makes `record.principal` the owner of `record.loginId` unless it already has one,
   * atomically, and returns the owner. When the owner is the caller, the record's details and
   * its last use are updated. A tombstone of the LoginId is lifted: Flinks proved it exists.
   */
  claimLogin(record: LoginRecord, now: number): Promise<string>;
  /**
   * A successful authorize, in one step: claims the LoginId as `claimLogin` does and grants the
   * session to `grant.principal`, unless `ownerOnly` and the LoginId is someone else's (then no
   * grant). Returns the LoginId's owner.
   */
  settleSuccess(
    record: LoginRecord,
    grant: SessionGrant,
    options: { ownerOnly: boolean; now: number },
  ): Promise<string>;
  /** The principal's LoginIds, most recently used first. */
  logins(principal: string): Promise<OwnedLogin[]>;
  /**
   * Takes the deletion lease of the principal's LoginId until `now + leaseMs`, atomically: while
   * it is live, another deletion of the same LoginId, on any replica, is `busy` and not sent to
   * Flinks.
   */
  beginDeleteLogin(
    loginId: string,
    principal: string,
    options: { now: number; leaseMs: number },
  ): Promise<DeleteLease>;
  /** Gives the deletion lease back (Flinks refused or did not answer): the record stays. */
  endDeleteLogin(loginId: string, principal: string): Promise<void>;
  /**
   * After Flinks confirmed the deletion, in one step: forgets the principal's record of the
   * LoginId, its sessions on it (and their pending polls) and its MFA rounds on it, and keeps a
   * tombstone naming the former owner. False when the record was not the principal's.
   */
  forgetLogin(loginId: string, principal: string, now: number): Promise<boolean>;
  /**
   * Who deleted the LoginId here, while it stays deleted: a claim (Flinks proving the LoginId
   * exists again) lifts the tombstone.
   */
  deletedLoginOwner(loginId: string): Promise<string | undefined>;

  /** The options of the account detail Flinks is gathering for a RequestId, if any. */
  getPendingDetail(requestId: string, now: number): Promise<string | undefined>;
  putPendingDetail(requestId: string, optionsKey: string, expiresAt: number): Promise<void>;
  deletePendingDetail(requestId: string): Promise<void>;

  /**
   * Takes one token from the token bucket `key` (capacity `capacity`, refilled at
   * `capacity` per minute), atomically.
   */
  takeToken(key: string, capacity: number, now: number): Promise<TokenTake>;

  /** Whether the store can serve now (PostgreSQL: reachable). */
  ready(): Promise<boolean>;
  /** Stops the expiry sweeps and releases connections. */
  close(): Promise<void>;
}
