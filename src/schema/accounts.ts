import { ACCOUNTS_DETAIL_DEFAULTS } from '../data/inputs.ts';
import type { AccountsView } from '../data/views.ts';
import type { Account, AccountHolder, Balance } from '../flinks/types.ts';
import { builder, byDefault } from './builder.ts';
import { Money, money } from './money.ts';
import { ofKind } from './observed.ts';
import { DEFAULT_PAGE, MAX_PAGE, paginate, TransactionConnection } from './transactions.ts';

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
        first: t.arg.int({
          description: `Page size, 1 to ${MAX_PAGE}; ${byDefault(DEFAULT_PAGE)}`,
        }),
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
    isTypeOf: ofKind(name, kind),
    fields: (t) => ({
      requestId: t.exposeID('requestId'),
      accounts: t.expose('accounts', {
        type: [AccountType],
        description: 'The session’s accounts.',
      }),
    }),
  });

export const AccountsSummary = accountsObject(
  'AccountsSummary',
  'summary',
  'The accounts of the session, with balances (`/GetAccountsSummary`).',
);
export const AccountsDetail = accountsObject(
  'AccountsDetail',
  'detail',
  'The accounts of the session with the detail asked for (`/GetAccountsDetail`).',
);

const TRANSACTION_HISTORY = {
  DAYS_90: { value: 'Days90', description: 'The last 90 days.' },
  DAYS_365: { value: 'Days365', description: 'The last 365 days.' },
} as const;

const TransactionHistory = builder.enumType('TransactionHistory', {
  description: 'How far back transactions go.',
  values: TRANSACTION_HISTORY,
});

const DETAIL = ACCOUNTS_DETAIL_DEFAULTS;

export const AccountsDetailInput = builder.inputType('AccountsDetailInput', {
  description: 'What `/GetAccountsDetail` gathers.',
  fields: (t) => ({
    days: t.field({
      type: TransactionHistory,
      description: byDefault(DETAIL.days, TRANSACTION_HISTORY),
    }),
    withTransactions: t.boolean({ description: byDefault(DETAIL.withTransactions) }),
    withBalance: t.boolean({ description: byDefault(DETAIL.withBalance) }),
    withAccountIdentity: t.boolean({
      description: `Transit and institution numbers. ${byDefault(DETAIL.withAccountIdentity)}`,
    }),
    withKyc: t.boolean({
      description: `The account holder. ${byDefault(DETAIL.withKyc)}`,
    }),
    accountIds: t.idList({ description: 'Only these accounts (`Account.id`); all by default.' }),
  }),
});
