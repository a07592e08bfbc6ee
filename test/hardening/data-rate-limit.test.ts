import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { simulatorLoginId } from '../../src/simulator/index.ts';
import { AUTHORIZE } from '../support/gateway.ts';
import { type HttpGateway, startHttpGateway } from '../support/http-gateway.ts';

let gw: HttpGateway;
beforeAll(async () => {
  gw = await startHttpGateway({ RATE_LIMIT_PER_MINUTE: '5' });
});
afterAll(async () => {
  await gw.close();
});

const summaries = (aliases: number) => /* GraphQL */ `
  query ($id: ID!) {
    session(requestId: $id) {
      ... on Session {
        ${Array.from({ length: aliases }, (_, i) => `s${i}: accountsSummary { __typename ... on RateLimitedError { retryAfterSeconds flinksCode } }`).join('\n')}
      }
    }
  }
`;
const BOTH = /* GraphQL */ `
  query ($id: ID!) {
    session(requestId: $id) {
      ... on Session {
        accountsSummary { __typename }
        detail: accountsDetail(input: { days: DAYS_90 }) { __typename }
        again: accountsDetail(input: { days: DAYS_90 }) { __typename }
        year: accountsDetail(input: { days: DAYS_365 }) { __typename }
      }
    }
  }
`;

describe('account-data reads count toward the per-principal rate limit', () => {
  it('takes one call per upstream data read after dedup, then answers RateLimitedError without calling Flinks', async () => {
    const loginId = simulatorLoginId('greatday_nomfa');
    const opened = await gw.graphql(AUTHORIZE, { input: { cached: { loginId } } }, 'alice');
    const { requestId } = opened.body.data.authorize;
    const calls = () =>
      gw.running.simulator.countCalls('GetAccountsSummary') +
      gw.running.simulator.countCalls('GetAccountsDetail');

    const eight = await gw.graphql(summaries(8), { id: requestId }, 'alice');
    expect(
      Object.values(eight.body.data.session).map((r) => (r as { __typename: string }).__typename),
    ).toEqual(Array(8).fill('AccountsSummary'));
    expect(calls()).toBe(1);
    const both = await gw.graphql(BOTH, { id: requestId }, 'alice');
    expect(both.body.data.session).toEqual({
      accountsSummary: { __typename: 'AccountsSummary' },
      detail: { __typename: 'AccountsDetail' },
      again: { __typename: 'AccountsDetail' },
      year: { __typename: 'AccountsDetail' },
    });
    expect(calls()).toBe(4);

    const refused = await gw.graphql(summaries(1), { id: requestId }, 'alice');
    expect(refused.body.data.session.s0).toEqual({
      __typename: 'RateLimitedError',
      flinksCode: null,
      retryAfterSeconds: 12,
    });
    expect(calls()).toBe(4);

    const bob = await gw.graphql(AUTHORIZE, { input: { cached: { loginId } } }, 'bob');
    expect(bob.body.data.authorize.__typename).toBe('InvalidCredentialsError');
    const bobs = await gw.graphql(
      AUTHORIZE,
      { input: { cached: { loginId: simulatorLoginId('Greatday') } } },
      'bob',
    );
    expect(bobs.body.data.authorize.__typename).toBe('AuthorizeSuccess');
  });
});
