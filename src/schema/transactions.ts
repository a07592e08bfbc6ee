import { createGraphQLError } from 'graphql-yoga';
import type { Account, Transaction } from '../flinks/types.ts';
import { builder } from './builder.ts';
import { Money, money } from './money.ts';

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

export const TransactionConnection = builder.objectRef<Page>('TransactionConnection').implement({
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

export const MAX_PAGE = 500;
/** Transactions in a page when `first` is left out. */
export const DEFAULT_PAGE = 50;
const cursorOf = (transaction: Transaction) =>
  Buffer.from(`tx:${transaction.id}`).toString('base64url');

export function paginate(
  account: Account,
  args: { first?: number | null; after?: string | null; from?: string | null; to?: string | null },
): Page | null {
  if (account.transactions === null) return null;
  const first = args.first ?? DEFAULT_PAGE;
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
