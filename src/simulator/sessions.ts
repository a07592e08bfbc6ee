import type { Language } from './challenges.ts';
import type { MfaFlow, SimulatorUser } from './users.ts';

/** A RequestId still answering security challenges. */
export interface PendingSession {
  readonly state: 'authorizing';
  readonly requestId: string;
  readonly user: SimulatorUser;
  readonly flow: MfaFlow;
  readonly language: Language;
  readonly tag: string | undefined;
  round: number;
  lastSeenAt: number;
}

/** A RequestId that /Authorize answered with 200 (or a cached QUESTION_NOT_FOUND): data calls work. */
export interface OpenSession {
  readonly state: 'authorized';
  readonly requestId: string;
  readonly loginId: string;
  readonly username: string;
  readonly lastRefresh: string;
  readonly tag: string | undefined;
  /** When the session was opened or last used by a data call. */
  lastUsedAt: number;
}

export type Session = PendingSession | OpenSession;

/** Sessions by lower-case RequestId, shared by the authorize and data endpoints. */
export type SessionStore = Map<string, Session>;
