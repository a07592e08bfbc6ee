import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { simulatorLoginId } from '../../src/simulator/index.ts';
import { AUTHORIZE, credentials, startTestGateway, type TestGateway } from '../support/gateway.ts';

const ACCOUNT = /* GraphQL */ `
  id title currency category
  balance { available { amount currency } current { amount currency } limit { amount } }
`;

const ONE_ROUND_TRIP = /* GraphQL */ `
  mutation OneRoundTrip($input: AuthorizeInput!) {
    authorize(input: $input) {
      __typename
      ... on AuthorizeSuccess {
        requestId
        accountsSummary { __typename ... on AccountsSummary { accounts { ${ACCOUNT} } } }
        accountsDetail(input: { days: DAYS_365 }) {
          __typename
          ... on AccountsDetail {
            accounts {
              id
              transactions(first: 10) {
                totalCount
                pageInfo { hasNextPage endCursor }
                edges { cursor node { id date description debit { amount currency } credit { amount } balance { amount } } }
              }
            }
          }
          ... on DataPending { flinksCode retryAfterSeconds }
        }
      }
    }
  }
`;

const SESSION_DETAIL = /* GraphQL */ `
  query Detail($requestId: ID!, $input: AccountsDetailInput) {
    session(requestId: $requestId) {
      __typename
      ... on Session {
        accountsDetail(input: $input) {
          __typename
          ... on AccountsDetail { accounts { id transactions(first: 5) { totalCount } } }
          ... on DataPending { requestId flinksCode retryAfterSeconds message }
          ... on Error { code flinksCode }
        }
      }
      ... on Error { code message }
    }
  }
`;

async function openSession(gw: TestGateway, username: string): Promise<string> {
  const { body } = await gw.graphql(
    'mutation ($input: AuthorizeInput!) { authorize(input: $input) { ... on AuthorizeSuccess { requestId } } }',
    credentials(username),
  );
  const requestId = body.data?.authorize?.requestId;
  if (!requestId) throw new Error(`no session for ${username}: ${JSON.stringify(body)}`);
  return requestId;
}

