import { randomBytes } from 'node:crypto';
import { EnvelopArmorPlugin } from '@escape.tech/graphql-armor';
import { useCSRFPrevention } from '@graphql-yoga/plugin-csrf-prevention';
import { useDeferStream } from '@graphql-yoga/plugin-defer-stream';
import { useDisableIntrospection } from '@graphql-yoga/plugin-disable-introspection';
import type { Tracer } from '@opentelemetry/api';
import { type DocumentNode, Kind } from 'graphql';
import {
  createGraphQLError,
  createYoga,
  type FetchAPI,
  maskError,
  type Plugin,
  type YogaServerInstance,
} from 'graphql-yoga';
import type { Logger } from 'pino';
import { type Authenticate, createAuthenticate, UnauthenticatedError } from './auth.ts';
import { RateLimiter } from './authorize/rate-limit.ts';
import { AuthorizeService, type AuthorizeServiceOptions } from './authorize/service.ts';
import type { Config } from './config.ts';
import type { Context } from './context.ts';
import { DataService, type DataServiceOptions } from './data/service.ts';
import { StatementLinks } from './data/statement-links.ts';
import { GatewayError, RateLimitedError } from './errors.ts';
import type { FlinksClient } from './flinks/client.ts';
import { FlinksContractError } from './flinks/errors.ts';
import type { BreakerState } from './flinks/resilience.ts';
import { renderGraphiQLPage, useGraphiQLAssets } from './graphiql.ts';
import { useIncrementalLimit } from './incremental-limit.ts';
import { LoginService, type LoginServiceOptions } from './logins/service.ts';
import type { GatewayMetrics } from './metrics.ts';
import { useNoEcho } from './no-echo.ts';
import { createRequestSignals } from './request-signal.ts';
import { schema } from './schema/index.ts';
import { type GatewayStore, MemoryStore } from './store/index.ts';
import { useTrustedDocuments } from './trusted-documents.ts';
import { useTracing } from './use-tracing.ts';

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

export interface GatewayOptions
  extends Pick<Config, 'production' | 'auth' | 'rateLimitPerMinute'>,
    Partial<Pick<Config, 'corsOrigins' | 'trustedDocuments'>> {
  /** Answers Flinks may refuse in one MFA round before the gateway closes it. */
  maxWrongAnswers?: number;
  /** Longest one GraphQL request waits for pending account data; 5 s by default. */
  dataWaitMs?: number;
  /** Pause between polls of pending account data; 1 s by default. */
  dataPollIntervalMs?: number;
  /** Longest a deferred accountsDetail waits for pending data; 5 minutes by default. */
  dataDeferWaitMs?: number;
  /** Pause between polls during a deferred wait; 10 s by default, as Flinks asks. */
  dataDeferPollIntervalMs?: number;
  /**
   * Signs statement download links. Instances that share it serve each other's links; by default
   * a random key, so links work only on the instance that made them.
   */
  statementLinkKey?: Buffer;
  /** The longest one GraphQL request may take, upstream calls included; 130 s by default. */
  requestDeadlineMs?: number;
  /** The operations GraphiQL opens with (`graphiqlReadyOperations` of src/graphiql.ts). */
  graphiqlOperations?: string;
}

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
  /** Replaces the authentication built from `options.auth` (tests). */
  authenticate?: Authenticate;
  now?: () => number;
}

export type Gateway = YogaServerInstance<Record<string, unknown>, Context>;

