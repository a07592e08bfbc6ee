import { createGraphQLError } from 'graphql-yoga';
import type { AccountsView, PendingView, StatementsView, StatementView } from '../data/service.ts';
import {
  InstitutionUnavailableError,
  InvalidInputError,
  RateLimitedError,
  ServiceUnavailableError,
  SessionBusyError,
  SessionExpiredError,
  UpstreamError,
} from '../errors.ts';
import type { Account, AccountHolder, Balance, Transaction } from '../flinks/types.ts';
import { builder } from './builder.ts';
import { isDeferred } from './deferred.ts';
import { observed } from './observed.ts';

const DECIMAL = /^-?\d+(\.\d+)?$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

builder.scalarType('Decimal', {
  description:
    'An exact decimal number written as a string, e.g. `"-1234.56"`: money never travels as a binary float.',
  serialize: (value) => value,
  parseValue: (value) => {
    if (typeof value !== 'string' || !DECIMAL.test(value))
      throw new TypeError('Decimal must be a string such as "12.34"');
    return value;
  },
});

builder.scalarType('Date', {
  description: 'A calendar date, `YYYY-MM-DD`.',
  serialize: (value) => value,
  parseValue: (value) => {
    if (typeof value !== 'string' || !DATE.test(value) || Number.isNaN(Date.parse(value))) {
      throw new TypeError('Date must be a string such as "2025-01-31"');
    }
    return value;
  },
});

interface MoneyShape {
  amount: string;
  currency: string;
}

const money = (amount: string | null, currency: string): MoneyShape | null =>
  amount === null ? null : { amount, currency };

const Money = builder.objectRef<MoneyShape>('Money').implement({
  description: 'An exact amount of money.',
  fields: (t) => ({
    amount: t.expose('amount', {
      type: 'Decimal',
      description: 'The amount, exactly as Flinks sent it.',
    }),
    currency: t.exposeString('currency', { description: 'ISO 4217 code, e.g. `CAD` or `USD`.' }),
  }),
});

const BalanceType = builder.objectRef<Balance & { currency: string }>('Balance').implement({
  description: 'An account balance.',
  fields: (t) => ({
    available: t.field({
      type: Money,
      nullable: true,
      resolve: (b) => money(b.available, b.currency),
    }),
    current: t.field({ type: Money, nullable: true, resolve: (b) => money(b.current, b.currency) }),
    limit: t.field({
      type: Money,
      nullable: true,
      description: 'The credit limit, for credit accounts.',
      resolve: (b) => money(b.limit, b.currency),
    }),
  }),
});

const Address = builder.objectRef<NonNullable<AccountHolder['address']>>('Address').implement({
  description: 'A postal address, as the institution has it.',
  fields: (t) => ({
    civicAddress: t.exposeString('civicAddress', { nullable: true }),
    city: t.exposeString('city', { nullable: true }),
    province: t.exposeString('province', { nullable: true }),
    postalCode: t.exposeString('postalCode', { nullable: true }),
    poBox: t.exposeString('poBox', { nullable: true }),
    country: t.exposeString('country', { nullable: true }),
  }),
});

const Holder = builder.objectRef<AccountHolder>('AccountHolder').implement({
  description: 'Who holds the account (KYC), when asked for with `withKyc`.',
  fields: (t) => ({
    name: t.exposeString('name', { nullable: true }),
    email: t.exposeString('email', { nullable: true }),
    phoneNumber: t.exposeString('phoneNumber', { nullable: true }),
    address: t.expose('address', { type: Address, nullable: true }),
  }),
});

const TransactionType = builder
  .objectRef<Transaction & { currency: string }>('Transaction')
  .implement({
    description: 'One transaction of an account.',
    fields: (t) => ({
      id: t.exposeID('id'),
      date: t.expose('date', { type: 'Date' }),
      description: t.exposeString('description'),
      code: t.exposeString('code', {
        nullable: true,
        description: 'The institution’s transaction code.',
      }),
      debit: t.field({
        type: Money,
        nullable: true,
        resolve: (tx) => money(tx.debit, tx.currency),
      }),
      credit: t.field({
        type: Money,
        nullable: true,
        resolve: (tx) => money(tx.credit, tx.currency),
      }),
      balance: t.field({
        type: Money,
        nullable: true,
        description: 'The account balance after this transaction.',
        resolve: (tx) => money(tx.balance, tx.currency),
      }),
    }),
  });

