import { createServer, IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Tracer } from '@opentelemetry/api';
import type { Logger } from 'pino';
import { Admission } from './admission.ts';
import { ANONYMOUS_PRINCIPAL } from './auth.ts';
import type { Config } from './config.ts';
import { statementLinkKey } from './data/statement-links.ts';
import { FlinksClient } from './flinks/client.ts';
import { graphiqlReadyOperations } from './graphiql-operations.ts';
import { heapWarning } from './heap-budget.ts';
import { requestContext, requestIdFrom } from './logger.ts';
import { createMetrics } from './metrics.ts';
import { createGateway } from './server.ts';
import { SIMULATOR_API_KEY, SIMULATOR_SECRET_KEY } from './simulator/credentials.ts';
import { type GatewayStore, MemoryStore } from './store/index.ts';
import { PostgresStore } from './store/postgres.ts';
import { startTracing } from './tracing.ts';

export interface RunningGateway {
  /** The GraphQL endpoint, e.g. `http://127.0.0.1:4000/graphql`. */
  url: string;
  /** The embedded simulator's origin, when it was started. */
  simulatorUrl: string | null;
  /** Stops accepting, lets in-flight requests finish, then closes the upstream pool. */
  close(): Promise<void>;
}

/** The gateway could not listen where PORT and HOST say; the message is one line naming them. */
export class ListenError extends Error {
  override readonly name = 'ListenError';
  readonly code: string;

  constructor(host: string, port: number, code: string) {
    const why: Record<string, string> = {
      EADDRINUSE:
        'the port is in use by another process; set PORT to a free port (PORT=0 picks one)',
      EACCES: 'this user may not listen on that port; set PORT to 1024 or above',
      EADDRNOTAVAIL: 'this machine has no such address; set HOST to one of its addresses',
      ENOTFOUND: 'the host name does not resolve; set HOST to an address such as 127.0.0.1',
    };
    super(
      `Cannot listen on ${host}:${port} (PORT=${port}, HOST=${host}): ${why[code] ?? `${code}; check PORT and HOST`}.`,
    );
    this.code = code;
  }
}

const OVERLOADED = JSON.stringify({
  errors: [
    {
      message: 'The gateway is at capacity. Try again in a second.',
      extensions: { code: 'OVERLOADED' },
    },
  ],
});

/**
 * A response that starts before its request's body was read to the end was decided without the
 * rest (401 for a missing token, 413 for a declared length over the limit): it closes the
 * connection instead of Node reading, and waiting for, the rest of the body to keep the socket
 * alive. A request without a body (GET /health answered at once) keeps its connection.
 * A class node:http makes each response of, rather than a writeHead patched onto each one.
 */
class GatewayResponse extends ServerResponse<IncomingMessage> {
  override writeHead(...args: [number, ...unknown[]]): this {
    if (!this.headersSent && !this.req.complete && hasBody(this.req)) {
      this.setHeader('connection', 'close');
    }
    return (super.writeHead as (...all: unknown[]) => this)(...args);
  }
}

function hasBody(req: IncomingMessage): boolean {
  const length = req.headers['content-length'];
  return req.headers['transfer-encoding'] !== undefined || (length !== undefined && length !== '0');
}

/**
 * Everything `npm start` runs: the simulator when FLINKS_BASE_URL is unset, the Flinks client,
 * the gateway, and an HTTP server listening on config.host:config.port.
 */