describe('account data in one round trip', () => {
  let gw: TestGateway;
  beforeAll(async () => {
    gw = await startTestGateway();
  });
  afterAll(async () => {
    await gw.close();
  });

  it('authorizes and returns accounts with paginated transactions in one operation', async () => {
    const { status, body } = await gw.graphql(ONE_ROUND_TRIP, credentials('greatday_nomfa'));
    expect(status).toBe(200);
    expect(body.errors).toBeUndefined();
    const result = body.data.authorize;
    expect(result.__typename).toBe('AuthorizeSuccess');
    expect(result.accountsSummary.__typename).toBe('AccountsSummary');
    expect(result.accountsSummary.accounts.length).toBeGreaterThanOrEqual(2);
    for (const account of result.accountsSummary.accounts) {
      expect(account.balance.current.amount).toMatch(/^-?\d+(\.\d+)?$/);
      expect(account.balance.current.currency).toBe(account.currency);
    }
    expect(result.accountsDetail.__typename).toBe('AccountsDetail');
    const [chequing] = result.accountsDetail.accounts;
    expect(chequing.transactions.edges).toHaveLength(10);
    expect(chequing.transactions.totalCount).toBeGreaterThan(100);
    expect(chequing.transactions.pageInfo).toEqual({
      hasNextPage: true,
      endCursor: chequing.transactions.edges[9].cursor,
    });
    const dates = chequing.transactions.edges.map((e: { node: { date: string } }) => e.node.date);
    expect([...dates].sort().reverse()).toEqual(dates);
  });

  it('pages through transactions with cursors and filters them by date', async () => {
    const requestId = await openSession(gw, 'greatday_nomfa');
    const summary = await gw.graphql(
      `query ($id: ID!) { session(requestId: $id) { ... on Session { accountsSummary { ... on AccountsSummary { accounts { id } } } } } }`,
      { id: requestId },
    );
    const accountId = summary.body.data.session.accountsSummary.accounts[0].id;
    // A cursor belongs to one account's list: page one account at a time.
    const page = async (after: string | null, extra = '') => {
      const { body } = await gw.graphql(
        `query ($id: ID!, $account: ID!, $after: String) { session(requestId: $id) { ... on Session { accountsDetail(input: { days: DAYS_365, accountIds: [$account] }) { ... on AccountsDetail { accounts { transactions(first: 100, after: $after${extra}) { totalCount pageInfo { hasNextPage endCursor } edges { node { id date } } } } } } } } }`,
        { id: requestId, account: accountId, after },
      );
      expect(body.errors).toBeUndefined();
      return body.data.session.accountsDetail.accounts[0].transactions;
    };
    const seen: string[] = [];
    let after: string | null = null;
    let total = 0;
    for (;;) {
      const connection = await page(after);
      total = connection.totalCount;
      seen.push(...connection.edges.map((e: { node: { id: string } }) => e.node.id));
      if (!connection.pageInfo.hasNextPage) break;
      after = connection.pageInfo.endCursor;
    }
    expect(seen).toHaveLength(total);
    expect(new Set(seen).size).toBe(total);

    const january = await page(null, ', from: "2026-01-01", to: "2026-01-31"');
    for (const edge of january.edges) expect(edge.node.date.startsWith('2026-01')).toBe(true);
    expect(january.totalCount).toBeLessThan(total);
  });

  it('makes one upstream call per distinct piece of data, whatever the operation repeats', async () => {
    const requestId = await openSession(gw, 'greatday_nomfa');
    gw.simulator.clearCalls();
    const { body } = await gw.graphql(
      `query ($id: ID!) {
        a: session(requestId: $id) { ... on Session {
          s1: accountsSummary { __typename } s2: accountsSummary { __typename }
          d1: accountsDetail { __typename } d2: accountsDetail(input: { days: DAYS_90 }) { __typename }
          d3: accountsDetail(input: { days: DAYS_365 }) { __typename }
        } }
        b: session(requestId: $id) { ... on Session { accountsSummary { __typename } statements { __typename } } }
      }`,
      { id: requestId },
    );
    expect(body.errors).toBeUndefined();
    expect(body.data.a.s1.__typename).toBe('AccountsSummary');
    expect(body.data.a.d3.__typename).toBe('AccountsDetail');
    expect(gw.simulator.countCalls('GetAccountsSummary')).toBe(1);
    // DAYS_90 is the default: d1 and d2 are the same request.
    expect(gw.simulator.countCalls('GetAccountsDetail')).toBe(2);
    expect(gw.simulator.countCalls('GetStatements')).toBe(1);
  });

  it('keeps money exact: an amount no binary double can hold comes back digit for digit', async () => {
    const { body } = await gw.graphql(
      `mutation ($input: AuthorizeInput!) { authorize(input: $input) { ... on AuthorizeSuccess {
        accountsSummary { ... on AccountsSummary { accounts { balance { current { amount } } } } } } } }`,
      { input: { cached: { loginId: simulatorLoginId('Greatday') } } },
    );
    const amounts: string[] = body.data.authorize.accountsSummary.accounts.map(
      (a: { balance: { current: { amount: string } } }) => a.balance.current.amount,
    );
    // Greatday's savings balance in the simulator; JSON.parse would give 87654321098765.44.
    expect(amounts).toContain('87654321098765.43');
    expect(String(JSON.parse('87654321098765.43'))).not.toBe('87654321098765.43');
  });

  it('serves each statement as a PDF from a short-lived link, and refuses a tampered one', async () => {
    const requestId = await openSession(gw, 'greatday_nomfa');
    const { body } = await gw.graphql(
      `query ($id: ID!) { session(requestId: $id) { ... on Session { statements(input: { period: MONTHS_3 }) {
        __typename ... on Statements { accounts { accountNumber statements { id fileType sizeBytes downloadUrl downloadExpiresAt } } } } } } }`,
      { id: requestId },
    );
    const groups = body.data.session.statements.accounts;
    expect(groups.length).toBeGreaterThan(0);
    const [statement] = groups[0].statements;
    expect(groups[0].statements).toHaveLength(3);
    expect(statement.fileType).toBe('PDF');
    expect(statement.downloadUrl).toMatch(/^\/statements\/[\w-]+\.[\w-]+$/);
    expect(new Date(statement.downloadExpiresAt).getTime()).toBeGreaterThan(Date.now());

    const pdf = await gw.fetch(statement.downloadUrl);
    expect(pdf.status).toBe(200);
    expect(pdf.headers.get('content-type')).toBe('application/pdf');
    const bytes = Buffer.from(await pdf.arrayBuffer());
    expect(bytes.subarray(0, 5).toString()).toBe('%PDF-');
    expect(bytes.length).toBe(statement.sizeBytes);

    const tampered = `${statement.downloadUrl.slice(0, -2)}xx`;
    expect((await gw.fetch(tampered)).status).toBe(404);
    expect((await gw.fetch('/statements/not-a-token')).status).toBe(404);
  });

  it('answers SessionExpiredError for an unknown requestId and InvalidInputError for a malformed one', async () => {
    const unknown = await gw.graphql(SESSION_DETAIL, {
      requestId: '0f0f0f0f-0000-4000-8000-000000000000',
    });
    expect(unknown.body.data.session).toMatchObject({
      __typename: 'SessionExpiredError',
      code: 'SESSION_EXPIRED',
    });
    const malformed = await gw.graphql(SESSION_DETAIL, { requestId: 'nope' });
    expect(malformed.body.data.session.__typename).toBe('InvalidInputError');
  });
});

