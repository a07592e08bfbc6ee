/**
 * npm run bench: (a) the simulator directly, (b) a minimal undici pass-through proxy, (c) a naive
 * Yoga+Pothos server and (d) this gateway, measured in one run, interleaved round by round, at
 * 0 ms and 50 ms of upstream latency; then 10,000 authorize calls in flight at 5 s of upstream
 * latency, and a CPU profile of (d). Everything on 127.0.0.1; every load is bounded in time.
 * `npm run bench -- --soak` (or `npm run soak`) runs the soak instead (soak.ts); with
 * `--soak-scenario failing-bank`, the failing-bank soak (soak-failing-bank.ts).
 *
 * With PostgreSQL's server binaries present (npm run setup:postgres), (p) is this gateway on a
 * private PostgreSQL cluster (pinned to CPU 0 with the upstream), measured in the same rounds as
 * (d), the same gateway on its memory store: the CPU per authorize of both the gateway and the
 * database server, and the latency the store adds. --no-postgres leaves it out.
 *
 * Options: --rounds N (default 4), --seconds S per round (default 3), --inflight N (default
 * 10000, 0 skips), --no-profile, --quick (1 round of 1 s, 1,000 in flight), --parts (default
 * compare,inflight,retained,profile), --baseline DIR (a checkout of another commit with its
 * node_modules: its gateway is measured as (e) in the same interleaved rounds, for an A/B),
 * --servers (default a,b,c,d,t: which servers the compare part measures; `d` always; `t` is (d)
 * with OpenTelemetry tracing on, sampled at 100 %, exporting to an OTLP sink on loopback that this
 * process serves).
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { cpus, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { Pool } from 'undici';
import { startPostgres } from '../test/support/postgres.ts';
import type { Usage } from './child.ts';
import { closedLoop, type LoadResult, percentile, type Target } from './load.ts';
import { PINNING, pin, type ServerProcess, startServer } from './processes.ts';
import { summarizeProfile } from './profile.ts';
import { retained } from './retained.ts';
import { AUTHORIZE_PATH, bearer, startGatewayProcess, startUpstream, targets } from './setup.ts';
import { soak } from './soak.ts';
import { soakFailingBank } from './soak-failing-bank.ts';

const { values: args } = parseArgs({
  options: {
    rounds: { type: 'string', default: '4' },
    seconds: { type: 'string', default: '3' },
    inflight: { type: 'string', default: '10000' },
    'no-profile': { type: 'boolean', default: false },
    quick: { type: 'boolean', default: false },
    soak: { type: 'boolean', default: false },
    parts: { type: 'string', default: 'compare,inflight,retained,profile' },
    'soak-seconds': { type: 'string', default: '60' },
    'soak-failure-rate': { type: 'string', default: '0.1' },
    /** `mixed` (soak.ts) or `failing-bank` (soak-failing-bank.ts). */
    'soak-scenario': { type: 'string', default: 'mixed' },
    baseline: { type: 'string' },
    'no-postgres': { type: 'boolean', default: false },
    servers: { type: 'string', default: 'a,b,c,d,t' },
  },
});

type Key = 'a' | 'b' | 'c' | 'd' | 't' | 'p' | 'e';
const SELECTED = new Set(String(args.servers).split(','));
const KEYS: Key[] = (['a', 'b', 'c', 'd', 't'] as const).filter(
  (key) => key === 'd' || SELECTED.has(key),
);
const LABELS: Record<Key, string> = {
  p: '(p) this gateway on PostgreSQL',
  e: `(e) gateway of ${args.baseline}`,
  t: '(t) this gateway, traced (100 %)',
  a: '(a) simulator directly',
  b: '(b) undici pass-through',
  c: '(c) naive Yoga+Pothos',
  d: '(d) this gateway',
};

interface Totals {
  requests: number;
  ok: number;
  failed: number;
  seconds: number;
  cpuUs: number;
  latencies: number[];
  tokenCalls: number;
  authorizeCalls: number;
  /** CPU of the database server during the measurements ((p) only). */
  dbCpuUs: number;
}