export async function startGateway(config: Config, logger: Logger): Promise<RunningGateway> {
  const tracing = config.tracing ? startTracing(config.tracing) : null;
  if (tracing) logger.info({ url: config.tracing?.url }, 'exporting OpenTelemetry traces');
  const store = await openStore(config, logger, tracing?.tracer);
  // With the simulator, its own keys unless others are configured (the simulator then uses those).
  const secretKey = config.flinks.secretKey ?? SIMULATOR_SECRET_KEY;
  const apiKey = config.flinks.apiKey ?? (config.flinks.baseUrl ? null : SIMULATOR_API_KEY);
  // The simulator (its users, their images) is loaded only when it runs, or for the LoginIds of
  // GraphiQL's ready operations: a production gateway never loads it.
  const simulatorModule =
    config.flinks.baseUrl && config.production ? null : await import('./simulator/index.ts');
  const simulator =
    config.flinks.baseUrl || !simulatorModule
      ? null
      : await simulatorModule.startSimulator({
          customerId: config.flinks.customerId,
          secretKey,
          apiKey: apiKey ?? undefined,
        });
  if (simulator) {
    logger.warn(
      { url: simulator.url },
      'FLINKS_BASE_URL is not set: started the embedded Flinks simulator',
    );
  }
  if (!config.auth.jwtSecret && !config.auth.jwksUrl) {
    logger.warn(
      `no caller authentication configured (AUTH_JWT_SECRET or AUTH_JWKS_URL): every caller is "${ANONYMOUS_PRINCIPAL}", limited to ${config.rateLimitPerMinute || 'unlimited'} authorize and answerMfa calls a minute`,
    );
  }

  const heap = heapWarning(config);
  if (heap) logger.warn(heap);

  const metrics = createMetrics();
  const flinks = new FlinksClient({
    baseUrl: config.flinks.baseUrl ?? (simulator as NonNullable<typeof simulator>).url,
    customerId: config.flinks.customerId,
    secretKey,
    apiKey,
    timeouts: config.flinks.timeouts,
    connections: config.flinks.connections,
    breaker: config.flinks.breaker,
    metrics: metrics.flinks,
    tracer: tracing?.tracer,
    logger,
  });
  metrics.watch(flinks);
  let draining = false;
  const stopping = new AbortController();
  const gateway = createGateway(config, {
    flinks,
    logger,
    metrics,
    tracer: tracing?.tracer,
    draining: () => draining,
    stopping: stopping.signal,
    store,
    statementLinkKey: statementLinkKey(secretKey),
    graphiqlOperations:
      simulatorModule && !config.production
        ? graphiqlReadyOperations(simulatorModule.simulatorLoginId)
        : undefined,
  });
  // The adapter's node:http listener itself, bound once (the Yoga instance is a Proxy whose
  // call checks what it was given, and whose properties are bound on every read).
  const listener = gateway.requestListener;
  const inFlight = new Set<ServerResponse>();
  const admission = new Admission(config.http.maxInFlight, config.http.maxQueued);
  const server = createServer(
    {
      // A client gets this long for its headers, and for its whole request (body included):
      // a trickled body or header no longer holds a socket for Node's default 300 s.
      headersTimeout: config.http.headersTimeoutMs,
      requestTimeout: config.http.requestTimeoutMs,
      // How often those timeouts are checked (Node's default, 30 s, would add up to that much).
      connectionsCheckingInterval: Math.min(1_000, config.http.headersTimeoutMs),
      IncomingMessage,
      ServerResponse: GatewayResponse,
    },
    (req, res) => handle(req, res),
  );
  const handle = (req: IncomingMessage, res: ServerResponse) => {
    const requestId = requestIdFrom(req.headers['x-request-id']);
    res.setHeader('x-request-id', requestId);
    if (draining) res.setHeader('connection', 'close');
    inFlight.add(res);
    res.once('close', () => {
      inFlight.delete(res);
      // The one line for a client that went away: its upstream work was cancelled, not failed.
      if (!res.writableFinished) logger.info({ requestId }, 'client went away before the answer');
    });
    const admitted = admission.enter(res, () =>
      requestContext.run({ requestId }, listener, req, res),
    );
    if (!admitted) {
      res
        .writeHead(503, {
          'content-type': 'application/json',
          'retry-after': '1',
          connection: 'close',
        })
        .end(OVERLOADED);
    }
  };
  // A deep accept backlog: bursts of thousands of connections were reset at Node's default 511.
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen({ port: config.port, host: config.host, backlog: 4096 }, () => {
        server.off('error', reject);
        resolve();
      });
    });
  } catch (error) {
    await flinks.close();
    await store.close();
    await simulator?.close();
    const code = (error as NodeJS.ErrnoException).code;
    if (code === undefined) throw error;
    throw new ListenError(config.host, config.port, code);
  }
  const { port } = server.address() as AddressInfo;
  const host = config.host.includes(':') ? `[${config.host}]` : config.host;
  const url = `http://${host}:${port}/graphql`;
  logger.info({ url }, 'gateway listening');

  return {
    url,
    simulatorUrl: simulator?.url ?? null,
    async close() {
      draining = true;
      // Deferred waits answer DataPending now, so that their responses end within the grace.
      stopping.abort(new DOMException('The gateway is shutting down.', 'AbortError'));
      // Answers still to come close their connection instead of keeping it alive.
      for (const res of inFlight) if (!res.headersSent) res.setHeader('connection', 'close');
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      // In-flight requests run to their end within the grace period, then connections are cut.
      const grace = setTimeout(() => server.closeAllConnections(), config.shutdownGraceMs);
      await closed;
      clearTimeout(grace);
      await flinks.close();
      await tracing?.shutdown();
      await store.close();
      await simulator?.close();
    },
  };
}

/** The configured store: PostgreSQL (migrated on open) or, said out loud, this process's memory. */
async function openStore(
  config: Config,
  logger: Logger,
  tracer: Tracer | undefined,
): Promise<GatewayStore> {
  if (config.store.kind === 'postgres') {
    const store = await PostgresStore.open({
      url: config.store.url,
      poolSize: config.store.poolSize,
      timeoutMs: config.store.timeoutMs,
      logger,
      tracer,
    });
    logger.info({ poolSize: config.store.poolSize }, 'shared state on PostgreSQL');
    return store;
  }
  if (config.production || config.store.explicit) {
    logger.warn(
      'GATEWAY_STORE=memory: one instance only; MFA steps, sessions and LoginId owners live in this process and LoginId ownership is lost on restart',
    );
  }
  return new MemoryStore({ maxBytes: config.store.maxBytes });
}
