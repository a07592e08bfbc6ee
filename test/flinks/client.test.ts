import type { AddressInfo } from 'node:net';
import { createServer, type Server } from 'node:net';
import { MockAgent } from 'undici';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { InstitutionUnavailableError, InvalidCredentialsError } from '../../src/errors.ts';
import { FlinksClient } from '../../src/flinks/client.ts';
import { FlinksContractError } from '../../src/flinks/errors.ts';
import { parseFlinksInstant } from '../../src/flinks/wire/authorize.ts';
import {
  type RunningSimulator,
  SIMULATOR_CUSTOMER_ID,
  SIMULATOR_SECRET_KEY,
  startSimulator,
} from '../../src/simulator/index.ts';

const ORIGIN = 'https://flinks.test';
const BASE = `/v3/${SIMULATOR_CUSTOMER_ID}/BankingServices`;
const cached = { mode: 'cached', loginId: '5e115eac-1209-4f19-641c-08d6d484e2fe' } as const;

function mockedClient() {
  const agent = new MockAgent();
  agent.disableNetConnect();
  const pool = agent.get(ORIGIN);
  const client = new FlinksClient({
    baseUrl: ORIGIN,
    customerId: SIMULATOR_CUSTOMER_ID,
    secretKey: 'secret-key-for-tests',
    dispatcher: agent,
    maxResponseBytes: 64 * 1024,
  });
  pool
    .intercept({ path: `${BASE}/GenerateAuthorizeToken`, method: 'POST' })
    .reply(200, { HttpStatusCode: 200, Token: 'token-1' })
    .persist();
  return { agent, pool, client };
}

describe('FlinksClient over a mocked transport', () => {
  it('reads a reset connection as InstitutionUnavailableError', async () => {
    const { pool, client } = mockedClient();
    pool
      .intercept({ path: `${BASE}/Authorize`, method: 'POST' })
      .replyWithError(Object.assign(new Error('other side closed'), { code: 'UND_ERR_SOCKET' }));
    const error = await client.authorize(cached).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InstitutionUnavailableError);
    expect((error as Error).message).toBe('Flinks could not be reached. Try again later.');
  });

  it('refuses a body larger than the limit as a broken contract', async () => {
    const { pool, client } = mockedClient();
    pool.intercept({ path: `${BASE}/Authorize`, method: 'POST' }).reply(200, 'x'.repeat(70 * 1024));
    await expect(client.authorize(cached)).rejects.toBeInstanceOf(FlinksContractError);
  });

  it('maps on FlinksCode, not on status: INVALID_LOGIN as 400 or 401 is the same error', async () => {
    for (const status of [400, 401]) {
      const { pool, client } = mockedClient();
      pool.intercept({ path: `${BASE}/Authorize`, method: 'POST' }).reply(status, {
        HttpStatusCode: status,
        FlinksCode: 'INVALID_LOGIN',
        Message: 'raw flinks text',
      });
      const error = await client.authorize(cached).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(InvalidCredentialsError);
      expect((error as Error).message).not.toContain('raw flinks text');
    }
  });

  it('accepts a 203 without HttpStatusCode or Links, and ignores unknown fields', async () => {
    const { pool, client } = mockedClient();
    pool.intercept({ path: `${BASE}/Authorize`, method: 'POST' }).reply(203, {
      RequestId: 'b0debb48-f9f1-46c6-80a4-08d7dd88d478',
      SecurityChallenges: [{ Type: 'WaitUntilEUAccept', Prompt: 'Approve it', Extra: 1 }],
      SomethingNew: { nested: true },
    });
    await expect(client.authorize(cached)).resolves.toEqual({
      kind: 'mfa',
      requestId: 'b0debb48-f9f1-46c6-80a4-08d7dd88d478',
      institution: null,
      challenges: [{ type: 'WaitUntilEUAccept', prompt: 'Approve it', iterables: [] }],
      tag: null,
    });
  });

  it('treats an undocumented status without a FlinksCode as a broken contract', async () => {
    const { pool, client } = mockedClient();
    pool
      .intercept({ path: `${BASE}/Authorize`, method: 'POST' })
      .reply(202, { HttpStatusCode: 202 });
    await expect(client.authorize(cached)).rejects.toBeInstanceOf(FlinksContractError);
  });
});

