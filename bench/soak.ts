/**
 * The soak: a minute (by default) of mixed authorize traffic through (d) with the simulator's
 * faults on, and a stretch in the middle where the simulator is down (connections refused).
 * Counts every answer by kind and checks that none is left unanswered; samples the gateway's RSS.
 */
import { performance } from 'node:perf_hooks';
import { Pool } from 'undici';
import { seededRandom } from '../src/simulator/faults.ts';
import { FAULT_KINDS } from '../src/simulator/index.ts';
import {
  bearer,
  GREATDAY,
  graphqlBody,
  loginIdOf,
  startGatewayProcess,
  startUpstream,
} from './setup.ts';

const SOAK_DOCUMENT =
  'mutation Authorize($input: AuthorizeInput!) { authorize(input: $input) { __typename ... on AuthorizeSuccess { requestId } ... on Error { code retryable } } }';

const FAULT_LOGINS = [
  'fault_502_html',
  'fault_503',
  'fault_429',
  'fault_malformed_json',
  'fault_cut_body',
  'fault_reset',
].map(loginIdOf);

// The soak injects every fault kind the simulator has.
const GLOBAL_FAULTS = FAULT_KINDS;

interface Request {
  kind: string;
  body: string;
}

/** The traffic mix: mostly cached calls (the ones the gateway may retry), some live ones. */
function requestMix(random: () => number, faultShare: number): Request {
  const draw = random();
  if (draw < 0.8 - faultShare)
    return { kind: 'cached', body: graphqlBody({ cached: { loginId: GREATDAY } }, SOAK_DOCUMENT) };
  if (draw < 0.8) {
    const loginId = FAULT_LOGINS[Math.floor(random() * FAULT_LOGINS.length)] ?? GREATDAY;
    return {
      kind: 'cached, fault LoginId',
      body: graphqlBody({ cached: { loginId } }, SOAK_DOCUMENT),
    };
  }
  if (draw < 0.9) {
    return {
      kind: 'refresh (live)',
      body: graphqlBody({ refresh: { loginId: loginIdOf('greatday_nomfa') } }, SOAK_DOCUMENT),
    };
  }
  return {
    kind: 'credentials (live)',
    body: graphqlBody(
      {
        credentials: {
          institution: 'FlinksCapital',
          username: 'greatday_nomfa',
          password: 'Everyday',
        },
      },
      SOAK_DOCUMENT,
    ),
  };
}

function classify(status: number, text: string): string {
  if (status >= 500) return `HTTP ${status}`;
  if (status !== 200) return `HTTP ${status}`;
  const typename = /"__typename":"(\w+)"/.exec(text)?.[1];
  if (typename === 'AuthorizeSuccess') return 'AuthorizeSuccess';
  if (typename !== undefined) return `typed error ${typename}`;
  const message = /"message":"([^"]{0,60})/.exec(text)?.[1] ?? text.slice(0, 60);
  return `GraphQL error "${message}"`;
}

/**
 * `failureRate` is both the share of upstream calls the simulator faults and the share of requests
 * sent for a fault_* LoginId (which fails every time).
 */
