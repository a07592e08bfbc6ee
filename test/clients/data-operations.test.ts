import { Client, cacheExchange, fetchExchange } from '@urql/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  AuthorizeWithAccountsDocument,
  SessionAccountsDetailDocument,
  SessionAccountsSummaryDocument,
  SessionStatementsDocument,
} from '../../src/generated/graphql.ts';
import { simulatorLoginId } from '../../src/simulator/index.ts';
import { type ListeningGateway, startListeningGateway } from '../support/listening-gateway.ts';

describe('the account-data operations of operations/, typed by codegen, against the gateway', () => {
  let gateway: ListeningGateway;
  let client: Client;
  let requestId: string;
  beforeAll(async () => {
    gateway = await startListeningGateway();
    // POST: the gateway's CSRF prevention refuses a GET without a preflight header.
    client = new Client({
      url: gateway.url,
      exchanges: [cacheExchange, fetchExchange],
      preferGetMethod: false,
    });
  });
  afterAll(async () => {
    await gateway?.close();
  });

  it('AuthorizeWithAccounts opens a cached session and reads its accounts in one round trip', async () => {
    const { data, error } = await client
      .mutation(AuthorizeWithAccountsDocument, {
        input: { cached: { loginId: simulatorLoginId('greatday_nomfa') } },
      })
      .toPromise();
    expect(error).toBeUndefined();
    const result = data?.authorize;
    if (result?.__typename !== 'AuthorizeSuccess') throw new Error(String(result?.__typename));
    requestId = result.requestId;
    if (result.accountsSummary.__typename !== 'AccountsSummary') {
      throw new Error(result.accountsSummary.__typename);
    }
    expect(result.accountsSummary.accounts.length).toBeGreaterThan(0);
    expect(result.accountsSummary.accounts[0]?.balance?.current?.amount).toMatch(/^-?\d+(\.\d+)?$/);
  });

  it('SessionAccountsSummary reads the same session later', async () => {
    const { data } = await client
      .query(SessionAccountsSummaryDocument, { requestId }, { requestPolicy: 'network-only' })
      .toPromise();
    if (data?.session.__typename !== 'Session') throw new Error(String(data?.session.__typename));
    expect(data.session.accountsSummary.__typename).toBe('AccountsSummary');
  });

  it('SessionAccountsDetail pages through transactions', async () => {
    const { data } = await client
      .query(SessionAccountsDetailDocument, { requestId, input: { days: 'DAYS_90' }, first: 2 })
      .toPromise();
    if (data?.session.__typename !== 'Session') throw new Error(String(data?.session.__typename));
    const detail = data.session.accountsDetail;
    if (detail.__typename !== 'AccountsDetail') throw new Error(detail.__typename);
    const page = detail.accounts.find((account) => account.transactions?.totalCount)?.transactions;
    expect(page?.edges).toHaveLength(2);
    expect(page?.pageInfo.hasNextPage).toBe(true);
    expect(page?.edges[0]?.node.date).toMatch(/^\d{4}-\d{2}-\d{2}$/);
  });

  it('SessionStatements gives download links', async () => {
    const { data, error } = await client
      .query(SessionStatementsDocument, { requestId })
      .toPromise();
    if (error) throw error;
    if (data?.session.__typename !== 'Session') throw new Error(String(data?.session.__typename));
    const statements = data.session.statements;
    if (statements.__typename !== 'Statements') throw new Error(statements.__typename);
    const first = statements.accounts[0]?.statements[0];
    expect(first?.downloadUrl).toMatch(/^\/statements\//);
  });

  it('SessionAccountsSummary of an unknown requestId is SessionExpiredError', async () => {
    const { data } = await client
      .query(SessionAccountsSummaryDocument, {
        requestId: '5e115eac-1209-4f19-641c-08d6d484e2fe',
      })
      .toPromise();
    expect(data?.session).toMatchObject({ __typename: 'SessionExpiredError', retryable: false });
  });
});