const emptyTotals = (): Totals => ({
  requests: 0,
  ok: 0,
  failed: 0,
  seconds: 0,
  cpuUs: 0,
  latencies: [],
  tokenCalls: 0,
  authorizeCalls: 0,
  dbCpuUs: 0,
});

const cpuOf = (usage: Usage) => usage.cpu.user + usage.cpu.system;
const fixed = (value: number, digits = 2) => (Number.isFinite(value) ? value.toFixed(digits) : '-');

interface Counts {
  token: number;
  authorize: number;
}

async function measure(
  server: ServerProcess,
  upstream: ServerProcess,
  target: Target,
  load: { concurrency: number; durationMs: number },
  totals: Totals,
  dbCpu?: () => Promise<number>,
): Promise<LoadResult> {
  const before = await server.usage();
  const dbBefore = await dbCpu?.();
  const countsBefore = await upstream.call<Counts>('counts');
  const result = await closedLoop(target, load);
  const after = await server.usage();
  const dbAfter = await dbCpu?.();
  const countsAfter = await upstream.call<Counts>('counts');
  totals.dbCpuUs += (dbAfter ?? 0) - (dbBefore ?? 0);
  totals.requests += result.requests;
  totals.ok += result.ok;
  totals.failed += result.failed;
  totals.seconds += result.seconds;
  totals.cpuUs += cpuOf(after) - cpuOf(before);
  for (const latency of result.latencies) totals.latencies.push(latency);
  totals.tokenCalls += countsAfter.token - countsBefore.token;
  totals.authorizeCalls += countsAfter.authorize - countsBefore.authorize;
  return result;
}

function table(
  title: string,
  totals: Record<Key, Totals>,
  rss: Record<Key, number>,
  direct: boolean,
) {
  console.log(`\n${title}`);
  const rows = KEYS.map((key) => {
    const t = totals[key];
    const sorted = Float64Array.from(t.latencies).sort();
    const upstreamCalls =
      key === 'a' || !direct ? '-' : fixed((t.tokenCalls + t.authorizeCalls) / t.requests, 2);
    return {
      server: LABELS[key],
      'req/s': fixed(t.requests / t.seconds, 0),
      'p50 ms': fixed(percentile(sorted, 50), 2),
      'p99 ms': fixed(percentile(sorted, 99), 2),
      'CPU µs/req': fixed(t.cpuUs / t.requests, 0),
      ...(KEYS.includes('p')
        ? { 'DB CPU µs/req': key === 'p' ? fixed(t.dbCpuUs / t.requests, 0) : '-' }
        : {}),
      'peak RSS MB': fixed(rss[key] / 1024, 0),
      'upstream calls/req': upstreamCalls,
      'not ok': t.failed,
    };
  });
  console.table(rows);
  const rps = (key: Key) => totals[key].requests / totals[key].seconds;
  const cpu = (key: Key) => totals[key].cpuUs / totals[key].requests;
  if (KEYS.includes('p')) {
    const p50 = (key: Key) => percentile(Float64Array.from(totals[key].latencies).sort(), 50);
    console.log(
      `(p) over (d): p50 +${fixed(p50('p') - p50('d'), 2)} ms, gateway CPU per authorize +${fixed(cpu('p') - cpu('d'), 0)} µs, ` +
        `PostgreSQL server CPU per authorize ${fixed(totals.p.dbCpuUs / totals.p.requests, 0)} µs, throughput ${fixed(rps('p') / rps('d'))} of (d)`,
    );
  }
  for (const other of ['e', 't', 'b', 'c'] as const) {
    if (!KEYS.includes(other)) continue;
    const [x, y] = other === 't' ? (['t', 'd'] as const) : (['d', other] as const);
    console.log(
      `(${x})/(${y}): throughput ${fixed(rps(x) / rps(y))}, CPU per request ${fixed(cpu(x) / cpu(y))}`,
    );
  }
  console.log(
    `(d) upstream round trips per authorize: ${fixed(totals.d.tokenCalls / totals.d.requests)} GenerateAuthorizeToken + ${fixed(totals.d.authorizeCalls / totals.d.requests)} Authorize`,
  );
}

