/** Domain values of Flinks' /Authorize, in the gateway's own camelCase names. */

export type Language = 'en' | 'fr';

/** One multi-factor challenge as Flinks sent it. `type` is Flinks' `Type` verbatim. */
export interface SecurityChallenge {
  type: string;
  prompt: string;
  iterables: string[];
}

export interface FlinksLogin {
  /** The LoginId. */
  id: string;
  username: string | null;
  isScheduledRefresh: boolean | null;
  /** A true instant: Flinks sends UTC without an offset, parsed as UTC. */
  lastRefresh: Date;
  type: string | null;
}

export interface AuthorizeSuccessOutcome {
  kind: 'success';
  requestId: string;
  institution: string;
  institutionName: string | null;
  institutionId: number | null;
  login: FlinksLogin;
  tag: string | null;
}

export interface MfaRequiredOutcome {
  kind: 'mfa';
  requestId: string;
  institution: string | null;
  challenges: SecurityChallenge[];
  tag: string | null;
}

export type AuthorizeOutcome = AuthorizeSuccessOutcome | MfaRequiredOutcome;

export interface LiveOptions {
  language?: Language | null;
  save?: boolean | null;
  tag?: string | null;
}

/** What the gateway asks of /Authorize: one request shape per mode. */
export type AuthorizeRequest =
  | { mode: 'cached'; loginId: string }
  | ({ mode: 'refresh'; loginId: string } & LiveOptions)
  | ({ mode: 'credentials'; institution: string; username: string; password: string } & LiveOptions)
  | { mode: 'answer'; requestId: string; responses: Record<string, string[]> };
