import { Agent, type Dispatcher, request } from 'undici';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  faultsFromEnv,
  type RunningSimulator,
  SIMULATOR_CUSTOMER_ID,
  SIMULATOR_LOGIN_IDS,
  SIMULATOR_SECRET_KEY,
  startSimulator,
} from '../../src/simulator/index.ts';
import { defined, GUID } from '../support/simulator-http.ts';

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
}

const HTML_TYPE = 'text/html; charset=utf-8';
const JSON_TYPE = 'application/json; charset=utf-8';

function loginIdOf(username: string): string {
  return defined(
    SIMULATOR_LOGIN_IDS.find((login) => login.username === username)?.loginId,
    `LoginId of ${username}`,
  );
}

describe('fault modes', () => {
  let running: RunningSimulator;
  // One connection per request, so that a destroyed socket cannot fail the next test's request.
  const dispatcher = new Agent({ pipelining: 0 });

  beforeAll(async () => {
    running = await startSimulator({ faults: { trickleIntervalMs: 0 } });
  });
  afterEach(() => running.simulator.setFaults({ trickleIntervalMs: 0 }));
  afterAll(async () => {
    await running.close();
    await dispatcher.close();
  });

  const url = (endpoint: string) =>
    `${running.url}/v3/${SIMULATOR_CUSTOMER_ID}/BankingServices/${endpoint}`;

  async function post(
    endpoint: string,
    authKey: string,
    body?: unknown,
    options: Partial<Dispatcher.RequestOptions> = {},
  ): Promise<Answer> {
    const response = await request(url(endpoint), {
      method: 'POST',
      dispatcher,
      headers: { 'content-type': 'application/json', 'flinks-auth-key': authKey },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      ...options,
    });
    return {
      status: response.statusCode,
      headers: response.headers,
      text: await response.body.text(),
    };
  }

  async function token(): Promise<string> {
    const answer = await post('GenerateAuthorizeToken', SIMULATOR_SECRET_KEY);
    return defined((JSON.parse(answer.text) as { Token?: string }).Token, 'token');
  }

  async function logIn(username: string, options: Partial<Dispatcher.RequestOptions> = {}) {
    const body = { Institution: 'FlinksCapital', Username: username, Password: 'Everyday' };
    return post('Authorize', await token(), body, options);
  }

  async function cached(username: string) {
    const body = { LoginId: loginIdOf(username), MostRecentCached: true };
    return post('Authorize', await token(), body);
  }

  async function failure(promise: Promise<unknown>): Promise<{ code?: string; name?: string }> {
    const error = await promise.then(
      () => new Error('expected the call to fail'),
      (thrown: unknown) => thrown,
    );
    return error as { code?: string; name?: string };
  }

  it.each([
    ['fault_502', 502],
    ['fault_503', 503],
  ])('answers %s with %i and an empty body', async (username, status) => {
    const answer = await logIn(username);
    expect(answer).toMatchObject({ status, text: '' });
    expect(answer.headers['content-length']).toBe('0');
  });

  it.each([
    ['fault_502_html', 502, '502 Bad Gateway'],
    ['fault_503_html', 503, '503 Service Temporarily Unavailable'],
  ])('answers %s with %i and an HTML page', async (username, status, title) => {
    const answer = await logIn(username);
    expect(answer.status).toBe(status);
    expect(answer.headers['content-type']).toBe(HTML_TYPE);
    expect(answer.text).toContain(`<title>${title}</title>`);
  });

  it('answers fault_429 with 429 TOO_MANY_REQUESTS and the configured Retry-After', async () => {
    running.simulator.setFaults({ retryAfterSeconds: 7 });
    const answer = await logIn('fault_429');
    expect(answer.status).toBe(429);
    expect(answer.headers['retry-after']).toBe('7');
    expect(JSON.parse(answer.text)).toEqual({
      HttpStatusCode: 429,
      FlinksCode: 'TOO_MANY_REQUESTS',
      Message: 'Too many requests. Please try again later.',
    });
  });

  it('answers fault_malformed_json with a JSON content type and a body JSON.parse refuses', async () => {
    const answer = await logIn('fault_malformed_json');
    expect(answer.status).toBe(200);
    expect(answer.headers['content-type']).toBe(JSON_TYPE);
    expect(Number(answer.headers['content-length'])).toBe(Buffer.byteLength(answer.text));
    expect(() => JSON.parse(answer.text)).toThrow(SyntaxError);
  });

  it('cuts fault_cut_body short: the headers promise more bytes than arrive, then the socket closes', async () => {
    const response = await request(url('Authorize'), {
      method: 'POST',
      dispatcher,
      headers: { 'flinks-auth-key': await token() },
      body: JSON.stringify({
        Institution: 'FlinksCapital',
        Username: 'fault_cut_body',
        Password: 'Everyday',
      }),
    });
    expect(response.statusCode).toBe(200);
    expect(Number(response.headers['content-length'])).toBeGreaterThan(0);
    const error = await failure(response.body.text());
    expect(error.code).toBe('UND_ERR_RES_CONTENT_LENGTH_MISMATCH');
  });

  it('resets the connection of fault_reset before any response byte', async () => {
    const error = await failure(logIn('fault_reset'));
    expect(error.code).toBe('ECONNRESET');
    expect(running.simulator.calls.at(-1)).toMatchObject({
      endpoint: 'Authorize',
      status: 0,
      fault: 'reset',
    });
  });

  it('trickles the body of fault_trickle one byte at a time, then the whole success arrives', async () => {
    const response = await request(url('Authorize'), {
      method: 'POST',
      dispatcher,
      headers: { 'flinks-auth-key': await token() },
      body: JSON.stringify({
        Institution: 'FlinksCapital',
        Username: 'fault_trickle',
        Password: 'Everyday',
      }),
    });
    let chunks = 0;
    let text = '';
    for await (const chunk of response.body) {
      chunks += 1;
      text += String(chunk);
    }
    // Bytes sent a timer turn apart arrive in many reads (one each, unless the network merges some).
    expect(chunks).toBeGreaterThan(10);
    expect(JSON.parse(text)).toMatchObject({
      HttpStatusCode: 200,
      Login: { Username: 'fault_trickle', Id: loginIdOf('fault_trickle') },
      RequestId: expect.stringMatching(GUID),
    });
  });

  it("trips a client's body timeout when the trickle is slower than it", async () => {
    running.simulator.setFaults({ trickleIntervalMs: 60_000 });
    const response = await logIn('fault_trickle', { bodyTimeout: 50 }).catch(
      (error: unknown) => error,
    );
    expect(response).toMatchObject({ code: 'UND_ERR_BODY_TIMEOUT' });
  });

  it.each([
    ['fault_503', 503],
    ['fault_429', 429],
  ])('answers the cached LoginId of %s with the same fault', async (username, status) => {
    expect((await cached(username)).status).toBe(status);
  });

  it('answers the first call on fault_503_once with 503 and the next with the cached 200', async () => {
    const first = await cached('fault_503_once');
    const second = await cached('fault_503_once');
    expect(first.status).toBe(503);
    expect(second.status).toBe(200);
    expect(JSON.parse(second.text)).toMatchObject({
      Login: { Username: 'fault_503_once', Id: loginIdOf('fault_503_once') },
    });
  });

  it('resets the first call on fault_reset_once and answers the next one', async () => {
    const error = await failure(cached('fault_reset_once'));
    expect(error.code).toBe('ECONNRESET');
    expect((await cached('fault_reset_once')).status).toBe(200);
  });

  it('fails the tokens it is told to with tokenFault, and leaves /Authorize alone', async () => {
    const minted = await token();
    running.simulator.setFaults({ tokenFault: '503' });
    const refused = await post('GenerateAuthorizeToken', SIMULATOR_SECRET_KEY);
    const authorized = await post('Authorize', minted, {
      LoginId: loginIdOf('greatday_nomfa'),
      MostRecentCached: true,
    });
    expect(refused.status).toBe(503);
    expect(authorized.status).toBe(200);
  });

  it('fails a seeded share of requests, the same ones again for the same seed', async () => {
    const statuses = async () => {
      running.simulator.setFaults({ failureRate: 0.5, failureKinds: ['502', '429'], seed: 42 });
      const seen: number[] = [];
      for (let index = 0; index < 40; index += 1) {
        seen.push((await post('GenerateAuthorizeToken', SIMULATOR_SECRET_KEY)).status);
      }
      return seen;
    };
    const first = await statuses();
    const second = await statuses();
    expect(second).toEqual(first);
    expect(new Set(first)).toEqual(new Set([200, 502, 429]));
    const failed = first.filter((status) => status !== 200).length;
    expect(failed).toBeGreaterThan(8);
    expect(failed).toBeLessThan(32);
  });

  it('applies a global failure kind of any sort, a reset included', async () => {
    running.simulator.setFaults({ failureRate: 1, failureKinds: ['reset'] });
    const error = await failure(post('GenerateAuthorizeToken', SIMULATOR_SECRET_KEY));
    expect(error.code).toBe('ECONNRESET');
  });

  it('refuses connections while stopped and answers again on the same port once started', async () => {
    await running.stop();
    const error = await failure(post('GenerateAuthorizeToken', SIMULATOR_SECRET_KEY));
    expect(error.code).toBe('ECONNREFUSED');
    await running.start();
    expect((await post('GenerateAuthorizeToken', SIMULATOR_SECRET_KEY)).status).toBe(200);
  });

  it('keeps counting calls when it does not record them', async () => {
    const quiet = await startSimulator({ recordCalls: false });
    try {
      const response = await request(
        `${quiet.url}/v3/${SIMULATOR_CUSTOMER_ID}/BankingServices/GenerateAuthorizeToken`,
        { method: 'POST', dispatcher, headers: { 'flinks-auth-key': SIMULATOR_SECRET_KEY } },
      );
      await response.body.text();
      expect(quiet.simulator.calls).toEqual([]);
      expect(quiet.simulator.countCalls('GenerateAuthorizeToken')).toBe(1);
      expect(quiet.simulator.countCalls()).toBe(1);
    } finally {
      await quiet.close();
    }
  });

  it('accepts any token on /Authorize with anyAuthorizeToken, still none without one', async () => {
    const open = await startSimulator({ anyAuthorizeToken: true });
    const authorize = async (authKey?: string) => {
      const response = await request(
        `${open.url}/v3/${SIMULATOR_CUSTOMER_ID}/BankingServices/Authorize`,
        {
          method: 'POST',
          dispatcher,
          headers: authKey === undefined ? {} : { 'flinks-auth-key': authKey },
          body: JSON.stringify({ LoginId: loginIdOf('Greatday'), MostRecentCached: true }),
        },
      );
      await response.body.text();
      return response.statusCode;
    };
    try {
      expect(await authorize('never-minted')).toBe(200);
      expect(await authorize()).toBe(401);
    } finally {
      await open.close();
    }
  });
});

