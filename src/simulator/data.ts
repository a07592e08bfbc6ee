import { createHash } from 'node:crypto';
import { type Account, balanceAtEndOf, bankDataOf, type Holder } from './accounts.ts';
import { Money } from './money.ts';
import { textPdf } from './pdf.ts';
import type { ParsedBody } from './routes.ts';
import type { OpenSession, SessionStore } from './sessions.ts';
import { findUser, INSTITUTION, INSTITUTION_ID, type SimulatorUser } from './users.ts';
import {
  DATA_LINKS,
  flinksError,
  invalidRequest,
  type JsonReply,
  json,
  type Reply,
} from './wire.ts';

export interface DataServiceConfig {
  readonly now: () => number;
  readonly sessions: SessionStore;
  readonly dataLifetimeMs: number;
  readonly detailDelayMs: number;
  readonly pendingDelayMs: number;
}

export interface DataService {
  accountsSummary(body: ParsedBody): Reply;
  accountsDetail(body: ParsedBody): Reply;
  accountsDetailAsync(requestId: string): Reply;
  statements(body: ParsedBody): Reply;
}

interface DetailRequest {
  readonly withAccountIdentity: boolean;
  readonly withKyc: boolean;
  readonly withTransactions: boolean;
  readonly withBalance: boolean;
  readonly days: number;
  readonly accountsFilter: readonly string[] | undefined;
}

interface StatementsRequest {
  readonly months: number;
  readonly accountsFilter: readonly string[] | undefined;
}

/** A GetAccountsDetail answered 202: what it asked for, and when its data is ready. */
interface DetailOperation {
  readonly code: NonNullable<SimulatorUser['detailPending']>['code'];
  readonly readyAt: number;
  readonly request: DetailRequest;
}

type Body = Readonly<Record<string, unknown>>;
type Validated<T> = { readonly ok: true; readonly requestId: string; readonly value: T } | Reply;

const DAY_MS = 24 * 3600 * 1000;
const DAYS_OF_TRANSACTIONS: Readonly<Record<string, number>> = { days90: 90, days365: 365 };
const NUMBER_OF_STATEMENTS: Readonly<Record<string, number>> = {
  mostrecent: 1,
  months3: 3,
  months12: 12,
};
const MONTHS = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];
// Flinks' own texts for these codes (docs.flinks.com, API error codes).
const PENDING_MESSAGES: Readonly<Record<DetailOperation['code'], string>> = {
  OPERATION_PENDING: 'Your operation is still processing.',
  OPERATION_DISPATCHED:
    'Your operations had been dispatched to background process for long running jobs',
};

