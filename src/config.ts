import type { z } from 'zod';
import { Env, type OTLP_PROTOCOLS, type SAMPLERS } from './env.ts';
import type { BreakerOptions } from './flinks/resilience.ts';
import type { FlinksTimeouts } from './flinks/transport.ts';
// The customer id Flinks publishes for its shared toolbox (FACTS.md), which the simulator answers
// on as well: one value. credentials.ts holds constants only, so this loads nothing else of it.
import { SIMULATOR_CUSTOMER_ID as TOOLBOX_CUSTOMER_ID } from './simulator/credentials.ts';

export interface Config {
  port: number;
  host: string;
  production: boolean;
  logLevel: string;
  flinks: {
    /** null: start the embedded simulator and use it. */
    baseUrl: string | null;
    customerId: string;
    /** null only when the simulator is used, which then supplies its own. */
    secretKey: string | null;
    apiKey: string | null;
    timeouts: FlinksTimeouts;
    /** Most connections open to Flinks at once; calls beyond it queue. */
    connections: number;
    breaker: BreakerOptions;
  };
  /** The longest one GraphQL request may take, upstream calls included. */
  requestDeadlineMs: number;
  /** On SIGTERM, how long in-flight requests may still run before connections are cut. */
  shutdownGraceMs: number;
  /** What callers get to send a request: past either, 408 and the socket is closed. */
  http: {
    /** From the connection (or the previous request) to the end of the headers. */
    headersTimeoutMs: number;
    /** From the start of the request to the end of its body. */
    requestTimeoutMs: number;
    /** Requests inside the gateway at once; more wait in line (src/admission.ts). */
    maxInFlight: number;
    /** Requests waiting in line at most; past it, 503 with retry-after. */
    maxQueued: number;
  };
  data: {
    /** Longest one GraphQL request waits for pending account data. */
    waitMs: number;
    /** Pause between two polls of pending account data. */
    pollIntervalMs: number;
    /** Longest a deferred (`@defer`) accountsDetail waits for Flinks, after the first payload. */
    deferWaitMs: number;
    /** Pause between two polls of Flinks' Async endpoint during a deferred wait. */
    deferPollIntervalMs: number;
  };
  auth: {
    jwtSecret: string | null;
    jwksUrl: string | null;
    issuer: string | null;
    audience: string | null;
    /** Longest a caller token may live, `iat` (or now) to `exp`; longer ones are refused. */
    maxTokenLifetimeSeconds?: number;
  };
  /** authorize + answerMfa calls per principal per minute; 0 turns the limit off. */
  rateLimitPerMinute: number;
  /** Origins allowed by CORS; `['*']` is any origin. Never with credentials: callers use bearer tokens. */
  corsOrigins: string[];
  /** Run only the operations of the persisted-documents manifest, named by hash. */
  trustedDocuments: boolean;
  /** OpenTelemetry traces over OTLP/HTTP; null (off) unless an OTLP endpoint is set. */
  tracing: TracingConfig | null;
  /** Where shared state lives (MFA rounds, sessions, LoginId owners, rate-limit budgets). */
  store: StoreConfig;
}

/** The standard OTEL_* variables the gateway's tracing follows. */
export interface TracingConfig {
  /** Where spans are POSTed (OTLP/HTTP), `.../v1/traces`. */
  url: string;
  /**
   * OTEL_EXPORTER_OTLP_TRACES_PROTOCOL, else OTEL_EXPORTER_OTLP_PROTOCOL: the body of each export,
   * protobuf (the specification's default) or JSON.
   */
  protocol: (typeof OTLP_PROTOCOLS)[number];
  /** OTEL_SERVICE_NAME: the `service.name` of every span. */
  serviceName: string;
  /** OTEL_TRACES_SAMPLER, as the OpenTelemetry specification names its samplers. */
  sampler: (typeof SAMPLERS)[number];
  /** OTEL_TRACES_SAMPLER_ARG: the ratio of the traceidratio samplers. */
  samplerRatio: number;
}

