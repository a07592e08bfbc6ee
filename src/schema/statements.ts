import { STATEMENTS_DEFAULTS } from '../data/inputs.ts';
import type { StatementsView, StatementView } from '../data/views.ts';
import { builder, byDefault } from './builder.ts';
import { ofKind } from './observed.ts';

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

export const Statements = builder.objectRef<StatementsView>('Statements').implement({
  description: 'Statements of the session (`/GetStatements`; Canada, when Flinks enabled it).',
  isTypeOf: ofKind('Statements', 'statements'),
  fields: (t) => ({
    requestId: t.exposeID('requestId'),
    accounts: t.expose('accounts', { type: [AccountStatements] }),
  }),
});

const STATEMENT_PERIOD = {
  MOST_RECENT: { value: 'MostRecent', description: 'The latest statement of each account.' },
  MONTHS_3: { value: 'Months3', description: 'The last 3 months.' },
  MONTHS_12: { value: 'Months12', description: 'The last 12 months.' },
} as const;

const StatementPeriod = builder.enumType('StatementPeriod', {
  description: 'Which statements.',
  values: STATEMENT_PERIOD,
});

export const StatementsInput = builder.inputType('StatementsInput', {
  description: 'Which statements `/GetStatements` returns.',
  fields: (t) => ({
    period: t.field({
      type: StatementPeriod,
      description: byDefault(STATEMENTS_DEFAULTS.period, STATEMENT_PERIOD),
    }),
    accountIds: t.idList({ description: 'Only these accounts (`Account.id`); all by default.' }),
  }),
});
