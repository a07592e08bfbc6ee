import { z } from 'zod';
import { FlinksId } from '../flinks/ids.ts';
import type { AccountsDetailOptions, StatementsOptions } from '../flinks/types.ts';

/**
 * What accountsDetail gathers when its input leaves a member out, stated once: the schema's
 * descriptions of `AccountsDetailInput` say these values.
 */
export const ACCOUNTS_DETAIL_DEFAULTS = {
  days: 'Days90',
  withTransactions: true,
  withBalance: true,
  withAccountIdentity: false,
  withKyc: false,
} as const satisfies Omit<AccountsDetailOptions, 'accountIds'>;

/** Which statements are read when the input leaves `period` out (said by `StatementsInput`). */
export const STATEMENTS_DEFAULTS = {
  period: 'MostRecent',
} as const satisfies Omit<StatementsOptions, 'accountIds'>;

const AccountIds = z
  .array(FlinksId)
  .max(50, 'must list at most 50 accounts')
  .nullish()
  .transform((ids) => (ids && ids.length > 0 ? ids : null));

/** A member the caller may leave out (or send null): then the default, stated once above. */
const orDefault = <T extends z.ZodType>(schema: T, fallback: z.output<T>) =>
  schema.nullish().transform((v) => v ?? fallback);

export const DetailInput = z.object({
  days: orDefault(z.enum(['Days90', 'Days365']), ACCOUNTS_DETAIL_DEFAULTS.days),
  withTransactions: orDefault(z.boolean(), ACCOUNTS_DETAIL_DEFAULTS.withTransactions),
  withBalance: orDefault(z.boolean(), ACCOUNTS_DETAIL_DEFAULTS.withBalance),
  withAccountIdentity: orDefault(z.boolean(), ACCOUNTS_DETAIL_DEFAULTS.withAccountIdentity),
  withKyc: orDefault(z.boolean(), ACCOUNTS_DETAIL_DEFAULTS.withKyc),
  accountIds: AccountIds,
});

export const StatementsInput = z.object({
  period: orDefault(z.enum(['MostRecent', 'Months3', 'Months12']), STATEMENTS_DEFAULTS.period),
  accountIds: AccountIds,
});

export type AccountsDetailInput = z.input<typeof DetailInput>;
export type StatementsInput = z.input<typeof StatementsInput>;
