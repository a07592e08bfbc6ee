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

/** An exact decimal amount, as the digits Flinks sent (never a binary float). */
export type Decimal = string;

export interface Balance {
  available: Decimal | null;
  current: Decimal | null;
  limit: Decimal | null;
}

export interface AccountHolder {
  name: string | null;
  email: string | null;
  phoneNumber: string | null;
  address: {
    civicAddress: string | null;
    city: string | null;
    province: string | null;
    postalCode: string | null;
    poBox: string | null;
    country: string | null;
  } | null;
}

export interface Transaction {
  id: string;
  /** `YYYY-MM-DD`. */
  date: string;
  code: string | null;
  description: string;
  debit: Decimal | null;
  credit: Decimal | null;
  balance: Decimal | null;
}

export interface Account {
  id: string;
  title: string | null;
  accountNumber: string | null;
  lastFourDigits: string | null;
  transitNumber: string | null;
  institutionNumber: string | null;
  category: string | null;
  type: string | null;
  accountType: string | null;
  currency: string;
  balance: Balance | null;
  overdraftLimit: Decimal | null;
  holder: AccountHolder | null;
  /** Null when transactions were not asked for (or on a summary). */
  transactions: Transaction[] | null;
}

export interface StatementFile {
  uniqueId: string;
  fileType: string;
  base64Bytes: string;
}

export interface AccountStatements {
  accountNumber: string;
  statements: StatementFile[];
}

/** Flinks answered 202: the data is being gathered. Ask the Async endpoint again later. */
export interface DataPending {
  kind: 'pending';
  flinksCode: string;
}

export interface AccountsDetailOptions {
  days: 'Days90' | 'Days365';
  withTransactions: boolean;
  withBalance: boolean;
  withAccountIdentity: boolean;
  withKyc: boolean;
  accountIds: string[] | null;
}

export interface StatementsOptions {
  period: 'MostRecent' | 'Months3' | 'Months12';
  accountIds: string[] | null;
}