interface Page {
  edges: { cursor: string; node: Transaction & { currency: string } }[];
  hasNextPage: boolean;
  totalCount: number;
}

const PageInfo = builder.objectRef<Page>('PageInfo').implement({
  description: 'Where a page of a connection stands.',
  fields: (t) => ({
    hasNextPage: t.exposeBoolean('hasNextPage'),
    endCursor: t.string({
      nullable: true,
      description: 'Pass it as `after` for the next page.',
      resolve: (page) => page.edges.at(-1)?.cursor ?? null,
    }),
  }),
});

const TransactionEdge = builder.objectRef<Page['edges'][number]>('TransactionEdge').implement({
  fields: (t) => ({
    cursor: t.exposeString('cursor'),
    node: t.expose('node', { type: TransactionType }),
  }),
});

const TransactionConnection = builder.objectRef<Page>('TransactionConnection').implement({
  description: 'A page of transactions, most recent first.',
  fields: (t) => ({
    edges: t.expose('edges', {
      type: [TransactionEdge],
      description: 'May be asked for with `@stream`: the first `initialCount` come at once.',
    }),
    pageInfo: t.field({ type: PageInfo, resolve: (page) => page }),
    totalCount: t.exposeInt('totalCount', { description: 'Transactions matching the filters.' }),
  }),
});

const MAX_PAGE = 500;
const cursorOf = (transaction: Transaction) =>
  Buffer.from(`tx:${transaction.id}`).toString('base64url');

function paginate(
  account: Account,
  args: { first?: number | null; after?: string | null; from?: string | null; to?: string | null },
): Page | null {
  if (account.transactions === null) return null;
  const first = args.first ?? 50;
  if (first < 1 || first > MAX_PAGE) {
    throw createGraphQLError(`first must be between 1 and ${MAX_PAGE}.`, {
      extensions: { code: 'BAD_USER_INPUT' },
    });
  }
  const matching = account.transactions.filter(
    (tx) => (!args.from || tx.date >= args.from) && (!args.to || tx.date <= args.to),
  );
  let start = 0;
  if (args.after) {
    start = matching.findIndex((tx) => cursorOf(tx) === args.after) + 1;
    if (start === 0) {
      throw createGraphQLError('after is not a cursor of this list.', {
        extensions: { code: 'BAD_USER_INPUT' },
      });
    }
  }
  const slice = matching.slice(start, start + first);
  return {
    edges: slice.map((tx) => ({
      cursor: cursorOf(tx),
      node: { ...tx, currency: account.currency },
    })),
    hasNextPage: start + first < matching.length,
    totalCount: matching.length,
  };
}

const AccountType = builder.objectRef<Account>('Account').implement({
  description: 'A bank account of the login.',
  fields: (t) => ({
    id: t.exposeID('id', { description: 'Flinks’ account id: use it in `accountIds` filters.' }),
    title: t.exposeString('title', { nullable: true }),
    accountNumber: t.exposeString('accountNumber', { nullable: true }),
    lastFourDigits: t.exposeString('lastFourDigits', { nullable: true }),
    transitNumber: t.exposeString('transitNumber', {
      nullable: true,
      description: 'With `withAccountIdentity`.',
    }),
    institutionNumber: t.exposeString('institutionNumber', {
      nullable: true,
      description: 'With `withAccountIdentity`.',
    }),
    category: t.exposeString('category', {
      nullable: true,
      description: 'E.g. `Operations`, `Credits`.',
    }),
    type: t.exposeString('type', { nullable: true, description: 'E.g. `Chequing`.' }),
    accountType: t.exposeString('accountType', { nullable: true, description: 'E.g. `Personal`.' }),
    currency: t.exposeString('currency'),
    balance: t.field({
      type: BalanceType,
      nullable: true,
      resolve: (account) =>
        account.balance ? { ...account.balance, currency: account.currency } : null,
    }),
    overdraftLimit: t.field({
      type: Money,
      nullable: true,
      resolve: (account) => money(account.overdraftLimit, account.currency),
    }),
    holder: t.expose('holder', { type: Holder, nullable: true }),
    transactions: t.field({
      type: TransactionConnection,
      nullable: true,
      description: 'Null on a summary, or when `withTransactions` was false.',
      args: {
        first: t.arg.int({ description: `Page size, 1 to ${MAX_PAGE}; 50 by default.` }),
        after: t.arg.string({ description: 'The `endCursor` of the previous page.' }),
        from: t.arg({ type: 'Date', description: 'Only transactions on or after this date.' }),
        to: t.arg({ type: 'Date', description: 'Only transactions on or before this date.' }),
      },
      resolve: (account, args) => paginate(account, args),
    }),
  }),
});

