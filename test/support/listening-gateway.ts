import { readFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize } from 'node:path';
import { FlinksClient } from '../../src/flinks/client.ts';
import { graphiqlReadyOperations } from '../../src/graphiql-operations.ts';
import { createLogger } from '../../src/logger.ts';
import { createGateway } from '../../src/server.ts';
import {
  type RunningSimulator,
  SIMULATOR_API_KEY,
  SIMULATOR_CUSTOMER_ID,
  SIMULATOR_SECRET_KEY,
  type SimulatorOptions,
  simulatorLoginId,
  startSimulator,
} from '../../src/simulator/index.ts';
import { type ConfigOverrides, testConfig } from './config.ts';

export interface ListeningGateway {
  /** The GraphQL endpoint, e.g. `http://127.0.0.1:41234/graphql`. */
  url: string;
  /** The server's origin; with `staticDir`, the page is served at `${origin}/`. */
  origin: string;
  simulator: RunningSimulator['simulator'];
  close(): Promise<void>;
}

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
};

/**
 * The gateway as `src/main.ts` runs it: node:http on a real loopback port, the simulator behind
 * it. With `staticDir`, every path but /graphql is a file of that folder (a built page).
 */
export async function startListeningGateway(
  options: {
    config?: ConfigOverrides;
    staticDir?: string;
    simulator?: SimulatorOptions;
    /** Aborted to stand for the gateway's shutdown (deferred waits end with DataPending). */
    stopping?: AbortSignal;
  } = {},
): Promise<ListeningGateway> {
  const running = await startSimulator(options.simulator);
  const logger = createLogger('silent');
  const flinks = new FlinksClient({
    baseUrl: running.url,
    customerId: SIMULATOR_CUSTOMER_ID,
    secretKey: SIMULATOR_SECRET_KEY,
    apiKey: SIMULATOR_API_KEY,
    logger,
  });
  const gateway = createGateway(testConfig(options.config), {
    flinks,
    logger,
    stopping: options.stopping,
    graphiqlOperations: graphiqlReadyOperations(simulatorLoginId),
  });
  const { staticDir } = options;
  const server = createServer((request, response) => {
    if (!staticDir || request.url?.startsWith('/graphql')) {
      gateway(request, response);
    } else {
      void serveFile(staticDir, request, response);
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const origin = `http://127.0.0.1:${port}`;
  return {
    url: `${origin}/graphql`,
    origin,
    simulator: running.simulator,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await flinks.close();
      await running.close();
    },
  };
}

async function serveFile(dir: string, request: IncomingMessage, response: ServerResponse) {
  const path = new URL(request.url ?? '/', 'http://page').pathname;
  const file = normalize(join(dir, path === '/' ? 'index.html' : path));
  const body = file.startsWith(dir) ? await readFile(file).catch(() => null) : null;
  if (!body) {
    response.writeHead(404).end();
    return;
  }
  response.writeHead(200, {
    'content-type': CONTENT_TYPES[extname(file)] ?? 'application/octet-stream',
  });
  response.end(body);
}