describe('data Flinks is still gathering', () => {
  let now = Date.UTC(2026, 10, 24, 12);
  const clock = () => now;
  let gw: TestGateway;
  beforeAll(async () => {
    gw = await startTestGateway({
      simulator: { now: clock },
      now: clock,
      config: { data: { waitMs: 0, pollIntervalMs: 100 } },
    });
  });
  afterAll(async () => {
    await gw.close();
  });

  it('answers DataPending, then resumes polling on the next query instead of starting over', async () => {
    const requestId = await openSession(gw, 'test_pending');
    gw.simulator.clearCalls();
    const first = await gw.graphql(SESSION_DETAIL, { requestId });
    expect(first.body.data.session.accountsDetail).toMatchObject({
      __typename: 'DataPending',
      requestId,
      flinksCode: 'OPERATION_PENDING',
      retryAfterSeconds: 1,
    });
    expect(gw.simulator.countCalls('GetAccountsDetail')).toBe(1);

    const second = await gw.graphql(SESSION_DETAIL, { requestId });
    expect(second.body.data.session.accountsDetail.__typename).toBe('DataPending');

    now += 60_000;
    const ready = await gw.graphql(SESSION_DETAIL, { requestId });
    expect(ready.body.data.session.accountsDetail.__typename).toBe('AccountsDetail');
    expect(gw.simulator.countCalls('GetAccountsDetail')).toBe(1);
    expect(gw.simulator.countCalls('GetAccountsDetailAsync')).toBe(2);
  });

  it('carries OPERATION_DISPATCHED when Flinks sent the work to the background', async () => {
    const requestId = await openSession(gw, 'test_dispatched');
    const { body } = await gw.graphql(SESSION_DETAIL, { requestId });
    expect(body.data.session.accountsDetail).toMatchObject({
      __typename: 'DataPending',
      flinksCode: 'OPERATION_DISPATCHED',
    });
  });
});

describe('waiting within one request', () => {
  it('polls a pending detail until it is ready when that fits the wait', async () => {
    const gw = await startTestGateway({
      simulator: { detailDelayMs: 300 },
      config: { data: { waitMs: 3_000, pollIntervalMs: 100 } },
    });
    try {
      const cached = await gw.graphql(AUTHORIZE, {
        input: { cached: { loginId: simulatorLoginId('Greatday') } },
      });
      const requestId = cached.body.data.authorize.requestId;
      gw.simulator.clearCalls();
      const detail = await gw.graphql(SESSION_DETAIL, { requestId });
      expect(detail.body.data.session.accountsDetail.__typename).toBe('AccountsDetail');
      expect(gw.simulator.countCalls('GetAccountsDetail')).toBe(1);
      expect(gw.simulator.countCalls('GetAccountsDetailAsync')).toBeGreaterThanOrEqual(1);
    } finally {
      await gw.close();
    }
  });
});