describe('FlinksClient over real sockets', () => {
  let simulator: RunningSimulator;
  let truncating: Server;
  let truncatingUrl: string;

  beforeAll(async () => {
    simulator = await startSimulator();
    // Answers every request with headers promising 1,000 bytes, sends 10, then drops the socket.
    truncating = createServer((socket) => {
      socket.once('data', () => {
        socket.write(
          'HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 1000\r\n\r\n{"Token":"',
        );
        socket.destroy();
      });
    });
    await new Promise<void>((resolve) => truncating.listen(0, '127.0.0.1', resolve));
    truncatingUrl = `http://127.0.0.1:${(truncating.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await simulator.close();
    await new Promise((resolve) => truncating.close(resolve));
  });

  const clients: FlinksClient[] = [];
  afterEach(async () => {
    await Promise.all(clients.splice(0).map((c) => c.close()));
  });
  const client = (baseUrl: string, headersMs = 10_000) => {
    const created = new FlinksClient({
      baseUrl,
      customerId: SIMULATOR_CUSTOMER_ID,
      secretKey: SIMULATOR_SECRET_KEY,
      timeouts: { headersMs, connectMs: 2_000 },
    });
    clients.push(created);
    return created;
  };
  const slow = {
    mode: 'credentials',
    institution: 'FlinksCapital',
    username: 'test_slow',
    password: 'Everyday',
  } as const;

  it('reads a body cut short as InstitutionUnavailableError', async () => {
    await expect(client(truncatingUrl).generateAuthorizeToken()).rejects.toBeInstanceOf(
      InstitutionUnavailableError,
    );
  });

  it('reads a refused connection as InstitutionUnavailableError', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(closed.address() as AddressInfo).port}`;
    await new Promise((resolve) => closed.close(resolve));
    await expect(client(url).generateAuthorizeToken()).rejects.toBeInstanceOf(
      InstitutionUnavailableError,
    );
  });

  it('gives up on a slow answer after the headers timeout', async () => {
    const error = await client(simulator.url, 300)
      .authorize(slow)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InstitutionUnavailableError);
    expect((error as Error).message).toBe('Flinks did not answer in time. Try again later.');
  });

  it('abandons the upstream call when the caller aborts', async () => {
    const controller = new AbortController();
    const pending = client(simulator.url).authorize(slow, controller.signal);
    setTimeout(() => controller.abort(new Error('client went away')), 100);
    await expect(pending).rejects.toThrow('client went away');
  });

  it('reports a refused secret key as a broken contract, never naming the key', async () => {
    const wrong = new FlinksClient({
      baseUrl: simulator.url,
      customerId: SIMULATOR_CUSTOMER_ID,
      secretKey: 'definitely-not-the-key',
    });
    clients.push(wrong);
    const error = await wrong.generateAuthorizeToken().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FlinksContractError);
    expect(JSON.stringify(error)).not.toContain('definitely-not-the-key');
    expect((error as Error).message).not.toContain('definitely-not-the-key');
  });
});

describe('parseFlinksInstant', () => {
  it.each([
    ['2020-04-15T22:46:03.1690585', '2020-04-15T22:46:03.169Z'],
    ['2026-01-21T20:47:47.145999', '2026-01-21T20:47:47.145Z'],
    ['2018-05-23T15:10:51', '2018-05-23T15:10:51.000Z'],
    ['2018-05-23T15:10:51.5+02:00', '2018-05-23T13:10:51.500Z'],
  ])('reads %s as %s', (input, iso) => {
    expect(parseFlinksInstant(input)?.toISOString()).toBe(iso);
  });

  it.each(['2020-04-15', 'yesterday', '2020-13-45T99:00:00'])('refuses %s', (input) => {
    expect(parseFlinksInstant(input)).toBeNull();
  });
});
