import type { ServerResponse } from 'node:http';
import { toJsonText } from './money.ts';
import {
  BAD_GATEWAY_HTML,
  type FaultKind,
  type FaultReply,
  flinksError,
  JSON_CONTENT_TYPE,
  json,
  waitWhileOpen,
  write,
} from './wire.ts';

export const FAULT_KINDS: readonly FaultKind[] = [
  '502',
  '502-html',
  '503',
  '503-html',
  '429',
  'malformed-json',
  'cut-body',
  'reset',
  'trickle',
];

/** Global faults, for load runs; `createSimulator({ faults })` or `simulator.setFaults()` at run time. */
export interface Faults {
  /** Added before every answer (the wait ends early when the client goes away). Default 0. */
  latencyMs?: number;
  /** Share of requests, 0..1, answered with one of `failureKinds` instead. Default 0. */
  failureRate?: number;
  /** What `failureRate` picks from, uniformly. Default ['503']. */
  failureKinds?: readonly FaultKind[];
  /** Seed of the failure draw: the same seed and request order give the same faults. Default 1. */
  seed?: number;
  /** Every /GenerateAuthorizeToken answered with this fault; null or absent: none. */
  tokenFault?: FaultKind | null;
  /** The `Retry-After` of a 429 fault, in seconds. Default 1. */
  retryAfterSeconds?: number;
  /** Pause between two bytes of a trickled body. Default 1,000 ms. */
  trickleIntervalMs?: number;
}

export const HTML_5XX: Readonly<Record<502 | 503, string>> = {
  502: BAD_GATEWAY_HTML,
  503: '<html>\r\n<head><title>503 Service Temporarily Unavailable</title></head>\r\n<body>\r\n<center><h1>503 Service Temporarily Unavailable</h1></center>\r\n</body>\r\n</html>\r\n',
};

/** mulberry32: a small seeded generator, so a soak's faults repeat from run to run. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
}

function isFaultKind(value: string): value is FaultKind {
  return (FAULT_KINDS as readonly string[]).includes(value);
}

function number(env: Record<string, string | undefined>, name: string): number | undefined {
  const text = env[name];
  if (text === undefined || text === '') return undefined;
  const value = Number(text);
  if (!Number.isFinite(value) || value < 0) throw new Error(`${name} must be a number >= 0`);
  return value;
}

function kind(name: string, text: string): FaultKind {
  if (!isFaultKind(text))
    throw new Error(`${name}: '${text}' is not one of ${FAULT_KINDS.join(', ')}`);
  return text;
}

/**
 * Faults from SIMULATOR_LATENCY_MS, SIMULATOR_FAILURE_RATE, SIMULATOR_FAILURE_KINDS (comma list),
 * SIMULATOR_SEED, SIMULATOR_TOKEN_FAULT, SIMULATOR_RETRY_AFTER_SECONDS and
 * SIMULATOR_TRICKLE_INTERVAL_MS, for `npm run simulator`. Throws naming the variable.
 */
export function faultsFromEnv(env: Record<string, string | undefined>): Faults {
  const failureRate = number(env, 'SIMULATOR_FAILURE_RATE');
  if (failureRate !== undefined && failureRate > 1) {
    throw new Error('SIMULATOR_FAILURE_RATE must be between 0 and 1');
  }
  const kinds = env.SIMULATOR_FAILURE_KINDS?.split(',')
    .map((text) => text.trim())
    .filter(Boolean)
    .map((text) => kind('SIMULATOR_FAILURE_KINDS', text));
  const tokenFault = env.SIMULATOR_TOKEN_FAULT
    ? kind('SIMULATOR_TOKEN_FAULT', env.SIMULATOR_TOKEN_FAULT)
    : undefined;
  const faults: Faults = {
    latencyMs: number(env, 'SIMULATOR_LATENCY_MS'),
    failureRate,
    failureKinds: kinds,
    seed: number(env, 'SIMULATOR_SEED'),
    tokenFault,
    retryAfterSeconds: number(env, 'SIMULATOR_RETRY_AFTER_SECONDS'),
    trickleIntervalMs: number(env, 'SIMULATOR_TRICKLE_INTERVAL_MS'),
  };
  return Object.fromEntries(
    Object.entries(faults).filter(([, value]) => value !== undefined),
  ) as Faults;
}

const TOO_MANY_REQUESTS_MESSAGE = 'Too many requests. Please try again later.';

/** Writes a fault; resolves once it is on the wire (a trickle takes its time) or the client left. */
export async function writeFault(
  res: ServerResponse,
  reply: FaultReply,
  faults: Readonly<Faults>,
): Promise<void> {
  switch (reply.fault) {
    case '502':
    case '503':
      res.writeHead(Number(reply.fault), { 'content-length': 0 });
      res.end();
      return;
    case '502-html':
    case '503-html':
      write(res, {
        kind: 'html',
        status: reply.fault === '502-html' ? 502 : 503,
        body: HTML_5XX[reply.fault === '502-html' ? 502 : 503],
      });
      return;
    case '429':
      write(
        res,
        flinksError(
          429,
          'TOO_MANY_REQUESTS',
          TOO_MANY_REQUESTS_MESSAGE,
          {},
          {
            'retry-after': String(faults.retryAfterSeconds ?? 1),
          },
        ),
      );
      return;
    case 'malformed-json': {
      const payload = '{"Links":[{"rel":"AccountsDetail","href":"/GetAccountsDetail"},{"rel":"Acc';
      res.writeHead(200, {
        'content-type': JSON_CONTENT_TYPE,
        'content-length': Buffer.byteLength(payload),
      });
      res.end(payload);
      return;
    }
    case 'cut-body': {
      const payload = Buffer.from(toJsonText(normalBody(reply)));
      res.writeHead(200, { 'content-type': JSON_CONTENT_TYPE, 'content-length': payload.length });
      await new Promise<void>((resolve) =>
        res.write(payload.subarray(0, payload.length >> 1), () => resolve()),
      );
      res.socket?.destroy();
      return;
    }
    case 'reset':
      res.socket?.resetAndDestroy();
      return;
    case 'trickle': {
      const normal = reply.normal?.kind === 'json' ? reply.normal : json(200, normalBody(reply));
      const payload = Buffer.from(toJsonText(normal.body));
      res.writeHead(normal.status, {
        ...normal.headers,
        'content-type': JSON_CONTENT_TYPE,
        'content-length': payload.length,
      });
      for (let at = 0; at < payload.length; at += 1) {
        if (at > 0 && !(await waitWhileOpen(res, faults.trickleIntervalMs ?? 1_000))) return;
        res.write(payload.subarray(at, at + 1));
      }
      res.end();
      return;
    }
  }
}

/** What a cut or trickled body holds when no normal answer was made: a 200 of the right size. */
function normalBody(reply: FaultReply): unknown {
  if (reply.normal?.kind === 'json') return reply.normal.body;
  return { HttpStatusCode: 200, Token: '00000000-0000-4000-8000-000000000000' };
}
