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

export const DetailInput = z.object({
  days: z
    .enum(['Days90', 'Days365'])
    .nullish()
    .transform((v) => v ?? ACCOUNTS_DETAIL_DEFAULTS.days),
  withTransactions: z
    .boolean()
    .nullish()
    .transform((v) => v ?? ACCOUNTS_DETAIL_DEFAULTS.withTransactions),
  withBalance: z
    .boolean()
    .nullish()
    .transform((v) => v ?? ACCOUNTS_DETAIL_DEFAULTS.withBalance),
  withAccountIdentity: z
    .boolean()
    .nullish()
    .transform((v) => v ?? ACCOUNTS_DETAIL_DEFAULTS.withAccountIdentity),
  withKyc: z
    .boolean()
    .nullish()
    .transform((v) => v ?? ACCOUNTS_DETAIL_DEFAULTS.withKyc),
  accountIds: AccountIds,
});

export const StatementsInput = z.object({
  period: z
    .enum(['MostRecent', 'Months3', 'Months12'])
    .nullish()
    .transform((v) => v ?? STATEMENTS_DEFAULTS.period),
  accountIds: AccountIds,
});

export type AccountsDetailInput = z.input<typeof DetailInput>;
export type StatementsInput = z.input<typeof StatementsInput>;