describe('added latency', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('holds every answer back by latencyMs on the timer clock', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const running = await startSimulator({ faults: { latencyMs: 5_000 } });
    const dispatcher = new Agent({ pipelining: 0 });
    try {
      let answered = false;
      const pending = request(
        `${running.url}/v3/${SIMULATOR_CUSTOMER_ID}/BankingServices/GenerateAuthorizeToken`,
        { method: 'POST', dispatcher, headers: { 'flinks-auth-key': SIMULATOR_SECRET_KEY } },
      ).then(async (response) => {
        await response.body.text();
        answered = true;
        return response.statusCode;
      });
      const timers = vi.getTimerCount();
      while (vi.getTimerCount() === timers) await new Promise((resolve) => setImmediate(resolve));
      await vi.advanceTimersByTimeAsync(4_999);
      for (let turn = 0; turn < 20; turn += 1)
        await new Promise((resolve) => setImmediate(resolve));
      expect(answered).toBe(false);
      await vi.advanceTimersByTimeAsync(1);
      expect(await pending).toBe(200);
    } finally {
      await running.close();
      await dispatcher.close();
    }
  });
});

describe('faultsFromEnv', () => {
  it('reads the SIMULATOR_* fault variables of npm run simulator', () => {
    expect(
      faultsFromEnv({
        SIMULATOR_LATENCY_MS: '50',
        SIMULATOR_FAILURE_RATE: '0.2',
        SIMULATOR_FAILURE_KINDS: '503, reset,trickle',
        SIMULATOR_SEED: '9',
        SIMULATOR_TOKEN_FAULT: '429',
        SIMULATOR_PORT: '4010',
      }),
    ).toEqual({
      latencyMs: 50,
      failureRate: 0.2,
      failureKinds: ['503', 'reset', 'trickle'],
      seed: 9,
      tokenFault: '429',
    });
    expect(faultsFromEnv({})).toEqual({});
  });

  it.each([
    [{ SIMULATOR_FAILURE_RATE: '2' }, 'SIMULATOR_FAILURE_RATE must be between 0 and 1'],
    [{ SIMULATOR_LATENCY_MS: 'soon' }, 'SIMULATOR_LATENCY_MS must be a number >= 0'],
    [{ SIMULATOR_FAILURE_KINDS: '503,504' }, "SIMULATOR_FAILURE_KINDS: '504' is not one of"],
  ])('refuses %o', (env, message) => {
    expect(() => faultsFromEnv(env)).toThrow(message);
  });
});
