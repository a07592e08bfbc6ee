import type { PendingView } from '../data/views.ts';
import {
  InstitutionUnavailableError,
  InvalidInputError,
  RateLimitedError,
  ServiceUnavailableError,
  SessionBusyError,
  SessionExpiredError,
  UpstreamError,
} from '../errors.ts';
import { AccountsDetail, AccountsSummary } from './accounts.ts';
import { builder } from './builder.ts';
import { ofKind } from './observed.ts';
import { Statements } from './statements.ts';

const DataPending = builder.objectRef<PendingView>('DataPending').implement({
  description:
    'Flinks is still gathering this data (202 OPERATION_PENDING or OPERATION_DISPATCHED). Ask again after `retryAfterSeconds`: the gateway resumes where it left off.',
  isTypeOf: ofKind('DataPending', 'pending'),
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

const DATA_ERRORS = [
  InvalidInputError,
  SessionExpiredError,
  SessionBusyError,
  InstitutionUnavailableError,
  RateLimitedError,
  UpstreamError,
  ServiceUnavailableError,
];

export const AccountsSummaryResult = builder.errorUnion('AccountsSummaryResult', {
  description: 'The accounts, or why not.',
  types: [AccountsSummary, DataPending, ...DATA_ERRORS],
});
export const AccountsDetailResult = builder.errorUnion('AccountsDetailResult', {
  description: 'The accounts with detail, data still pending, or why not.',
  types: [AccountsDetail, DataPending, ...DATA_ERRORS],
});
export const StatementsResult = builder.errorUnion('StatementsResult', {
  description: 'The statements, data still pending, or why not.',
  types: [Statements, DataPending, ...DATA_ERRORS],
});