export async function soak(options: {
  seconds: number;
  failureRate: number;
  concurrency?: number;
}) {
  const seconds = options.seconds;
  const concurrency = options.concurrency ?? 32;
  const downFrom = seconds * 0.5;
  const downUntil = downFrom + Math.min(8, seconds * 0.15);
  const upstream = await startUpstream(0);
  await upstream.call('faults', {
    faults: {
      latencyMs: 10,
      failureRate: options.failureRate,
      failureKinds: GLOBAL_FAULTS,
      seed: 1,
      retryAfterSeconds: 1,
      trickleIntervalMs: 1_500,
    },
  });
  // A trickle pauses 1.5 s between bytes; the gateway's body timeout of 1 s must trip on it.
  const gateway = await startGatewayProcess(upstream.url, {
    execArgv: ['--expose-gc'],
    env: { FLINKS_BODY_TIMEOUT_MS: '1000', FLINKS_HEADERS_TIMEOUT_MS: '10000' },
  });
  const authorization = await bearer();
  const url = new URL(gateway.url);
  const pool = new Pool(url.origin, {
    connections: concurrency,
    headersTimeout: 60_000,
    bodyTimeout: 60_000,
  });
  const random = seededRandom(7);
  const outcomes = new Map<string, number>();
  const add = (key: string) => outcomes.set(key, (outcomes.get(key) ?? 0) + 1);
  const rss: Array<{ at: number; mb: number; heapMb: number }> = [];
  const phases = new Map<string, Map<string, number>>();
  let inFlight = 0;
  let down = false;
  const started = performance.now();
  const elapsed = () => (performance.now() - started) / 1000;

  console.log(
    `soak: ${seconds} s, ${concurrency} concurrent callers, 10 ms upstream latency, ${options.failureRate * 100}% of upstream calls faulted ` +
      `(${GLOBAL_FAULTS.join(', ')}) and ${options.failureRate * 100}% of requests for a fault_* LoginId, ` +
      `simulator down from ${downFrom} s to ${downUntil} s`,
  );
  const sample = async () => {
    const usage = await gateway.call<{ rss: number; heapUsed: number }>('usage', { gc: true });
    rss.push({ at: elapsed(), mb: usage.rss / 1024 / 1024, heapMb: usage.heapUsed / 1024 / 1024 });
  };
  await sample();
  const sampler = setInterval(() => void sample().catch(() => undefined), 5_000);
  const outage = (async () => {
    await new Promise((resolve) => setTimeout(resolve, downFrom * 1000));
    await upstream.call('stop');
    down = true;
    await new Promise((resolve) => setTimeout(resolve, (downUntil - downFrom) * 1000));
    await upstream.call('start');
    down = false;
  })();

  const worker = async () => {
    while (elapsed() < seconds) {
      const request = requestMix(random, options.failureRate);
      const overlapsOutage = () => down;
      let duringOutage = overlapsOutage();
      const sentAt = elapsed();
      inFlight += 1;
      try {
        const response = await pool.request({
          path: url.pathname,
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization },
          body: request.body,
        });
        const text = await response.body.text();
        duringOutage ||= overlapsOutage();
        const outcome = classify(response.statusCode, text);
        const phase =
          sentAt < downFrom
            ? '1 before the outage'
            : sentAt < downUntil
              ? '2 during the outage'
              : '3 after it';
        const counts = phases.get(phase) ?? new Map<string, number>();
        const short =
          outcome.startsWith('typed error') || outcome.startsWith('HTTP')
            ? outcome
            : outcome.startsWith('GraphQL')
              ? 'masked GraphQL error'
              : outcome;
        counts.set(short, (counts.get(short) ?? 0) + 1);
        phases.set(phase, counts);
        add(outcome.startsWith('HTTP 5') && duringOutage ? `${outcome} (simulator down)` : outcome);
      } catch (error) {
        add(`unanswered: ${(error as { code?: string }).code ?? String(error)}`);
      } finally {
        inFlight -= 1;
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  await outage;
  clearInterval(sampler);
  await sample();
  await pool.close();
  await gateway.exit();
  const counts = await upstream.call<{ token: number; authorize: number }>('counts');
  await upstream.exit();

  console.log('by phase, the one each request was sent in:');
  console.table(
    [...phases.entries()]
      .sort((a, b) => a[0].localeCompare(b[0]))
      .map(([phase, counts]) => ({ phase: phase.slice(2), ...Object.fromEntries(counts) })),
  );
  const total = [...outcomes.values()].reduce((sum, count) => sum + count, 0);
  console.table(
    [...outcomes.entries()]
      .sort((a, b) => b[1] - a[1])
      .map(([outcome, requests]) => ({ outcome, requests })),
  );
  const sum = (test: (key: string) => boolean) =>
    [...outcomes.entries()].filter(([key]) => test(key)).reduce((s, [, n]) => s + n, 0);
  const answered = sum((key) => !key.startsWith('unanswered'));
  const typed = sum((key) => key.startsWith('typed error'));
  const masked = sum((key) => key.startsWith('GraphQL error'));
  const fiveXx = sum((key) => key.startsWith('HTTP 5') && !key.includes('simulator down'));
  const fiveXxDown = sum((key) => key.startsWith('HTTP 5') && key.includes('simulator down'));
  console.log(
    `${total} requests: ${answered} answered (${sum((key) => key === 'AuthorizeSuccess')} AuthorizeSuccess, ` +
      `${typed} typed errors, ${masked} masked GraphQL errors), ${fiveXx} HTTP 5xx outside the outage, ` +
      `${fiveXxDown} HTTP 5xx during it, ${total - answered} unanswered, ${inFlight} still in flight at the end`,
  );
  console.log(
    `upstream saw ${counts.token} GenerateAuthorizeToken and ${counts.authorize} Authorize calls`,
  );
  const first = rss[0];
  const last = rss.at(-1);
  console.log(
    `gateway RSS: ${first?.mb.toFixed(0)} MB at start, ${last?.mb.toFixed(0)} MB at the end, ` +
      `max ${Math.max(...rss.map((entry) => entry.mb)).toFixed(0)} MB; samples (s: RSS MB / heap MB after a full GC): ${rss
        .map((entry) => `${entry.at.toFixed(0)}: ${entry.mb.toFixed(0)}/${entry.heapMb.toFixed(0)}`)
        .join(', ')}`,
  );
}
