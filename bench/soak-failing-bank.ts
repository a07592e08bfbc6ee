/**
 * The failing-bank soak (`npm run soak -- --soak-scenario failing-bank`): healthy principals log
 * in and read their accounts for the whole run; after the first quarter, one more principal keeps
 * logging in to banks that fail (Flinks answers with a FlinksCode, a proxy answers 502/503 HTML,
 * the connection is reset). Shows whether the healthy principals notice: their outcomes and
 * latencies before and during, the gateway's readiness and Flinks circuit state throughout.
 */
import { performance } from 'node:perf_hooks';
import { Pool } from 'undici';
import { SIMULATOR_API_KEY } from '../src/simulator/index.ts';
import { bearer, graphqlBody, startGatewayProcess, startUpstream } from './setup.ts';

const DOCUMENT =
  'mutation Authorize($input: AuthorizeInput!) { authorize(input: $input) { __typename ... on AuthorizeSuccess { accountsSummary { __typename } } ... on Error { code } } }';

/** What the failing principal logs in as, in turn: every way one bank or login can fail. */
const FAILING_USERNAMES = [
  'test_server_error',
  'test_aggregation_error',
  'test_service_unavailable',
  'test_disabled_institution',
  'fault_502',
  'fault_503_html',
  'fault_reset',
];

const login = (username: string) =>
  graphqlBody(
    { credentials: { institution: 'FlinksCapital', username, password: 'Everyday' } },
    DOCUMENT,
  );

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((sorted.length * p) / 100))] ?? Number.NaN;
}

export async function soakFailingBank(options: {
  seconds: number;
  healthyCallers?: number;
  failingConcurrency?: number;
  /** Another checkout of this repository: its gateway instead of this one. */
  checkout?: string | undefined;
}) {
  const seconds = options.seconds;
  const healthyCallers = options.healthyCallers ?? 8;
  const failingConcurrency = options.failingConcurrency ?? 8;
  const failingFrom = seconds * 0.25;
  const upstream = await startUpstream(0);
  await upstream.call('faults', { faults: { latencyMs: 10 } });
  // The data endpoints want the simulator's API key (the other soak reads no data).
  const gateway = await startGatewayProcess(upstream.url, {
    checkout: options.checkout,
    env: { FLINKS_API_KEY: SIMULATOR_API_KEY },
  });
  const url = new URL(gateway.url);
  const pool = new Pool(url.origin, {
    connections: healthyCallers + failingConcurrency + 2,
    headersTimeout: 60_000,
    bodyTimeout: 60_000,
  });
  const started = performance.now();
  const elapsed = () => (performance.now() - started) / 1000;
  console.log(
    `failing-bank soak: ${seconds} s, ${healthyCallers} healthy principals (live login + accountsSummary, one request each), ` +
      `from ${failingFrom} s one more principal with ${failingConcurrency} concurrent logins to failing banks ` +
      `(${FAILING_USERNAMES.join(', ')}); 10 ms upstream latency; rate limit off`,
  );

  type Tally = { outcomes: Map<string, number>; latencies: number[] };
  const tallies = new Map<string, Tally>();
  const record = (key: string, outcome: string, ms: number) => {
    const tally: Tally = tallies.get(key) ?? { outcomes: new Map(), latencies: [] };
    tally.outcomes.set(outcome, (tally.outcomes.get(outcome) ?? 0) + 1);
    tally.latencies.push(ms);
    tallies.set(key, tally);
  };
  const send = async (authorization: string, body: string) => {
    const sentAt = performance.now();
    try {
      const response = await pool.request({
        path: url.pathname,
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization },
        body,
      });
      const text = await response.body.text();
      const typename =
        /"__typename":"(\w+)"/.exec(text)?.[1] ??
        (text.includes('"errors"') ? 'masked error' : `HTTP ${response.statusCode}`);
      const summary = /"accountsSummary":\{"__typename":"(\w+)"/.exec(text)?.[1];
      return {
        outcome: summary ? `${typename} + ${summary}` : typename,
        ms: performance.now() - sentAt,
      };
    } catch (error) {
      return {
        outcome: `unanswered: ${(error as { code?: string }).code}`,
        ms: performance.now() - sentAt,
      };
    }
  };

  const probes = { readiness: new Map<number, number>(), circuit: new Map<string, number>() };
  const probe = async () => {
    const readiness = await pool.request({ path: '/readiness', method: 'GET' });
    await readiness.body.text();
    probes.readiness.set(
      readiness.statusCode,
      (probes.readiness.get(readiness.statusCode) ?? 0) + 1,
    );
    const health = await pool.request({ path: '/health', method: 'GET' });
    const flinks = ((await health.body.json()) as { flinks?: string }).flinks ?? 'none';
    probes.circuit.set(flinks, (probes.circuit.get(flinks) ?? 0) + 1);
  };
  const prober = setInterval(() => void probe().catch(() => undefined), 250);

  const healthy = async (index: number) => {
    const authorization = await bearer(`healthy-${index}`);
    const body = login('greatday_nomfa');
    while (elapsed() < seconds) {
      const phase = elapsed() < failingFrom ? '1 healthy alone' : '2 with the failing principal';
      const { outcome, ms } = await send(authorization, body);
      record(`healthy, ${phase}`, outcome, ms);
    }
  };
  const failing = async (index: number) => {
    const authorization = await bearer('failing-bank-principal');
    await new Promise((resolve) => setTimeout(resolve, failingFrom * 1000));
    for (let i = index; elapsed() < seconds; i += failingConcurrency) {
      const username = FAILING_USERNAMES[i % FAILING_USERNAMES.length] as string;
      const { outcome, ms } = await send(authorization, login(username));
      record('failing principal', outcome, ms);
    }
  };
  await Promise.all([
    ...Array.from({ length: healthyCallers }, (_, i) => healthy(i)),
    ...Array.from({ length: failingConcurrency }, (_, i) => failing(i)),
  ]);
  clearInterval(prober);
  await pool.close();
  await gateway.exit();
  const counts = await upstream.call<{ token: number; authorize: number }>('counts');
  await upstream.exit();

  console.table(
    [...tallies.entries()]
      .sort((a, b) => a[0].localeCompare(b[0]))
      .map(([who, tally]) => {
        const sorted = [...tally.latencies].sort((a, b) => a - b);
        return {
          who,
          requests: tally.latencies.length,
          'per s': Math.round(
            tally.latencies.length / (who.includes('alone') ? failingFrom : seconds - failingFrom),
          ),
          'p50 ms': Number(percentile(sorted, 50).toFixed(1)),
          'p99 ms': Number(percentile(sorted, 99).toFixed(1)),
          outcomes: [...tally.outcomes.entries()].map(([k, n]) => `${k}: ${n}`).join(', '),
        };
      }),
  );
  console.log(
    `readiness probes every 250 ms: ${[...probes.readiness.entries()].map(([s, n]) => `${n}x ${s}`).join(', ')}; ` +
      `/health flinks: ${[...probes.circuit.entries()].map(([s, n]) => `${n}x ${s}`).join(', ')}`,
  );
  console.log(
    `upstream saw ${counts.token} GenerateAuthorizeToken and ${counts.authorize} Authorize calls`,
  );
}
