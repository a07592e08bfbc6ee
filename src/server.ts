import { randomBytes } from 'node:crypto';
import { EnvelopArmorPlugin } from '@escape.tech/graphql-armor';
import { useCSRFPrevention } from '@graphql-yoga/plugin-csrf-prevention';
import { useDeferStream } from '@graphql-yoga/plugin-defer-stream';
import { useDisableIntrospection } from '@graphql-yoga/plugin-disable-introspection';
import type { Tracer } from '@opentelemetry/api';
import { createYoga, maskError, type YogaServerInstance } from 'graphql-yoga';
import type { Logger } from 'pino';
import { type Authenticate, createAuthenticate } from './auth.ts';
import { RateLimiter } from './authorize/rate-limit.ts';
import { AuthorizeService, type AuthorizeServiceOptions } from './authorize/service.ts';
import type { Config } from './config.ts';
import type { Context } from './context.ts';
import { DataService, type DataServiceOptions } from './data/service.ts';
import { StatementLinks } from './data/statement-links.ts';
import type { FlinksClient } from './flinks/client.ts';
import { FlinksContractError } from './flinks/errors.ts';
import { LoginService, type LoginServiceOptions } from './logins/service.ts';
import type { GatewayMetrics } from './metrics.ts';
import { schema } from './schema/index.ts';
import { type GatewayStore, MemoryStore } from './store/index.ts';
import { useAuthentication } from './use-authentication.ts';
import { useBodyLimit } from './use-body-limit.ts';
import { renderGraphiQLPage, useGraphiQLAssets } from './use-graphiql-assets.ts';
import { useHealth } from './use-health.ts';
import { useIncrementalLimit } from './use-incremental-limit.ts';
import { useMetrics } from './use-metrics.ts';
import { useNoEcho } from './use-no-echo.ts';
import { useReadiness } from './use-readiness.ts';
import { createRequestSignals } from './use-request-signal.ts';
import { useStatementDownloads } from './use-statement-downloads.ts';
import { useTracing } from './use-tracing.ts';
import { useTrustedDocuments } from './use-trusted-documents.ts';

/** The security limits, in one place. */
export const LIMITS = {
  /** Largest request body, in bytes; an IMAGE_SELECTION answer is a few kilobytes. */
  maxBodyBytes: 100 * 1024,
  maxDepth: 12,
  /** Aliases per operation: no request carries a hundred `answerMfa` attempts. */
  maxAliases: 10,
  maxTokens: 2_000,
  maxDirectives: 20,
  /** graphql-armor's static cost (depth-weighted); the heaviest legitimate operation is ~20,000. */
  maxCost: 50_000,
  /** Uses of `@defer` and `@stream` per operation (fragment spreads expanded). */
  maxIncremental: 5,
} as const;

/** The parts of the configuration the gateway reads, as `loadConfig` made them. */
export type GatewayConfig = Pick<
  Config,
  | 'production'
  | 'auth'
  | 'rateLimitPerMinute'
  | 'corsOrigins'
  | 'trustedDocuments'
  | 'data'
  | 'requestDeadlineMs'
>;

export interface GatewayDeps {
  flinks: AuthorizeServiceOptions['flinks'] &
    DataServiceOptions['flinks'] &
    LoginServiceOptions['flinks'] &
    Partial<Pick<FlinksClient, 'breakerState' | 'tokenPoolSize'>>;
  logger: Logger;
  /** Served at GET /metrics when given. */
  metrics?: GatewayMetrics;
  /** A span per GraphQL operation when given (OpenTelemetry). */
  tracer?: Tracer;
  /** True once the process is shutting down: /readiness then answers 503. */
  draining?: () => boolean;
  /** Aborted when the process shuts down: deferred waits end at once with DataPending. */
  stopping?: AbortSignal;
  /** Where shared state lives; a MemoryStore (one process) by default. */
  store?: GatewayStore;
  /** Replaces the authentication built from `config.auth` (tests). */
  authenticate?: Authenticate;
  /**
   * Signs statement download links. Instances that share it serve each other's links; by default
   * a random key, so links work only on the instance that made them.
   */
  statementLinkKey?: Buffer;
  /** The operations GraphiQL opens with (`graphiqlReadyOperations` of src/graphiql-operations.ts). */
  graphiqlOperations?: string;
  now?: () => number;
}

export type Gateway = YogaServerInstance<Record<string, unknown>, Context>;