/**
 * An OTLP/HTTP receiver on loopback for (t)'s exporter: reads each export to the end, counts it
 * and answers 200 `{}`, as a collector would. It runs in this process, on CPU 0.
 */
async function startOtlpSink() {
  const stats = { exports: 0, bytes: 0 };
  const server = createServer((request, response) => {
    request.on('data', (chunk: Buffer) => {
      stats.bytes += chunk.length;
    });
    request.on('end', () => {
      stats.exports++;
      response.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    stats,
    close: () => {
      server.closeAllConnections();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** The soft limit on open files of this process (and so of its children), from /proc. */
function openFilesLimit(): number {
  try {
    const line = readFileSync('/proc/self/limits', 'utf8')
      .split('\n')
      .find((text) => text.startsWith('Max open files'));
    return Number(line?.split(/\s{2,}/)[1]) || 20_000;
  } catch {
    return 20_000;
  }
}

interface InflightResult {
  key: Key;
  outcomes: Map<string, number>;
  seconds: number;
  p50: number;
  max: number;
  peakRssKb: number;
  token: number;
  authorize: number;
}

/**
 * `count` authorize calls in flight at once through a fresh process of server `key`, at 5 s of
 * upstream latency. Connections open in steps of 250 every 100 ms (a server's listen backlog is
 * 511 by default): 4 s for 10,000, less than one upstream call, so all are in flight together.
 */
async function inflight(
  key: 'b' | 'c' | 'd',
  upstream: ServerProcess,
  count: number,
  authorization: string,
): Promise<InflightResult> {
  // HTTP/1.1 answers one request per connection at a time (node:http does not work on pipelined
  // requests concurrently), so each call in flight holds a client socket, and each upstream call a
  // pool socket: the server's open files must hold both. Above that, upstream calls queue in the
  // pool for a free connection; they are still in flight, only answered later.
  const connections = Math.max(1, Math.min(count, openFilesLimit() - count - 300));
  const env = {
    BENCH_UPSTREAM: upstream.url,
    BENCH_AUTHORIZE_PATH: AUTHORIZE_PATH,
    BENCH_CONNECTIONS: String(connections),
  };
  const server =
    key === 'd'
      ? await startGatewayProcess(upstream.url, {
          env: { FLINKS_CONNECTIONS: String(connections) },
        })
      : await startServer(key, key === 'b' ? './servers/proxy.ts' : './servers/naive.ts', {
          cpu: 1,
          env,
        });
  const target = targets({ a: '', b: server.url, c: server.url, d: server.url }, authorization)[
    key
  ];
  const countsBefore = await upstream.call<Counts>('counts');
  const url = new URL(target.url);
  const pool = new Pool(url.origin, {
    connections: count,
    connect: { timeout: 60_000 },
    // Bounded: a call not answered within 60 s counts as unanswered.
    headersTimeout: 60_000,
    bodyTimeout: 60_000,
  });
  const outcomes = new Map<string, number>();
  const add = (outcome: string) => outcomes.set(outcome, (outcomes.get(outcome) ?? 0) + 1);
  const started = performance.now();
  const latencies: number[] = [];
  const calls: Promise<void>[] = [];
  for (let index = 0; index < count; index++) {
    if (index > 0 && index % 250 === 0) await new Promise((resolve) => setTimeout(resolve, 100));
    calls.push(
      (async () => {
        const sent = performance.now();
        try {
          const response = await pool.request({
            path: url.pathname,
            method: 'POST',
            headers: target.headers,
            body: target.body,
          });
          const text = await response.body.text();
          latencies.push(performance.now() - sent);
          const typename = /"__typename":"(\w+)"/.exec(text)?.[1];
          add(
            typename
              ? `${response.statusCode} ${typename}`
              : `${response.statusCode} ${text.slice(0, 80)}`,
          );
        } catch (error) {
          add(`no answer: ${(error as { code?: string }).code ?? String(error)}`);
        }
      })(),
    );
  }
  await Promise.all(calls);
  const seconds = (performance.now() - started) / 1000;
  const usage = await server.usage();
  const countsAfter = await upstream.call<Counts>('counts');
  await pool.close();
  await server.exit();
  const sorted = Float64Array.from(latencies).sort();
  return {
    key,
    outcomes,
    seconds,
    p50: percentile(sorted, 50),
    max: sorted.at(-1) ?? Number.NaN,
    peakRssKb: usage.maxRssKb,
    token: countsAfter.token - countsBefore.token,
    authorize: countsAfter.authorize - countsBefore.authorize,
  };
}

async function inflightAll(upstream: ServerProcess, count: number, authorization: string) {
  const connections = Math.max(1, Math.min(count, openFilesLimit() - count - 300));
  console.log(
    `\n${count} authorize calls in flight at once, upstream latency 5,000 ms, a fresh process of each server ` +
      `(open files per process: ${openFilesLimit()}, so upstream connections ${connections}: FLINKS_CONNECTIONS for (d)):`,
  );
  await upstream.call('faults', { faults: { latencyMs: 5_000 } });
  const rows = [];
  try {
    for (const key of (['b', 'c', 'd'] as const).filter((k) => KEYS.includes(k))) {
      const result = await inflight(key, upstream, count, authorization);
      rows.push({
        server: LABELS[key],
        answered: [...result.outcomes.entries()]
          .map(([outcome, n]) => `${n} ${outcome}`)
          .join(', '),
        'settled in s': fixed(result.seconds, 1),
        'p50 s': fixed(result.p50 / 1000, 1),
        'max s': fixed(result.max / 1000, 1),
        'peak RSS MB': fixed(result.peakRssKb / 1024, 0),
        'upstream token+authorize': `${result.token}+${result.authorize}`,
      });
    }
  } finally {
    await upstream.call('faults', { faults: {} });
  }
  console.table(rows);
}

async function profile(upstream: ServerProcess, authorization: string, seconds: number) {
  const file = join(mkdtempSync(join(tmpdir(), 'gateway-profile-')), 'gateway.cpuprofile');
  const gateway = await startGatewayProcess(upstream.url);
  const target = targets({ a: '', b: '', c: '', d: gateway.url }, authorization).d;
  try {
    await closedLoop(target, { concurrency: 32, durationMs: 2_000 });
    await gateway.call('profile-start');
    const result = await closedLoop(target, { concurrency: 32, durationMs: seconds * 1000 });
    await gateway.call('profile-stop', { file });
    const summary = summarizeProfile(file, 25);
    console.log(
      `\nCPU profile of (d), warm, under 32 concurrent cached authorize calls at 0 ms upstream latency: ` +
        `${result.requests} requests, ${fixed(summary.totalMs, 0)} ms of samples (${file})`,
    );
    console.log('self time by package:');
    console.table(
      summary.packages.map((entry) => ({
        package: entry.name,
        'self ms': fixed(entry.ms, 0),
        share: `${fixed(entry.share * 100, 1)}%`,
      })),
    );
    console.log(
      'self time charged to the nearest npm package or gateway module on the stack (node internals and native code count for their caller):',
    );
    console.table(
      summary.callers.map((entry) => ({
        caller: entry.name,
        'self ms': fixed(entry.ms, 0),
        share: `${fixed(entry.share * 100, 1)}%`,
      })),
    );
    console.log('top functions by self time:');
    console.table(
      summary.functions.map((entry) => ({
        function: entry.name,
        where: entry.where,
        'self ms': fixed(entry.ms, 0),
        share: `${fixed(entry.share * 100, 1)}%`,
      })),
    );
  } finally {
    await gateway.exit();
  }
}

async function benchmark() {
  const rounds = args.quick ? 1 : Number(args.rounds);
  const durationMs = (args.quick ? 1 : Number(args.seconds)) * 1000;
  const inflightCount = args.quick ? 1_000 : Number(args.inflight);
  pin(process.pid, 0);
  console.log(
    `machine: ${cpus().length} CPUs (${cpus()[0]?.model ?? 'unknown'}), node ${process.version}; ` +
      (PINNING
        ? 'measured server on CPU 1, load generator and upstream simulator on CPU 0 (taskset)'
        : 'no CPU pinning (one CPU or no taskset): the load generator competes with the server'),
  );

  const upstream = await startUpstream(0);
  // (a) gets a simulator of its own on the measured CPU, as the server under test.
  const direct = await startServer('simulator (a)', './servers/simulator.ts', { cpu: 1 });
  const upstreamEnv = {
    BENCH_UPSTREAM: upstream.url,
    BENCH_AUTHORIZE_PATH: AUTHORIZE_PATH,
  };
  const proxy = await startServer('proxy', './servers/proxy.ts', { cpu: 1, env: upstreamEnv });
  const naive = await startServer('naive', './servers/naive.ts', { cpu: 1, env: upstreamEnv });
  const gateway = await startGatewayProcess(upstream.url);
  // The database shares CPU 0 with the upstream and the load generator: the measured CPU is (p)'s.
  const postgres = args['no-postgres'] ? null : await startPostgres({ cpu: 0 });
  const onPostgres = postgres
    ? await startGatewayProcess(upstream.url, {
        env: {
          DATABASE_URL: await postgres.createDatabase('bench'),
          DATABASE_POOL_SIZE: '10',
        },
      })
    : gateway;
  if (postgres) KEYS.push('p');
  const sink = KEYS.includes('t') ? await startOtlpSink() : null;
  const traced = sink
    ? await startGatewayProcess(upstream.url, {
        env: {
          OTEL_EXPORTER_OTLP_ENDPOINT: sink.url,
          OTEL_TRACES_SAMPLER: 'always_on',
        },
      })
    : gateway;
  const baseline = args.baseline
    ? await startGatewayProcess(upstream.url, {
        checkout: resolve(args.baseline),
      })
    : gateway;
  if (args.baseline) KEYS.push('e');
  const parts = new Set(String(args.parts).split(','));
  const servers: Record<Key, ServerProcess> = {
    a: direct,
    b: proxy,
    c: naive,
    d: gateway,
    p: onPostgres,
    t: traced,
    e: baseline,
  };
  const authorization = await bearer();
  const four = targets(
    { a: direct.url, b: proxy.url, c: naive.url, d: gateway.url },
    authorization,
  );
  const all: Record<Key, Target> = {
    ...four,
    p: { ...four.d, url: onPostgres.url },
    t: { ...four.d, url: traced.url },
    e: { ...four.d, url: baseline.url },
  };
  const dbCpu = (key: Key) => (key === 'p' && postgres ? () => postgres.cpuUs() : undefined);

  try {
    if (parts.has('compare')) {
      for (const key of KEYS) {
        await closedLoop(all[key], { concurrency: 16, durationMs: 1_500 });
      }

      const unloadedAt = async (latencyMs: number) => {
        await upstream.call('faults', { faults: { latencyMs } });
        await direct.call('faults', { faults: { latencyMs } });
        const totals = Object.fromEntries(KEYS.map((key) => [key, emptyTotals()])) as Record<
          Key,
          Totals
        >;
        for (let round = 0; round < rounds; round++) {
          for (const key of KEYS) {
            const load = { concurrency: 1, durationMs: Math.min(durationMs, 2_000) };
            await measure(servers[key], upstream, all[key], load, totals[key], dbCpu(key));
          }
        }
        return totals;
      };
      const unloaded = await unloadedAt(0);
      const unloaded50 = await unloadedAt(50);

      const settings = [
        { latencyMs: 0, concurrency: 32 },
        { latencyMs: 50, concurrency: 256 },
      ];
      const results: Array<{ title: string; totals: Record<Key, Totals> }> = [];
      for (const { latencyMs, concurrency } of settings) {
        await upstream.call('faults', { faults: { latencyMs } });
        await direct.call('faults', { faults: { latencyMs } });
        const totals = Object.fromEntries(KEYS.map((key) => [key, emptyTotals()])) as Record<
          Key,
          Totals
        >;
        for (let round = 0; round < rounds; round++) {
          for (const key of KEYS) {
            await measure(
              servers[key],
              upstream,
              all[key],
              { concurrency, durationMs },
              totals[key],
              dbCpu(key),
            );
          }
        }
        results.push({
          title: `upstream latency ${latencyMs} ms, ${concurrency} concurrent requests, ${rounds} interleaved rounds of ${durationMs / 1000} s per server`,
          totals,
        });
      }
      await upstream.call('faults', { faults: {} });
      await direct.call('faults', { faults: {} });

      const rss = {} as Record<Key, number>;
      for (const key of KEYS) rss[key] = (await servers[key].usage()).maxRssKb;

      console.log(
        '\n(a) is one cached /Authorize as the gateway sends it (the simulator accepts any token here, so one round trip);',
      );
      console.log(
        '(b) and (c) make that one call per request; (d) makes whatever its hot path makes (counted at the simulator).',
      );
      table(
        `unloaded: 0 ms upstream latency, 1 request at a time, ${rounds} interleaved rounds`,
        unloaded,
        rss,
        true,
      );
      const p50 = (totals: Record<Key, Totals>, key: Key) =>
        totals[key] ? percentile(Float64Array.from(totals[key].latencies).sort(), 50) : Number.NaN;
      console.log(
        `added p50 latency over (a), unloaded: (d) ${fixed(p50(unloaded, 'd') - p50(unloaded, 'a'), 3)} ms` +
          (KEYS.includes('e')
            ? `, (e) ${fixed(p50(unloaded, 'e') - p50(unloaded, 'a'), 3)} ms`
            : '') +
          (KEYS.includes('t')
            ? `, (t) ${fixed(p50(unloaded, 't') - p50(unloaded, 'a'), 3)} ms`
            : ''),
      );
      table(
        `unloaded at 50 ms upstream latency, 1 request at a time, ${rounds} interleaved rounds`,
        unloaded50,
        rss,
        true,
      );
      // What 50 ms of upstream latency adds to (d)'s p50, counted in (a)'s single round trips: the
      // round trips (d)'s hot path waits for, whatever it mints in the background.
      const hotPath =
        (p50(unloaded50, 'd') - p50(unloaded, 'd')) / (p50(unloaded50, 'a') - p50(unloaded, 'a'));
      console.log(
        `round trips on (d)'s hot path (from the p50s at 0 and 50 ms): ${fixed(hotPath, 2)}`,
      );
      for (const { title, totals } of results) table(title, totals, rss, true);
      console.log('peak RSS is over the whole run (both latencies) of each server process.');
      if (sink) {
        console.log(
          `(t) exported ${sink.stats.exports} OTLP requests, ${fixed(sink.stats.bytes / 1e6, 1)} MB, to the sink on loopback`,
        );
      }
    }
  } catch (error) {
    await upstream.exit();
    throw error;
  } finally {
    for (const server of new Set([direct, proxy, naive, gateway, onPostgres, traced, baseline])) {
      await server.exit();
    }
    await postgres?.close();
    await sink?.close();
  }

  try {
    if (inflightCount > 0 && parts.has('inflight'))
      await inflightAll(upstream, inflightCount, authorization);
    if (parts.has('retained')) await retained(args.quick ? 3 : 15);
    if (!args['no-profile'] && parts.has('profile'))
      await profile(upstream, authorization, args.quick ? 2 : 5);
  } finally {
    await upstream.exit();
  }
}

if (args.soak) {
  pin(process.pid, 0);
  if (args['soak-scenario'] === 'failing-bank') {
    await soakFailingBank({
      seconds: Number(args['soak-seconds']),
      // --baseline DIR: that checkout's gateway instead, for a before/after.
      checkout: args.baseline ? resolve(args.baseline) : undefined,
    });
  } else {
    await soak({
      seconds: Number(args['soak-seconds']),
      failureRate: Number(args['soak-failure-rate']),
    });
  }
} else {
  await benchmark();
}
process.exit(0);
