import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { simulatorLoginId } from '../../src/simulator/index.ts';
import { AUTHORIZE } from '../support/gateway.ts';
import { type HttpGateway, startHttpGateway } from '../support/http-gateway.ts';

let gw: HttpGateway;
beforeAll(async () => {
  gw = await startHttpGateway();
});
afterAll(async () => {
  await gw.close();
});

const UNKNOWN_LOGIN_ID = '0badc0de-0000-4000-8000-000000000000';
const SUMMARY = /* GraphQL */ `
  query ($id: ID!) {
    session(requestId: $id) {
      __typename
      ... on Session { accountsSummary { __typename ... on AccountsSummary { accounts { id } } } }
    }
  }
`;

async function authorizeAs(principal: string, input: Record<string, unknown>) {
  const { body } = await gw.graphql(AUTHORIZE, { input }, principal);
  return body.data.authorize;
}

describe('a LoginId is claimed by the first caller Flinks proves it exists for', () => {
  it('claims it on QUESTION_NOT_FOUND: another principal is refused as for an unknown LoginId, without a call to Flinks', async () => {
    const loginId = simulatorLoginId('test_question_not_found');
    const first = await authorizeAs('alice', { cached: { loginId } });
    expect(first).toMatchObject({ flinksCode: 'QUESTION_NOT_FOUND' });
    const read = await gw.graphql(SUMMARY, { id: first.sessionRequestId }, 'alice');
    expect(read.body.data.session.accountsSummary.__typename).toBe('AccountsSummary');

    const unknown = await authorizeAs('bob', { cached: { loginId: UNKNOWN_LOGIN_ID } });
    const before = gw.running.simulator.countCalls('Authorize');
    for (const mode of ['cached', 'refresh']) {
      for (const principal of ['bob', 'carol']) {
        expect(await authorizeAs(principal, { [mode]: { loginId } })).toEqual(unknown);
      }
    }
    expect(unknown).toMatchObject({
      __typename: 'InvalidCredentialsError',
      flinksCode: 'INVALID_LOGIN',
    });
    expect(gw.running.simulator.countCalls('Authorize')).toBe(before);
  });

  it('claims it on a refresh that asks an MFA question', async () => {
    const loginId = simulatorLoginId('Greatday');
    expect(await authorizeAs('dave', { refresh: { loginId } })).toMatchObject({
      __typename: 'MfaRequired',
    });
    const unknown = await authorizeAs('erin', { cached: { loginId: UNKNOWN_LOGIN_ID } });
    expect(await authorizeAs('erin', { cached: { loginId } })).toEqual(unknown);
    expect(await authorizeAs('erin', { refresh: { loginId } })).toEqual(unknown);
    expect((await authorizeAs('dave', { cached: { loginId } })).__typename).toBe(
      'AuthorizeSuccess',
    );
  });

  it('claims it when the bank wants the user to act on that login (DISABLED_LOGIN)', async () => {
    const loginId = simulatorLoginId('test_disabled_account');
    expect(await authorizeAs('heidi', { cached: { loginId } })).toMatchObject({
      __typename: 'LoginActionRequiredError',
      flinksCode: 'DISABLED_LOGIN',
    });
    const unknown = await authorizeAs('ivan', { cached: { loginId: UNKNOWN_LOGIN_ID } });
    expect(await authorizeAs('ivan', { cached: { loginId } })).toEqual(unknown);
  });

  it('claims it on a success, as before', async () => {
    const loginId = simulatorLoginId('greatday_nomfa');
    expect((await authorizeAs('frank', { cached: { loginId } })).__typename).toBe(
      'AuthorizeSuccess',
    );
    const unknown = await authorizeAs('grace', { cached: { loginId: UNKNOWN_LOGIN_ID } });
    expect(await authorizeAs('grace', { cached: { loginId } })).toEqual(unknown);
  });
});