/** The gateway's Yoga instance: no listening, no environment reads. */
export function createGateway(config: GatewayConfig, deps: GatewayDeps): Gateway {
  const { logger } = deps;
  const store: GatewayStore = deps.store ?? new MemoryStore({ now: deps.now });
  const deadlineMs = config.requestDeadlineMs;
  // One allowance per principal for every call that reaches Flinks: authorize, answerMfa, data,
  // deleteLogin.
  // In the store, so that replicas sharing it share each principal's allowance.
  const limiter =
    config.rateLimitPerMinute > 0
      ? new RateLimiter({ perMinute: config.rateLimitPerMinute, store, now: deps.now })
      : null;
  const authorize = new AuthorizeService({
    flinks: deps.flinks,
    store,
    limiter,
    // An answer's request is aborted at the deadline, before its lease on the round ends.
    answerLeaseMs: deadlineMs + 10_000,
    now: deps.now,
  });
  const logins = new LoginService({
    flinks: deps.flinks,
    store,
    limiter,
    // A deletion's request is aborted at the deadline, before its lease on the LoginId ends.
    deleteLeaseMs: deadlineMs + 10_000,
    now: deps.now,
  });
  const data = new DataService({
    flinks: deps.flinks,
    store,
    links: new StatementLinks(deps.statementLinkKey ?? randomBytes(32)),
    limiter,
    ...config.data,
    now: deps.now,
  });
  const principals = new WeakMap<Request, string>();
  const { metrics } = deps;
  const signals = createRequestSignals(deadlineMs);

  return createYoga<Record<string, unknown>, Context>({
    schema,
    graphqlEndpoint: '/graphql',
    landingPage: false,
    batching: false,
    // Yoga's own limiter (25 MB by default) wraps every body in a second Request; useBodyLimit
    // below enforces the gateway's 100 KB instead, with its 413.
    maxRequestBodySize: false,
    // Callers authenticate with bearer tokens, never cookies: no Access-Control-Allow-Credentials.
    cors: { origin: config.corsOrigins, credentials: false },
    graphiql: config.production
      ? false
      : {
          title: 'Flinks gateway',
          defaultQuery: deps.graphiqlOperations,
          shouldPersistHeaders: false,
        },
    // GraphiQL's scripts served by the gateway itself rather than fetched from a CDN: it works
    // offline and runs no third-party script next to the caller's token (src/use-graphiql-assets.ts).
    renderGraphiQL: renderGraphiQLPage,
    logging: {
      // Yoga logs several debug lines per request: below LOG_LEVEL=debug not even their strings
      // are built (the level is the one the process started with).
      debug: logger.isLevelEnabled('debug')
        ? (...args) => logger.debug(args.map(String).join(' '))
        : () => {},
      info: (...args) => logger.info(args.map(String).join(' ')),
      warn: (...args) => logger.warn(args.map(String).join(' ')),
      // Yoga logs each error it masked; a client that went away is not one (start.ts logs it once).
      error: (...args) =>
        args.some(isClientGone)
          ? logger.debug('request aborted by the client')
          : logger.error(args.map(String).join(' ')),
    },
    maskedErrors: {
      // Never put the original error in the response, whatever NODE_ENV says; log it instead.
      isDev: false,
      maskError: (error, message) => {
        const masked = maskError(error, message, false);
        if (masked !== error && !isClientGone(error)) {
          logUnexpected(logger, (error as { originalError?: unknown }).originalError ?? error);
        }
        return masked;
      },
    },
    // Yoga's own check (200, no body) is moved out of the way of /health, served below.
    healthCheckEndpoint: '/.yoga-health',
    plugins: [
      // Whether this replica can serve: not draining, its store answering. Not Flinks' health: an
      // outage there is every replica's, is answered per request with a typed retryable error,
      // and taking every replica out of the load balancer at once would turn it into a total one.
      useReadiness(async () => !deps.draining?.() && (await store.ready())),
      signals.plugin,
      ...(deps.tracer ? [useTracing(deps.tracer)] : []),
      useHealth(deps.flinks),
      useNoEcho(),
      ...(metrics ? [useMetrics(metrics)] : []),
      useStatementDownloads(data, logger),
      ...(config.production ? [] : [useGraphiQLAssets()]),
      useBodyLimit(LIMITS.maxBodyBytes),
      useAuthentication(deps.authenticate ?? createAuthenticate(config.auth), principals, {
        graphiql: !config.production,
      }),
      // A browser's simple request (form post, GET) must carry one of these headers, which a
      // cross-site page cannot set without a preflight; JSON POSTs are preflighted anyway.
      useCSRFPrevention({
        requestHeaders: [
          'x-graphql-yoga-csrf',
          'apollo-require-preflight',
          'x-apollo-operation-name',
        ],
      }),
      EnvelopArmorPlugin({
        maxDepth: { n: LIMITS.maxDepth },
        maxAliases: { n: LIMITS.maxAliases },
        maxTokens: { n: LIMITS.maxTokens },
        maxDirectives: { n: LIMITS.maxDirectives },
        costLimit: { maxCost: LIMITS.maxCost },
        blockFieldSuggestion: { enabled: config.production },
      }),
      // @defer and @stream over multipart/mixed (and text/event-stream), on graphql 16 through
      // Yoga's executor; the limits above apply to deferred fragments as to the rest.
      useDeferStream(),
      useIncrementalLimit(LIMITS.maxIncremental),
      ...(config.production ? [useDisableIntrospection()] : []),
      ...(config.trustedDocuments ? [useTrustedDocuments()] : []),
    ],
    context: ({ request }): Context => {
      const principal = principals.get(request) as string;
      // Ends upstream work when the client goes away or the request outlives its deadline.
      const signal = signals.signalOf(request);
      return {
        principal,
        authorize,
        logins,
        // Deferred waits outlive the deadline: they end on the client's own signal, their own
        // limit, or shutdown.
        data: data.forRequest(principal, signal, {
          client: request.signal,
          stopping: deps.stopping,
        }),
        logger,
        metrics: metrics ?? null,
        signal,
      };
    },
  });
}

/**
 * The error, or the error it wraps, is the abort of the request's signal: the client went away.
 * (The gateway's own deadline reaches resolvers as InstitutionUnavailableError, never as this.)
 */
function isClientGone(error: unknown): boolean {
  const original = (error as { originalError?: unknown } | null)?.originalError ?? error;
  return (original as { name?: unknown } | null)?.name === 'AbortError';
}

function logUnexpected(logger: Logger, error: unknown): void {
  if (error instanceof FlinksContractError) {
    logger.error(
      { endpoint: error.endpoint, status: error.status, detail: error.detail },
      error.message,
    );
  } else {
    logger.error({ err: error }, 'unexpected error');
  }
}
