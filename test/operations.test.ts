import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.ts';
import {
  type RunningSimulator,
  SIMULATOR_API_KEY,
  SIMULATOR_SECRET_KEY,
  simulatorLoginId,
  startSimulator,
} from '../src/simulator/index.ts';
import { type RunningGateway, startGateway } from '../src/start.ts';
import { capturedLogger } from './support/gateway.ts';

async function start(env: Record<string, string>) {
  const { logger, lines } = capturedLogger();
  const gateway = await startGateway(loadConfig({ PORT: '0', ...env }), logger);
  const origin = new URL(gateway.url).origin;
  return { gateway, lines, origin };
}

const authorizeBody = (input: object) =>
  JSON.stringify({
    query: 'mutation Op($input: AuthorizeInput!) { authorize(input: $input) { __typename } }',
    operationName: 'Op',
    variables: { input },
  });
const slowLogin = {
  credentials: { institution: 'FlinksCapital', username: 'test_slow', password: 'Everyday' },
};

describe('the running gateway', () => {
  let simulator: RunningSimulator;
  let running: { gateway: RunningGateway; lines: string[]; origin: string };
  beforeAll(async () => {
    simulator = await startSimulator();
    running = await start({
      FLINKS_BASE_URL: simulator.url,
      FLINKS_SECRET_KEY: SIMULATOR_SECRET_KEY,
      FLINKS_API_KEY: SIMULATOR_API_KEY,
    });
  });
  afterAll(async () => {
    await running.gateway.close();
    await simulator.close();
  });

  it('answers /health and /readiness', async () => {
    expect((await fetch(`${running.origin}/health`)).status).toBe(200);
    expect((await fetch(`${running.origin}/readiness`)).status).toBe(200);
  });

  it('carries the caller’s x-request-id into the response and every log line of the request', async () => {
    const response = await fetch(running.gateway.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-request-id': 'req-abc-123' },
      body: authorizeBody({ cached: { loginId: simulatorLoginId('Greatday') } }),
    });
    expect(response.headers.get('x-request-id')).toBe('req-abc-123');
    await response.json();
    const mine = running.lines.filter((line) => line.includes('"requestId":"req-abc-123"'));
    expect(mine.some((line) => line.includes('flinks call'))).toBe(true);
    const generated = await fetch(`${running.origin}/health`, {
      headers: { 'x-request-id': 'bad id!' },
    });
    expect(generated.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('exposes Prometheus metrics: operations, results, upstream latency, breaker, token pool', async () => {
    const metrics = await (await fetch(`${running.origin}/metrics`)).text();
    expect(metrics).toMatch(/gateway_graphql_operations_total\{operation="Op"\} \d+/);
    expect(metrics).toMatch(
      /gateway_graphql_results_total\{field="authorize",typename="AuthorizeSuccess"\} \d+/,
    );
    expect(metrics).toMatch(
      /flinks_upstream_duration_seconds_count\{endpoint="Authorize",status="200",flinks_code=""\} \d+/,
    );
    expect(metrics).toMatch(/flinks_circuit_state 0/);
    expect(metrics).toMatch(/flinks_token_pool_size \d+/);
    expect(metrics).toMatch(/flinks_token_waiting 0/);
  });

  it('abandons the upstream call when the client disconnects', async () => {
    const before = simulator.simulator.calls.length;
    const controller = new AbortController();
    const pending = fetch(running.gateway.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: authorizeBody(slowLogin),
      signal: controller.signal,
    }).catch((error: unknown) => error);
    await new Promise((resolve) => setTimeout(resolve, 300));
    controller.abort();
    await pending;
    // test_slow answers after 3 s; an upstream call still running then would be recorded.
    await new Promise((resolve) => setTimeout(resolve, 3_300));
    const slow = simulator.simulator.calls
      .slice(before)
      .filter((call) => call.endpoint === 'Authorize');
    expect(slow).toEqual([]);
  });
});

describe('shutdown', () => {
  it('lets an in-flight request finish, refuses new ones, then closes', async () => {
    const simulator = await startSimulator();
    const { gateway } = await start({
      FLINKS_BASE_URL: simulator.url,
      FLINKS_SECRET_KEY: SIMULATOR_SECRET_KEY,
    });
    try {
      const inFlight = fetch(gateway.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: authorizeBody(slowLogin),
      }).then((r) => r.json());
      await new Promise((resolve) => setTimeout(resolve, 300));
      const closing = gateway.close();
      await new Promise((resolve) => setTimeout(resolve, 100));
      await expect(fetch(gateway.url, { method: 'POST', body: '{}' })).rejects.toThrow();
      expect(await inFlight).toEqual({ data: { authorize: { __typename: 'AuthorizeSuccess' } } });
      await closing;
    } finally {
      await simulator.close();
    }
  });

  it('stays ready while Flinks’ circuit is open, and says so on /health', async () => {
    const simulator = await startSimulator();
    const deadUrl = simulator.url;
    await simulator.close();
    const { gateway, origin } = await start({
      FLINKS_BASE_URL: deadUrl,
      FLINKS_SECRET_KEY: SIMULATOR_SECRET_KEY,
    });
    try {
      expect((await fetch(`${origin}/readiness`)).status).toBe(200);
      const health: string[] = [];
      for (let i = 0; i < 10 && health.at(-1) !== 'unavailable'; i++) {
        const response = await fetch(gateway.url, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: authorizeBody(slowLogin),
        });
        expect(await response.json()).toEqual({
          data: { authorize: { __typename: 'InstitutionUnavailableError' } },
        });
        const answer = await fetch(`${origin}/health`);
        expect(answer.status).toBe(200);
        health.push(((await answer.json()) as { flinks: string }).flinks);
      }
      expect(health.at(-1)).toBe('unavailable');
      expect((await fetch(`${origin}/readiness`)).status).toBe(200);
    } finally {
      await gateway.close();
    }
  });
});

describe('the request deadline', () => {
  it('ends a slow upstream call as InstitutionUnavailableError even after garbage collections', async () => {
    // A collectable deadline (AbortSignal.any over AbortSignal.timeout on Node 20) never fired
    // once the GC ran; gc() between the start and the expiry makes that visible.
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    const simulator = await startSimulator();
    const { gateway } = await start({
      FLINKS_BASE_URL: simulator.url,
      FLINKS_SECRET_KEY: SIMULATOR_SECRET_KEY,
      REQUEST_DEADLINE_MS: '1000',
    });
    const collecting = setInterval(gc, 50);
    try {
      const response = await fetch(gateway.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          query:
            'mutation Op($input: AuthorizeInput!) { authorize(input: $input) { __typename ... on Error { message } } }',
          variables: { input: slowLogin },
        }),
      });
      // test_slow answers AuthorizeSuccess after 3 s: only the 1 s deadline gives this member.
      expect(await response.json()).toEqual({
        data: {
          authorize: {
            __typename: 'InstitutionUnavailableError',
            message: 'Flinks did not answer in time. Try again later.',
          },
        },
      });
    } finally {
      clearInterval(collecting);
      await gateway.close();
      await simulator.close();
    }
  });
});
