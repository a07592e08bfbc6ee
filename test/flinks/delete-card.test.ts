import { MockAgent } from 'undici';
import { describe, expect, it } from 'vitest';
import { SessionBusyError, UpstreamError } from '../../src/errors.ts';
import { FlinksClient } from '../../src/flinks/client.ts';
import { FlinksContractError } from '../../src/flinks/errors.ts';
import { SIMULATOR_CUSTOMER_ID } from '../../src/simulator/index.ts';

const ORIGIN = 'https://flinks.test';
const LOGIN_ID = '5e115eac-1209-4f19-641c-08d6d484e2fe';
const PATH = `/v3/${SIMULATOR_CUSTOMER_ID}/BankingServices/DeleteCard/${LOGIN_ID}`;

function mockedClient(apiKey: string | null = 'api-key-for-tests') {
  const agent = new MockAgent();
  agent.disableNetConnect();
  const pool = agent.get(ORIGIN);
  const client = new FlinksClient({
    baseUrl: ORIGIN,
    customerId: SIMULATOR_CUSTOMER_ID,
    secretKey: 'secret-key-for-tests',
    apiKey,
    dispatcher: agent,
    tokenPoolSize: 0,
    retry: { initialDelayMs: 1, maxDelayMs: 2 },
  });
  const intercept = () =>
    pool.intercept({
      path: PATH,
      method: 'DELETE',
      headers: { 'x-api-key': 'api-key-for-tests' },
    });
  return { client, intercept };
}

describe('FlinksClient.deleteCard', () => {
  it('sends DELETE with the x-api-key and reads 200 as deleted', async () => {
    const { client, intercept } = mockedClient();
    intercept().reply(200, {
      StatusCode: 200,
      Message: `All of the information about LoginId ${LOGIN_ID} has been removed`,
    });
    expect(await client.deleteCard(LOGIN_ID)).toBe('deleted');
  });

  it('retries a transient failure; INVALID_LOGIN after a first attempt that deleted is unknown, not an error', async () => {
    const { client, intercept } = mockedClient();
    intercept().reply(503, '<html>busy</html>');
    intercept().reply(401, { HttpStatusCode: 401, FlinksCode: 'INVALID_LOGIN', Message: 'x' });
    expect(await client.deleteCard(LOGIN_ID)).toBe('unknown');
  });

  it('answers CARD_IN_USE as a retryable SessionBusyError, with Flinks’ Retry-After or 5 s', async () => {
    const { client, intercept } = mockedClient();
    const body = { HttpStatusCode: 400, FlinksCode: 'CARD_IN_USE', Message: 'x' };
    intercept().reply(400, body);
    intercept().reply(400, body, { headers: { 'retry-after': '12' } });
    const first = await client.deleteCard(LOGIN_ID).catch((error: unknown) => error);
    expect(first).toBeInstanceOf(SessionBusyError);
    expect(first).toMatchObject({
      flinksCode: 'CARD_IN_USE',
      retryable: true,
      retryAfterSeconds: 5,
    });
    await expect(client.deleteCard(LOGIN_ID)).rejects.toMatchObject({ retryAfterSeconds: 12 });
  });

  it('turns a code that means nothing for a deletion into UpstreamError, and a bad 200 into a broken contract', async () => {
    const { client, intercept } = mockedClient();
    intercept().reply(400, { HttpStatusCode: 400, FlinksCode: 'SESSION_EXPIRED' });
    intercept().reply(200, { StatusCode: 500 });
    const refused = await client.deleteCard(LOGIN_ID).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(UpstreamError);
    expect(refused).toMatchObject({ flinksCode: 'SESSION_EXPIRED' });
    await expect(client.deleteCard(LOGIN_ID)).rejects.toBeInstanceOf(FlinksContractError);
  });

  it('cannot be called without an API key', async () => {
    const { client } = mockedClient(null);
    await expect(client.deleteCard(LOGIN_ID)).rejects.toBeInstanceOf(FlinksContractError);
  });
});