function isRecord(value: unknown): value is Body {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Reads the fields every data body shares, and collects what is wrong into ValidationDetails. */
function validate<T>(
  parsed: ParsedBody,
  read: (body: Body, problems: Record<string, string[]>) => T,
): Validated<T> {
  if (!parsed.ok) return invalidRequest('The request body is not valid JSON.');
  const body = parsed.value;
  if (!isRecord(body)) return invalidRequest('The request body must be a JSON object.');
  const problems: Record<string, string[]> = {};
  const requestId = body.RequestId;
  if (typeof requestId !== 'string' || requestId.trim() === '') {
    problems.RequestId = ['RequestId is required'];
  }
  const value = read(body, problems);
  if (Object.keys(problems).length > 0 || typeof requestId !== 'string') {
    return invalidRequest('The request is invalid.', problems);
  }
  return { ok: true, requestId: requestId.trim(), value };
}

function readFlag(body: Body, name: string, problems: Record<string, string[]>): boolean {
  const value = body[name];
  // Flinks' own example asks with nothing but a RequestId and gets everything back.
  if (value === undefined || value === null) return true;
  if (typeof value === 'boolean') return value;
  if (typeof value === 'string' && /^(true|false)$/i.test(value)) {
    return value.toLowerCase() === 'true';
  }
  problems[name] = [`${name} must be true or false`];
  return true;
}

function readChoice(
  body: Body,
  name: string,
  choices: Readonly<Record<string, number>>,
  fallback: number,
  problems: Record<string, string[]>,
  allowed: string,
): number {
  const value = body[name];
  if (value === undefined || value === null) return fallback;
  const chosen = typeof value === 'string' ? choices[value.toLowerCase()] : undefined;
  if (chosen === undefined) problems[name] = [`${name} must be ${allowed}`];
  return chosen ?? fallback;
}

function readFilter(body: Body, problems: Record<string, string[]>): string[] | undefined {
  const value = body.AccountsFilter;
  if (value === undefined || value === null) return undefined;
  if (Array.isArray(value) && value.every((id) => typeof id === 'string')) {
    return value.length === 0 ? undefined : value.map((id: string) => id.toLowerCase());
  }
  problems.AccountsFilter = ['AccountsFilter must be an array of account ids'];
  return undefined;
}

function readDetailRequest(parsed: ParsedBody): Validated<DetailRequest> {
  return validate(parsed, (body, problems) => ({
    withAccountIdentity: readFlag(body, 'WithAccountIdentity', problems),
    withKyc: readFlag(body, 'WithKYC', problems),
    withTransactions: readFlag(body, 'WithTransactions', problems),
    withBalance: readFlag(body, 'WithBalance', problems),
    days: readChoice(
      body,
      'DaysOfTransactions',
      DAYS_OF_TRANSACTIONS,
      90,
      problems,
      'Days90 or Days365',
    ),
    accountsFilter: readFilter(body, problems),
  }));
}

function readStatementsRequest(parsed: ParsedBody): Validated<StatementsRequest> {
  return validate(parsed, (body, problems) => ({
    months: readChoice(
      body,
      'NumberOfStatements',
      NUMBER_OF_STATEMENTS,
      1,
      problems,
      'MostRecent, Months3 or Months12',
    ),
    accountsFilter: readFilter(body, problems),
  }));
}

function selected(
  accounts: readonly Account[],
  filter: readonly string[] | undefined,
): readonly Account[] {
  return filter === undefined
    ? accounts
    : accounts.filter((account) => filter.includes(account.id));
}

function holderBody(holder: Holder) {
  return {
    Name: holder.name,
    Address: {
      CivicAddress: holder.civicAddress,
      City: holder.city,
      Province: holder.province,
      PostalCode: holder.postalCode,
      POBox: null,
      Country: 'CA',
    },
    Email: holder.email,
    PhoneNumber: holder.phoneNumber,
  };
}

function balanceBody(account: Account) {
  return { Available: account.available, Current: account.current, Limit: account.limit };
}

function loginBody(session: OpenSession) {
  return {
    Username: session.username,
    IsScheduledRefresh: false,
    LastRefresh: session.lastRefresh,
    Type: 'Personal',
    Id: session.loginId,
  };
}

function accountTail(account: Account, holder: Holder | null, withBalance: boolean) {
  return {
    Title: account.title,
    AccountNumber: account.accountNumber,
    LastFourDigits: account.lastFourDigits,
    Balance: withBalance ? balanceBody(account) : null,
    Category: account.category,
    Type: account.type,
    Currency: account.currency,
    Holder: holder === null ? null : holderBody(holder),
    AccountType: 'Personal',
    EftEligibleRatio: account.eftEligibleRatio,
    ETransferEligibleRatio: account.eTransferEligibleRatio,
    Id: account.id,
  };
}

function utcDay(epochMs: number): number {
  return Math.floor(epochMs / DAY_MS) * DAY_MS;
}

function isoDate(epochMs: number): string {
  return new Date(epochMs).toISOString().slice(0, 10);
}

function guidOf(text: string): string {
  const hex = createHash('sha256').update(text).digest('hex');
  const variant = ((Number.parseInt(hex.charAt(16), 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

export function createDataService(config: DataServiceConfig): DataService {
  const { sessions } = config;
  const operations = new Map<string, DetailOperation>();

  /** The open session of a RequestId, its idle time restarted; or the error to answer. */
  function useSession(requestId: string): OpenSession | Reply {
    const key = requestId.toLowerCase();
    const session = sessions.get(key);
    const fields = { RequestId: requestId, Institution: INSTITUTION };
    if (session === undefined) {
      return flinksError(400, 'SESSION_NONEXISTENT', 'The session does not exist.', fields);
    }
    if (session.state === 'authorizing') {
      // The RequestId exists, so SESSION_NONEXISTENT would send a client back to log in again,
      // losing the MFA round it is in. Flinks documents UNAUTHORIZED (401) as "not authorized":
      // the honest answer for a session whose security challenges are not answered yet.
      return flinksError(
        401,
        'UNAUTHORIZED',
        'The session is not authorized yet: answer its security challenges first.',
        fields,
      );
    }
    const now = config.now();
    if (now - session.lastUsedAt > config.dataLifetimeMs) {
      sessions.delete(key);
      operations.delete(key);
      return flinksError(400, 'SESSION_EXPIRED', 'The session has expired.', fields);
    }
    session.lastUsedAt = now;
    return session;
  }

  function accountsSummary(parsed: ParsedBody): Reply {
    const request = validate(parsed, () => undefined);
    if (!('ok' in request)) return request;
    const session = useSession(request.requestId);
    if ('kind' in session) return session;
    const { holder, accounts } = bankDataOf(session.username);
    return json(200, {
      HttpStatusCode: 200,
      Accounts: accounts.map((account) => accountTail(account, holder, true)),
      Links: DATA_LINKS,
      Tag: session.tag ?? null,
      InstitutionName: INSTITUTION,
      Login: loginBody(session),
      InstitutionId: INSTITUTION_ID,
      Institution: INSTITUTION,
      RequestId: session.requestId,
    });
  }

  function detailReply(session: OpenSession, request: DetailRequest): JsonReply {
    const { holder, accounts } = bankDataOf(session.username);
    const today = utcDay(config.now());
    return json(200, {
      HttpStatusCode: 200,
      Accounts: selected(accounts, request.accountsFilter).map((account) => ({
        Transactions: request.withTransactions
          ? account.transactions
              .filter((transaction) => transaction.daysAgo < request.days)
              .map((transaction) => ({
                Date: isoDate(today - transaction.daysAgo * DAY_MS),
                Code: transaction.code,
                Description: transaction.description,
                Debit: transaction.debit,
                Credit: transaction.credit,
                Balance: transaction.balance,
                Id: transaction.id,
              }))
          : null,
        TransitNumber: request.withAccountIdentity ? account.transitNumber : null,
        InstitutionNumber: request.withAccountIdentity ? account.institutionNumber : null,
        OverdraftLimit: account.overdraftLimit,
        ...accountTail(account, request.withKyc ? holder : null, request.withBalance),
      })),
      InstitutionName: INSTITUTION,
      Login: loginBody(session),
      InstitutionId: INSTITUTION_ID,
      Institution: INSTITUTION,
      RequestId: session.requestId,
    });
  }

  function pendingReply(session: OpenSession, operation: DetailOperation): JsonReply {
    return json(202, {
      HttpStatusCode: 202,
      FlinksCode: operation.code,
      Message: PENDING_MESSAGES[operation.code],
      RequestId: session.requestId,
      Links: [
        {
          rel: 'AccountsDetailAsync',
          href: `/GetAccountsDetailAsync/${session.requestId}`,
          example: null,
        },
      ],
    });
  }

  function accountsDetail(parsed: ParsedBody): Reply {
    const request = readDetailRequest(parsed);
    if (!('ok' in request)) return request;
    const session = useSession(request.requestId);
    if ('kind' in session) return session;
    const key = session.requestId.toLowerCase();
    const now = config.now();
    const started = operations.get(key);
    if (started !== undefined) {
      // A POST while the first is pending gets the same 202; its clock is not restarted.
      return now < started.readyAt
        ? pendingReply(session, started)
        : detailReply(session, request.value);
    }
    const pending = findUser(session.username)?.detailPending;
    if (pending === undefined) return detailReply(session, request.value);
    const operation: DetailOperation = {
      code: pending.code,
      readyAt: now + config[pending.readyAfter],
      request: request.value,
    };
    operations.set(key, operation);
    return pendingReply(session, operation);
  }

  function accountsDetailAsync(requestId: string): Reply {
    const session = useSession(requestId);
    if ('kind' in session) return session;
    const operation = operations.get(session.requestId.toLowerCase());
    if (operation === undefined) {
      // The session is fine, but there is nothing to poll: only a GetAccountsDetail answered 202
      // can be polled (docs.flinks.com, GetAccountsDetailAsync). SESSION_NONEXISTENT would make a
      // client drop a session that still works, so this is the caller's mistake: INVALID_REQUEST.
      return flinksError(
        400,
        'INVALID_REQUEST',
        'No GetAccountsDetail is pending for this RequestId: call GetAccountsDetail first.',
        { RequestId: requestId, Institution: INSTITUTION },
      );
    }
    return config.now() < operation.readyAt
      ? pendingReply(session, operation)
      : detailReply(session, operation.request);
  }

  function statements(parsed: ParsedBody): Reply {
    const request = readStatementsRequest(parsed);
    if (!('ok' in request)) return request;
    const session = useSession(request.requestId);
    if ('kind' in session) return session;
    const { holder, accounts } = bankDataOf(session.username);
    const today = utcDay(config.now());
    return json(200, {
      HttpStatusCode: 200,
      StatementsByAccount: selected(accounts, request.value.accountsFilter).map((account) => ({
        AccountNumber: account.accountNumber,
        Statements: Array.from({ length: request.value.months }, (_, index) => {
          const statement = statementOf(account, holder, today, index + 1);
          return {
            UniqueId: statement.uniqueId,
            FileType: 'PDF',
            Base64Bytes: statement.pdf.toString('base64'),
          };
        }),
      })),
      Login: loginBody(session),
      Institution: INSTITUTION,
      RequestId: session.requestId,
    });
  }

  return { accountsSummary, accountsDetail, accountsDetailAsync, statements };
}

/** The statement of the calendar month `monthsBack` months before the clock's month. */
function statementOf(
  account: Account,
  holder: Holder,
  today: number,
  monthsBack: number,
): { uniqueId: string; pdf: Buffer } {
  const now = new Date(today);
  const first = Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - monthsBack, 1);
  const last = Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - monthsBack + 1, 0);
  const firstDaysAgo = Math.round((today - first) / DAY_MS);
  const lastDaysAgo = Math.round((today - last) / DAY_MS);
  const inMonth = account.transactions.filter(
    (transaction) => transaction.daysAgo >= lastDaysAgo && transaction.daysAgo <= firstDaysAgo,
  );
  const total = (pick: 'debit' | 'credit') =>
    inMonth.reduce(
      (sum, transaction) => sum.plus(transaction[pick] ?? new Money(0n)),
      new Money(0n),
    );
  const month = new Date(first);
  const period = `${MONTHS[month.getUTCMonth()]} ${month.getUTCFullYear()}`;
  const uniqueId = guidOf(`flinks-simulator-statement:${account.id}:${isoDate(first)}`);
  const money = (amount: Money) => amount.format(account.currency);
  const pdf = textPdf(`${account.title} statement, ${period}`, [
    { text: INSTITUTION, size: 20 },
    { text: 'Account statement', size: 14 },
    { text: holder.name },
    { text: `${account.title}, account ${account.accountNumber}` },
    { text: `Statement period: ${period} (${isoDate(first)} to ${isoDate(last)})` },
    { text: `Opening balance: ${money(balanceAtEndOf(account, firstDaysAgo + 1))}` },
    { text: `Total credits: ${money(total('credit'))}` },
    { text: `Total debits: ${money(total('debit'))}` },
    { text: `Closing balance: ${money(balanceAtEndOf(account, lastDaysAgo))}` },
    { text: `Transactions in the period: ${inMonth.length}` },
    { text: `Statement ${uniqueId}`, size: 8 },
  ]);
  return { uniqueId, pdf };
}
