/** What every benchmark run shares: the upstream simulator, the gateway's configuration, requests. */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SignJWT } from 'jose';
import {
  SIMULATOR_CUSTOMER_ID,
  SIMULATOR_LOGIN_IDS,
  SIMULATOR_SECRET_KEY,
} from '../src/simulator/index.ts';
import type { Target } from './load.ts';
import { startServer } from './processes.ts';

export const AUTHORIZE_PATH = `/v3/${SIMULATOR_CUSTOMER_ID}/BankingServices/Authorize`;
const JWT_SECRET = 'bench-only-hs256-secret-of-at-least-32-characters';

export function loginIdOf(username: string): string {
  const loginId = SIMULATOR_LOGIN_IDS.find((login) => login.username === username)?.loginId;
  if (loginId === undefined) throw new Error(`no seeded LoginId for ${username}`);
  return loginId;
}

export const GREATDAY = loginIdOf('Greatday');

export const AUTHORIZE_DOCUMENT =
  'mutation Authorize($input: AuthorizeInput!) { authorize(input: $input) { __typename ... on AuthorizeSuccess { requestId } } }';

export function graphqlBody(input: unknown, document = AUTHORIZE_DOCUMENT): string {
  return JSON.stringify({ query: document, variables: { input } });
}

export const isAuthorizeSuccess = (status: number, text: string) =>
  status === 200 && text.includes('"__typename":"AuthorizeSuccess"');

/** A pre-signed HS256 token for the gateway's JWT check, as a real caller would send. */
export async function bearer(sub = 'bench-caller'): Promise<string> {
  const token = await new SignJWT({})
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject(sub)
    .setIssuedAt()
    .setExpirationTime('1h')
    .sign(new TextEncoder().encode(JWT_SECRET));
  return `Bearer ${token}`;
}

/** The simulator upstream of (b), (c) and (d), sharing CPU 0 with the load generator. */
export function startUpstream(cpu = 0) {
  return startServer('simulator', './servers/simulator.ts', { cpu });
}

/**
 * The Node options a checkout's `npm start` runs the gateway with (its package.json's start
 * script: the heap limit), so that (d), and (e) from another commit, run as deployed. A start
 * script of the tsx days (`tsx src/main.ts`) keeps its loader.
 */
function startNodeOptions(checkout: string): string[] {
  const start: string = JSON.parse(readFileSync(resolve(checkout, 'package.json'), 'utf8')).scripts
    .start;
  const words = start.split(/\s+/);
  const entry = words.findIndex((word) => word.endsWith('.ts'));
  if (entry === -1) throw new Error(`${checkout}: its start script names no .ts entry: ${start}`);
  const options = words.slice(1, entry);
  return words[0] === 'tsx' ? ['--import', 'tsx', ...options] : options;
}

/**
 * (d): this gateway as `npm start` runs it in production, with its Node options: JWT callers, every limit on but the
 * per-minute rate limit (0 turns it off, or one caller would be refused after 30 calls), on the
 * memory store unless `env` gives a DATABASE_URL ((p)).
 */
export function startGatewayProcess(
  upstreamUrl: string,
  options: {
    cpu?: number;
    execArgv?: string[];
    env?: Record<string, string>;
    /** Another checkout of this repository: its gateway, as its `npm start` runs it, instead. */
    checkout?: string | undefined;
  } = {},
) {
  const checkout = options.checkout ?? fileURLToPath(new URL('..', import.meta.url));
  return startServer('gateway', resolve(checkout, 'bench/servers/gateway.ts'), {
    cpu: options.cpu ?? 1,
    execArgv: [...startNodeOptions(checkout), ...(options.execArgv ?? [])],
    env: {
      NODE_ENV: 'production',
      PORT: '0',
      HOST: '127.0.0.1',
      LOG_LEVEL: 'warn',
      FLINKS_BASE_URL: upstreamUrl,
      FLINKS_CUSTOMER_ID: SIMULATOR_CUSTOMER_ID,
      FLINKS_SECRET_KEY: SIMULATOR_SECRET_KEY,
      AUTH_JWT_SECRET: JWT_SECRET,
      RATE_LIMIT_PER_MINUTE: '0',
      // Production wants the store said out loud: memory unless a database is given.
      ...(options.env?.DATABASE_URL ? {} : { GATEWAY_STORE: 'memory' }),
      ...options.env,
    },
  });
}

/** The four targets' requests: (a) a cached /Authorize straight to a simulator, (b)-(d) GraphQL. */
export function targets(
  urls: { a: string; b: string; c: string; d: string },
  authorization: string,
) {
  const json = { 'content-type': 'application/json' };
  const cached = graphqlBody({ cached: { loginId: GREATDAY } });
  const all: Record<'a' | 'b' | 'c' | 'd', Target> = {
    a: {
      url: `${urls.a}${AUTHORIZE_PATH}`,
      headers: { ...json, 'flinks-auth-key': 'bench-token' },
      body: JSON.stringify({ LoginId: GREATDAY, MostRecentCached: true }),
      ok: (status) => status === 200,
    },
    b: { url: urls.b, headers: json, body: cached, ok: isAuthorizeSuccess },
    c: { url: urls.c, headers: json, body: cached, ok: isAuthorizeSuccess },
    d: { url: urls.d, headers: { ...json, authorization }, body: cached, ok: isAuthorizeSuccess },
  };
  return all;
}