const accountsObject = (name: string, kind: AccountsView['kind'], description: string) =>
  builder.objectRef<AccountsView>(name).implement({
    description,
    isTypeOf: (value) => (value as { kind?: unknown }).kind === kind,
    fields: (t) => ({
      requestId: t.exposeID('requestId'),
      accounts: t.expose('accounts', {
        type: [AccountType],
        description: 'The session’s accounts.',
      }),
    }),
  });

const AccountsSummary = accountsObject(
  'AccountsSummary',
  'summary',
  'The accounts of the session, with balances (`/GetAccountsSummary`).',
);
const AccountsDetail = accountsObject(
  'AccountsDetail',
  'detail',
  'The accounts of the session with the detail asked for (`/GetAccountsDetail`).',
);

const DataPending = builder.objectRef<PendingView>('DataPending').implement({
  description:
    'Flinks is still gathering this data (202 OPERATION_PENDING or OPERATION_DISPATCHED). Ask again after `retryAfterSeconds`: the gateway resumes where it left off.',
  isTypeOf: (value) => (value as { kind?: unknown }).kind === 'pending',
  fields: (t) => ({
    requestId: t.exposeID('requestId'),
    // Nullable like Error.flinksCode, so one selection can span DataPending and the errors.
    flinksCode: t.exposeString('flinksCode', {
      nullable: true,
      description: 'OPERATION_PENDING or OPERATION_DISPATCHED.',
    }),
    retryAfterSeconds: t.exposeInt('retryAfterSeconds', {
      nullable: true,
      description: 'When to ask again. Always set; nullable like the errors’ field of that name.',
    }),
    message: t.string({
      resolve: () => 'The institution’s data is still being gathered. Ask again shortly.',
    }),
  }),
});

const Statement = builder.objectRef<StatementView>('Statement').implement({
  description:
    'One statement document. The bytes are downloaded from `downloadUrl`, not sent here.',
  fields: (t) => ({
    id: t.exposeID('uniqueId'),
    fileType: t.exposeString('fileType', { description: 'E.g. `PDF`.' }),
    sizeBytes: t.int({
      resolve: (statement) => Buffer.byteLength(statement.base64Bytes, 'base64'),
    }),
    downloadUrl: t.exposeString('downloadUrl', {
      description:
        'Where to GET the file, relative to the gateway’s origin. It works for a few minutes and only while the session is yours; no Authorization header is needed, so it fits an `<a href>`.',
    }),
    downloadExpiresAt: t.expose('downloadExpiresAt', { type: 'DateTime' }),
  }),
});

const AccountStatements = builder
  .objectRef<StatementsView['accounts'][number]>('AccountStatements')
  .implement({
    description: 'The statements of one account.',
    fields: (t) => ({
      accountNumber: t.exposeString('accountNumber'),
      statements: t.expose('statements', { type: [Statement] }),
    }),
  });

const Statements = builder.objectRef<StatementsView>('Statements').implement({
  description: 'Statements of the session (`/GetStatements`; Canada, when Flinks enabled it).',
  isTypeOf: (value) => (value as { kind?: unknown }).kind === 'statements',
  fields: (t) => ({
    requestId: t.exposeID('requestId'),
    accounts: t.expose('accounts', { type: [AccountStatements] }),
  }),
});

const DATA_ERRORS = [
  InvalidInputError,
  SessionExpiredError,
  SessionBusyError,
  InstitutionUnavailableError,
  RateLimitedError,
  UpstreamError,
  ServiceUnavailableError,
];

const AccountsSummaryResult = builder.errorUnion('AccountsSummaryResult', {
  description: 'The accounts, or why not.',
  types: [AccountsSummary, DataPending, ...DATA_ERRORS],
});
const AccountsDetailResult = builder.errorUnion('AccountsDetailResult', {
  description: 'The accounts with detail, data still pending, or why not.',
  types: [AccountsDetail, DataPending, ...DATA_ERRORS],
});
const StatementsResult = builder.errorUnion('StatementsResult', {
  description: 'The statements, data still pending, or why not.',
  types: [Statements, DataPending, ...DATA_ERRORS],
});

