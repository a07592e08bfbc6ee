import { SignJWT } from 'jose';
import { loadConfig } from '../../src/config.ts';
import {
  type RunningSimulator,
  SIMULATOR_API_KEY,
  SIMULATOR_CUSTOMER_ID,
  SIMULATOR_SECRET_KEY,
  type StartSimulatorOptions,
  startSimulator,
} from '../../src/simulator/index.ts';
import { type RunningGateway, startGateway } from '../../src/start.ts';
import { capturedLogger, type GraphQLResponse } from './gateway.ts';

export const TEST_JWT_SECRET = 'http-gateway-test-secret-of-at-least-32-chars';

export interface HttpGateway {
  /** `http://127.0.0.1:<port>`: the gateway's origin. */
  origin: string;
  port: number;
  /** The simulator behind it; `running.stop()` refuses connections (Flinks down). */
  running: RunningSimulator;
  /** Every log line the gateway wrote, as JSON text. */
  logs: string[];
  /** A signed HS256 token for `sub`, valid five minutes unless told otherwise. */
  token(
    sub: string,
    claims?: { exp?: number | null; iat?: number | null; nbf?: number },
  ): Promise<string>;
  /** POSTs a GraphQL request as principal `as` (a sub), over a real socket. */
  graphql(
    query: string,
    variables?: Record<string, unknown>,
    as?: string,
  ): Promise<GraphQLResponse & { text: string }>;
  close(): Promise<void>;
}

/**
 * The gateway exactly as `npm start` runs it (`startGateway`: node:http, its own Flinks client,
 * metrics, readiness), configured from environment variables through `loadConfig`, on a loopback
 * port, with the simulator behind it on another and JWT callers.
 */
export async function startHttpGateway(
  env: Record<string, string> = {},
  simulator: StartSimulatorOptions = {},
): Promise<HttpGateway> {
  const running = await startSimulator(simulator);
  const { logger, lines: logs } = capturedLogger();
  const config = loadConfig({
    PORT: '0',
    HOST: '127.0.0.1',
    FLINKS_BASE_URL: running.url,
    FLINKS_CUSTOMER_ID: SIMULATOR_CUSTOMER_ID,
    FLINKS_SECRET_KEY: SIMULATOR_SECRET_KEY,
    FLINKS_API_KEY: SIMULATOR_API_KEY,
    AUTH_JWT_SECRET: TEST_JWT_SECRET,
    RATE_LIMIT_PER_MINUTE: '0',
    SHUTDOWN_GRACE_MS: '0',
    ...env,
  });
  let gateway: RunningGateway;
  try {
    gateway = await startGateway(config, logger);
  } catch (error) {
    await running.close();
    throw error;
  }
  const { origin, port } = new URL(gateway.url);
  const key = new TextEncoder().encode(TEST_JWT_SECRET);
  const token: HttpGateway['token'] = (sub, claims = {}) => {
    const now = Math.floor(Date.now() / 1000);
    const jwt = new SignJWT({
      ...(claims.iat === null ? {} : { iat: claims.iat ?? now }),
      ...(claims.exp === null ? {} : { exp: claims.exp ?? now + 300 }),
      ...(claims.nbf === undefined ? {} : { nbf: claims.nbf }),
    })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject(sub);
    return jwt.sign(key);
  };
  const tokens = new Map<string, string>();
  return {
    origin,
    port: Number(port),
    running,
    logs,
    token,
    async graphql(query, variables, as = 'alice') {
      let bearer = tokens.get(as);
      if (bearer === undefined) {
        bearer = await token(as);
        tokens.set(as, bearer);
      }
      const response = await fetch(`${origin}/graphql`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          accept: 'application/graphql-response+json',
          authorization: `Bearer ${bearer}`,
        },
        body: JSON.stringify({ query, variables }),
      });
      const text = await response.text();
      return { status: response.status, body: JSON.parse(text), text };
    },
    async close() {
      await gateway.close();
      await running.close();
    },
  };
}