/** The gateway's Yoga instance: no listening, no environment reads. */
export function createGateway(options: GatewayOptions, deps: GatewayDeps): Gateway {
  const { logger } = deps;
  const store: GatewayStore = deps.store ?? new MemoryStore({ now: deps.now });
  const deadlineMs = options.requestDeadlineMs ?? 130_000;
  // One allowance per principal for every call that reaches Flinks: authorize, answerMfa, data,
  // deleteLogin.
  // In the store, so that replicas sharing it share each principal's allowance.
  const limiter =
    options.rateLimitPerMinute > 0
      ? new RateLimiter({ perMinute: options.rateLimitPerMinute, store, now: deps.now })
      : null;
  const authorize = new AuthorizeService({
    flinks: deps.flinks,
    store,
    limiter,
    maxWrongAnswers: options.maxWrongAnswers,
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
    links: new StatementLinks(options.statementLinkKey ?? randomBytes(32)),
    limiter,
    waitMs: options.dataWaitMs ?? 5_000,
    pollIntervalMs: options.dataPollIntervalMs ?? 1_000,
    deferWaitMs: options.dataDeferWaitMs ?? 5 * 60_000,
    deferPollIntervalMs: options.dataDeferPollIntervalMs ?? 10_000,
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
    cors: { origin: options.corsOrigins ?? ['*'], credentials: false },
    graphiql: options.production
      ? false
      : {
          title: 'Flinks gateway',
          defaultQuery: options.graphiqlOperations,
          shouldPersistHeaders: false,
        },
    // GraphiQL's scripts served by the gateway itself rather than fetched from a CDN: it works
    // offline and runs no third-party script next to the caller's token (src/graphiql.ts).
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
      ...(options.production ? [] : [useGraphiQLAssets()]),
      useBodyLimit(LIMITS.maxBodyBytes),
      useAuthentication(deps.authenticate ?? createAuthenticate(options.auth), principals, {
        graphiql: !options.production,
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
        blockFieldSuggestion: { enabled: options.production },
      }),
      // @defer and @stream over multipart/mixed (and text/event-stream), on graphql 16 through
      // Yoga's executor; the limits above apply to deferred fragments as to the rest.
      useDeferStream(),
      useIncrementalLimit(LIMITS.maxIncremental),
      ...(options.production ? [useDisableIntrospection()] : []),
      ...(options.trustedDocuments ? [useTrustedDocuments()] : []),
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

const FLINKS_HEALTH: Record<BreakerState, string> = {
  closed: 'available',
  'half-open': 'recovering',
  open: 'unavailable',
};

/**
 * `GET /health`: 200 while the process is up, with what it knows of Flinks (its circuit breaker):
 * `{"status":"ok","flinks":"available"|"recovering"|"unavailable"}`.
 */
function useHealth(flinks: Partial<Pick<FlinksClient, 'breakerState'>>): Plugin {
  return {
    onRequest({ url, fetchAPI, endResponse }) {
      if (url.pathname !== '/health') return;
      endResponse(
        new fetchAPI.Response(
          JSON.stringify({ status: 'ok', flinks: FLINKS_HEALTH[flinks.breakerState ?? 'closed'] }),
          { headers: { 'content-type': 'application/json', 'cache-control': 'no-store' } },
        ),
      );
    },
  };
}

/**
 * `/readiness`: 200 when `check` says so, 503 when not or when it fails (its message as text).
 * What Yoga's useReadinessCheck answers, matched on the path alone: Yoga's plugin also tests a
 * URLPattern against every other request, the GraphQL ones included.
 */
function useReadiness(check: () => Promise<boolean>): Plugin {
  return {
    // Not async: every other request passes through without a promise.
    onRequest({ url, fetchAPI, endResponse }) {
      if (url.pathname !== '/readiness') return;
      return check().then(
        (ready) => endResponse(new fetchAPI.Response(null, { status: ready ? 200 : 503 })),
        (error: unknown) => {
          const isError = error instanceof Error;
          endResponse(
            new fetchAPI.Response(isError ? error.message : null, {
              status: 503,
              headers: isError ? { 'content-type': 'text/plain; charset=utf-8' } : {},
            }),
          );
        },
      );
    },
  };
}

/** Serves `GET /metrics` and counts operations by name. */
function useMetrics(metrics: GatewayMetrics): Plugin {
  return {
    // Not async, as every onRequest below: a request for another path gets no promise.
    onRequest({ url, fetchAPI, endResponse }) {
      if (url.pathname !== '/metrics') return;
      return metrics.registry.metrics().then((text) =>
        endResponse(
          new fetchAPI.Response(text, {
            headers: { 'content-type': metrics.registry.contentType },
          }),
        ),
      );
    },
    onExecute({ args }) {
      metrics.operation(args.operationName ?? operationNameOf(args.document));
    },
  };
}

function operationNameOf(document: DocumentNode): string | null {
  const operation = document.definitions.find((d) => d.kind === Kind.OPERATION_DEFINITION);
  return operation?.kind === Kind.OPERATION_DEFINITION ? (operation.name?.value ?? null) : null;
}

/**
 * Serves `GET /statements/{token}`: the PDF a signed, short-lived link names. The link is the
 * credential (it fits an `<a href>`), checked against the session's owner, so it runs before
 * caller authentication.
 */
function useStatementDownloads(data: DataService, logger: Logger): Plugin {
  return {
    onRequest({ request, url, fetchAPI, endResponse }) {
      if (!url.pathname.startsWith('/statements/')) return;
      return download(request, url, fetchAPI, endResponse);
    },
  };

  async function download(
    request: Request,
    url: URL,
    fetchAPI: FetchAPI,
    endResponse: (response: Response) => void,
  ): Promise<void> {
    const json = (status: number, message: string, headers: Record<string, string> = {}) =>
      endResponse(
        new fetchAPI.Response(JSON.stringify({ error: message }), {
          status,
          headers: {
            'content-type': 'application/json',
            'cache-control': 'no-store',
            ...headers,
          },
        }),
      );
    if (request.method !== 'GET') return json(405, 'Use GET.', { allow: 'GET' });
    try {
      const file = await data.download(url.pathname.slice('/statements/'.length), request.signal);
      if (!file) return json(404, 'This link is invalid or has expired.');
      endResponse(
        new fetchAPI.Response(new Uint8Array(file.bytes), {
          headers: {
            'content-type': 'application/pdf',
            'content-disposition': `attachment; filename="statement-${file.id.replace(/[^\w-]/g, '')}.pdf"`,
            'cache-control': 'private, no-store',
          },
        }),
      );
    } catch (error) {
      if (!(error instanceof GatewayError)) throw error;
      logger.warn({ code: error.code, flinksCode: error.flinksCode }, 'statement download refused');
      if (error instanceof RateLimitedError) {
        const wait = String(error.retryAfterSeconds ?? 60);
        return json(429, error.message, { 'retry-after': wait });
      }
      if (error.retryable) return json(503, error.message, { 'retry-after': '5' });
      json(404, 'This link is invalid or has expired.');
    }
  }
}

/**
 * Authenticates every request before it is parsed, except GraphiQL's page itself, and answers 401
 * with `extensions.code: UNAUTHENTICATED` when that fails.
 */
function useAuthentication(
  authenticate: Authenticate,
  principals: WeakMap<Request, string>,
  { graphiql }: { graphiql: boolean },
): Plugin {
  return {
    async onRequest({ request, fetchAPI, endResponse }) {
      if (
        graphiql &&
        request.method === 'GET' &&
        request.headers.get('accept')?.includes('text/html')
      ) {
        return;
      }
      try {
        principals.set(request, await authenticate(request.headers.get('authorization')));
      } catch (error) {
        if (!(error instanceof UnauthenticatedError)) throw error;
        endResponse(
          new fetchAPI.Response(
            JSON.stringify({
              errors: [{ message: error.message, extensions: { code: 'UNAUTHENTICATED' } }],
            }),
            {
              status: 401,
              headers: { 'content-type': 'application/json', 'www-authenticate': 'Bearer' },
            },
          ),
        );
      }
    },
  };
}

/**
 * Refuses a POST body over `maxBytes` with 413, from its declared length or while reading it,
 * then hands the bytes to Yoga's own parser for the content type.
 */
function useBodyLimit(maxBytes: number): Plugin {
  const tooLarge = () =>
    createGraphQLError(`The request body is over ${maxBytes} bytes.`, {
      extensions: { code: 'PAYLOAD_TOO_LARGE', http: { status: 413 } },
    });
  return {
    onRequestParse({ request, requestParser, setRequestParser }) {
      if (request.method !== 'POST' || !requestParser) return;
      setRequestParser(async (req) => {
        if (Number(req.headers.get('content-length')) > maxBytes) throw tooLarge();
        const body = await readLimited(req.body, maxBytes);
        if (body === null) throw tooLarge();
        return requestParser(
          new Request(req.url, { method: 'POST', headers: [...req.headers], body }),
        );
      });
    },
  };
}

/** The whole stream, or null as soon as it passes `maxBytes` (the rest is not read). */
async function readLimited(stream: ReadableStream<Uint8Array> | null, maxBytes: number) {
  const chunks: Uint8Array[] = [];
  let size = 0;
  const reader = stream?.getReader();
  while (reader) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel().catch(() => {});
      return null;
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks);
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