const TransactionHistory = builder.enumType('TransactionHistory', {
  description: 'How far back transactions go.',
  values: {
    DAYS_90: { value: 'Days90', description: 'The last 90 days.' },
    DAYS_365: { value: 'Days365', description: 'The last 365 days.' },
  } as const,
});

const StatementPeriod = builder.enumType('StatementPeriod', {
  description: 'Which statements.',
  values: {
    MOST_RECENT: { value: 'MostRecent', description: 'The latest statement of each account.' },
    MONTHS_3: { value: 'Months3', description: 'The last 3 months.' },
    MONTHS_12: { value: 'Months12', description: 'The last 12 months.' },
  } as const,
});

const AccountsDetailInput = builder.inputType('AccountsDetailInput', {
  description: 'What `/GetAccountsDetail` gathers.',
  fields: (t) => ({
    days: t.field({ type: TransactionHistory, description: 'DAYS_90 by default.' }),
    withTransactions: t.boolean({ description: 'True by default.' }),
    withBalance: t.boolean({ description: 'True by default.' }),
    withAccountIdentity: t.boolean({
      description: 'Transit and institution numbers. False by default.',
    }),
    withKyc: t.boolean({ description: 'The account holder. False by default.' }),
    accountIds: t.idList({ description: 'Only these accounts (`Account.id`); all by default.' }),
  }),
});

const StatementsInput = builder.inputType('StatementsInput', {
  description: 'Which statements `/GetStatements` returns.',
  fields: (t) => ({
    period: t.field({ type: StatementPeriod, description: 'MOST_RECENT by default.' }),
    accountIds: t.idList({ description: 'Only these accounts (`Account.id`); all by default.' }),
  }),
});

/** A session whose data may be read: AuthorizeSuccess, or Query.session. */
export const DataSession = builder.interfaceRef<{ requestId: string }>('DataSession').implement({
  description:
    'An open Flinks session and its data. Each field makes one upstream call per distinct input, however often the operation selects it.',
  fields: (t) => ({
    requestId: t.exposeID('requestId'),
    accountsSummary: t.field({
      type: AccountsSummaryResult,
      description: 'The accounts with balances.',
      resolve: (session, _args, ctx) =>
        observed(ctx, 'accountsSummary', ctx.data.accountsSummary(session.requestId)),
    }),
    accountsDetail: t.field({
      type: AccountsDetailResult,
      description:
        'The accounts with transactions and the detail asked for. Flinks often needs time: the gateway waits briefly, then answers DataPending. Under `@defer` the rest of the response comes at once and this field follows in a later payload when Flinks has the data (the gateway keeps polling for minutes, `DATA_DEFER_WAIT_MS`), or DataPending after that wait.',
      args: { input: t.arg({ type: AccountsDetailInput }) },
      resolve: (session, { input }, ctx, info) =>
        observed(
          ctx,
          'accountsDetail',
          ctx.data.accountsDetail(session.requestId, input ?? {}, { deferred: isDeferred(info) }),
        ),
    }),
    statements: t.field({
      type: StatementsResult,
      description: 'Statement documents, each with a short-lived download link.',
      args: { input: t.arg({ type: StatementsInput }) },
      resolve: (session, { input }, ctx) =>
        observed(ctx, 'statements', ctx.data.statements(session.requestId, input ?? {})),
    }),
  }),
});

const Session = builder.objectRef<{ kind: 'session'; requestId: string }>('Session').implement({
  description: 'A session the caller opened earlier with `authorize`, within Flinks’ lifetime.',
  interfaces: [DataSession],
  isTypeOf: (value) => (value as { kind?: unknown }).kind === 'session',
});

const SessionResult = builder.errorUnion('SessionResult', {
  description: 'The session, or why it cannot be read.',
  types: [Session, SessionExpiredError, InvalidInputError, ServiceUnavailableError],
});

builder.queryFields((t) => ({
  session: t.field({
    type: SessionResult,
    description: 'The data of a requestId the caller obtained from `authorize` (30 idle minutes).',
    args: { requestId: t.arg.id({ required: true }) },
    resolve: async (_, { requestId }, ctx) => {
      await ctx.data.session(String(requestId));
      return { kind: 'session' as const, requestId: String(requestId) };
    },
  }),
}));
