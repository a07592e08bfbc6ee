import { InvalidInputError, ServiceUnavailableError, SessionExpiredError } from '../errors.ts';
import { AccountsDetailInput } from './accounts.ts';
import { builder } from './builder.ts';
import { isDeferred } from './deferred.ts';
import { observed, ofKind } from './observed.ts';
import { AccountsDetailResult, AccountsSummaryResult, StatementsResult } from './results.ts';
import { StatementsInput } from './statements.ts';

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
  isTypeOf: ofKind('Session', 'session'),
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
