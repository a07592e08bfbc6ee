import { BAD_GATEWAY_HTML } from './wire.ts';

/**
 * What can go wrong between a gateway and Flinks, as the simulator plays it: selected per request
 * by dedicated usernames and LoginIds (users.ts), or for every request by a global setting.
 */
export type FaultKind =
  /** 502 with an empty body. */
  | '502'
  /** 502 with an HTML body, as a proxy in front of Flinks answers. */
  | '502-html'
  /** 503 with an empty body. */
  | '503'
  /** 503 with an HTML body. */
  | '503-html'
  /** 429 TOO_MANY_REQUESTS with `Retry-After` (Faults.retryAfterSeconds). */
  | '429'
  /** 200, content-type JSON, a body that is not JSON (cut mid-object, length announced). */
  | 'malformed-json'
  /** Headers announce more bytes than are sent, then the socket is destroyed. */
  | 'cut-body'
  /** The socket is reset before any response byte. */
  | 'reset'
  /** A normal answer whose body arrives one byte every Faults.trickleIntervalMs. */
  | 'trickle';

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