export type StoreConfig =
  | {
      kind: 'memory';
      /** Most bytes of rounds, sessions, pending polls and rate-limit buckets held. */
      maxBytes: number;
      /** Chosen with GATEWAY_STORE=memory (the only way in production). */
      explicit: boolean;
    }
  | {
      kind: 'postgres';
      /** Holds the database password: never logged. */
      url: string;
      poolSize: number;
      /** Connect, pool-wait and statement timeout. */
      timeoutMs: number;
    };

/**
 * A configuration the gateway refuses to start with: every problem found, one line each, each
 * starting with the variable it names (`PORT: must be a whole number`).
 */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  readonly problems: string[];

  constructor(problems: string[]) {
    super(problems.join('\n'));
    this.problems = problems;
  }
}

/**
 * The anonymous development principal's limit: every caller of a gateway without caller
 * authentication is one principal, so the production default would stop a person exploring.
 */
export const DEVELOPMENT_RATE_LIMIT_PER_MINUTE = 600;
export const DEFAULT_RATE_LIMIT_PER_MINUTE = 30;

/**
 * Reads the configuration from the environment. Throws ConfigError with every problem at once,
 * one line each naming its variable: each variable of `Env` gets this without more code.
 */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const parsed = Env.safeParse(env);
  const problems = parsed.success
    ? []
    : parsed.error.issues.map(
        (issue) => `${String(issue.path[0] ?? 'environment')}: ${issue.message}`,
      );
  // Rules across variables read only whether a variable is set, so they are checked even when
  // another variable's value is invalid: one start shows every problem.
  const set = (name: string) => (env[name] ?? '') !== '';
  const production = env.NODE_ENV === 'production';
  if (set('FLINKS_BASE_URL') && !set('FLINKS_SECRET_KEY')) {
    problems.push('FLINKS_SECRET_KEY: required when FLINKS_BASE_URL is set');
  }
  if (set('AUTH_JWT_SECRET') && set('AUTH_JWKS_URL')) {
    problems.push('AUTH_JWKS_URL: set either AUTH_JWT_SECRET or AUTH_JWKS_URL, not both');
  }
  const headersMs = Env.shape.HTTP_HEADERS_TIMEOUT_MS.safeParse(env.HTTP_HEADERS_TIMEOUT_MS);
  const requestMs = Env.shape.HTTP_REQUEST_TIMEOUT_MS.safeParse(env.HTTP_REQUEST_TIMEOUT_MS);
  if (headersMs.success && requestMs.success && headersMs.data > requestMs.data) {
    problems.push('HTTP_HEADERS_TIMEOUT_MS: must not be over HTTP_REQUEST_TIMEOUT_MS');
  }
  if (production && !set('FLINKS_BASE_URL')) {
    problems.push('FLINKS_BASE_URL: required in production (the simulator is for development)');
  }
  if (production && !set('AUTH_JWT_SECRET') && !set('AUTH_JWKS_URL')) {
    problems.push(
      'AUTH_JWT_SECRET: production needs caller authentication (AUTH_JWT_SECRET or AUTH_JWKS_URL)',
    );
  }
  const store = env.GATEWAY_STORE;
  if (store === 'postgres' && !set('DATABASE_URL')) {
    problems.push('DATABASE_URL: required when GATEWAY_STORE=postgres');
  }
  if (store === 'memory' && set('DATABASE_URL')) {
    problems.push('GATEWAY_STORE: memory, yet DATABASE_URL is set; unset one of them');
  }
  if (production && !set('DATABASE_URL') && store !== 'memory') {
    problems.push(
      'DATABASE_URL: required in production, so that replicas share MFA steps, sessions, LoginId owners and rate limits (GATEWAY_STORE=memory chooses a single instance that loses LoginId ownership on restart)',
    );
  }
  if (problems.length > 0 || !parsed.success) throw new ConfigError(problems);
  const e = parsed.data;
  const anonymous = !e.AUTH_JWT_SECRET && !e.AUTH_JWKS_URL;

  return {
    port: e.PORT,
    host: e.HOST ?? '127.0.0.1',
    production,
    logLevel: e.LOG_LEVEL ?? (e.NODE_ENV === 'test' ? 'silent' : 'info'),
    flinks: {
      baseUrl: e.FLINKS_BASE_URL ?? null,
      customerId: e.FLINKS_CUSTOMER_ID ?? TOOLBOX_CUSTOMER_ID,
      secretKey: e.FLINKS_SECRET_KEY ?? null,
      apiKey: e.FLINKS_API_KEY ?? null,
      timeouts: {
        connectMs: e.FLINKS_CONNECT_TIMEOUT_MS,
        headersMs: e.FLINKS_HEADERS_TIMEOUT_MS,
        bodyMs: e.FLINKS_BODY_TIMEOUT_MS,
      },
      connections: e.FLINKS_CONNECTIONS,
      breaker: {
        threshold: e.FLINKS_BREAKER_THRESHOLD,
        minCallers: e.FLINKS_BREAKER_MIN_CALLERS,
        halfOpenAfterMs: e.FLINKS_BREAKER_OPEN_MS,
      },
    },
    requestDeadlineMs: e.REQUEST_DEADLINE_MS,
    shutdownGraceMs: e.SHUTDOWN_GRACE_MS,
    http: {
      headersTimeoutMs: e.HTTP_HEADERS_TIMEOUT_MS,
      requestTimeoutMs: e.HTTP_REQUEST_TIMEOUT_MS,
      maxInFlight: e.HTTP_MAX_IN_FLIGHT,
      maxQueued: e.HTTP_MAX_QUEUED,
    },
    data: {
      waitMs: e.DATA_WAIT_MS,
      pollIntervalMs: e.DATA_POLL_INTERVAL_MS,
      deferWaitMs: e.DATA_DEFER_WAIT_MS,
      deferPollIntervalMs: e.DATA_DEFER_POLL_INTERVAL_MS,
    },
    auth: {
      jwtSecret: e.AUTH_JWT_SECRET ?? null,
      jwksUrl: e.AUTH_JWKS_URL ?? null,
      issuer: e.AUTH_ISSUER ?? null,
      audience: e.AUTH_AUDIENCE ?? null,
      maxTokenLifetimeSeconds: e.AUTH_MAX_TOKEN_LIFETIME_SECONDS,
    },
    rateLimitPerMinute:
      e.RATE_LIMIT_PER_MINUTE ??
      (anonymous && !production
        ? DEVELOPMENT_RATE_LIMIT_PER_MINUTE
        : DEFAULT_RATE_LIMIT_PER_MINUTE),
    corsOrigins: e.CORS_ORIGINS ?? ['*'],
    trustedDocuments: e.TRUSTED_DOCUMENTS ?? false,
    tracing: tracingConfig(e),
    store: e.DATABASE_URL
      ? {
          kind: 'postgres',
          url: e.DATABASE_URL,
          poolSize: e.DATABASE_POOL_SIZE,
          timeoutMs: e.DATABASE_TIMEOUT_MS,
        }
      : {
          kind: 'memory',
          maxBytes: e.MEMORY_STORE_MAX_MB * 1024 * 1024,
          explicit: e.GATEWAY_STORE === 'memory',
        },
  };
}

function tracingConfig(e: z.output<typeof Env>): TracingConfig | null {
  const url =
    e.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT ??
    (e.OTEL_EXPORTER_OTLP_ENDPOINT && `${e.OTEL_EXPORTER_OTLP_ENDPOINT}/v1/traces`);
  if (!url || e.OTEL_SDK_DISABLED === 'true' || e.OTEL_TRACES_EXPORTER === 'none') return null;
  return {
    url,
    protocol:
      e.OTEL_EXPORTER_OTLP_TRACES_PROTOCOL ?? e.OTEL_EXPORTER_OTLP_PROTOCOL ?? 'http/protobuf',
    serviceName: e.OTEL_SERVICE_NAME ?? 'flinks-gateway',
    sampler: e.OTEL_TRACES_SAMPLER ?? 'parentbased_always_on',
    samplerRatio: e.OTEL_TRACES_SAMPLER_ARG ?? 1,
  };
}
