import { z } from 'zod';
import { GUID } from './flinks/ids.ts';

/** OTEL_TRACES_SAMPLER's values, as the OpenTelemetry specification names its samplers. */
export const SAMPLERS = [
  'always_on',
  'always_off',
  'traceidratio',
  'parentbased_always_on',
  'parentbased_always_off',
  'parentbased_traceidratio',
] as const;

/** OTEL_EXPORTER_OTLP_[TRACES_]PROTOCOL's values this gateway exports with. */
export const OTLP_PROTOCOLS = ['http/protobuf', 'http/json'] as const;

const blankIsUnset = (value: unknown) => (value === '' ? undefined : value);
const optional = <T extends z.ZodType>(schema: T) => z.preprocess(blankIsUnset, schema.optional());
const wholeNumber = (min: number, max: number) =>
  z.coerce
    .number({ error: 'must be a whole number' })
    .int('must be a whole number')
    .min(min, `must be at least ${min}`)
    .max(max, `must be at most ${max}`);
const integer = (min: number, max: number, fallback: number) =>
  z.preprocess(blankIsUnset, wholeNumber(min, max).default(fallback));
const httpUrl = z
  .url({ protocol: /^https?$/, error: 'must be an http(s) URL' })
  .transform((value) => value.replace(/\/+$/, ''));
// The OTLP exporters of this SDK speak HTTP; gRPC would need another exporter and HTTP/2.
const otlpProtocol = z.enum(
  OTLP_PROTOCOLS,
  `must be ${OTLP_PROTOCOLS.join(' or ')} (grpc is not supported)`,
);
// The gateway appends /v3/{customerId}/BankingServices/... itself: a path here would be doubled.
const origin = httpUrl.refine(
  (value) => new URL(value).pathname === '/' && !/[?#]/.test(value),
  'must be an origin such as https://toolbox-api.private.fin.ag, without a path (the gateway appends /v3/{customerId}/BankingServices/...)',
);
const secret = z.string().min(8, 'must be at least 8 characters');
const TEN_MINUTES = 600_000;

/**
 * Every environment variable the gateway reads, with its check and its default. A problem with
 * one becomes a line naming it in loadConfig's report (config.ts), without more code.
 */
export const Env = z.object({
  NODE_ENV: optional(
    z.enum(['development', 'production', 'test'], 'must be development, production or test'),
  ),
  PORT: integer(0, 65_535, 4000),
  HOST: optional(z.string().min(1)),
  LOG_LEVEL: optional(z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])),
  FLINKS_BASE_URL: optional(origin),
  FLINKS_CUSTOMER_ID: optional(z.string().regex(GUID, 'must be a GUID')),
  FLINKS_SECRET_KEY: optional(secret),
  FLINKS_API_KEY: optional(secret),
  FLINKS_CONNECT_TIMEOUT_MS: integer(1, TEN_MINUTES, 10_000),
  FLINKS_HEADERS_TIMEOUT_MS: integer(1, TEN_MINUTES, 120_000),
  FLINKS_BODY_TIMEOUT_MS: integer(1, TEN_MINUTES, 30_000),
  FLINKS_CONNECTIONS: integer(1, 100_000, 256),
  FLINKS_BREAKER_THRESHOLD: integer(1, 1_000, 5),
  FLINKS_BREAKER_MIN_CALLERS: integer(1, 1_000, 3),
  FLINKS_BREAKER_OPEN_MS: integer(100, TEN_MINUTES, 10_000),
  REQUEST_DEADLINE_MS: integer(1_000, 600_000, 130_000),
  SHUTDOWN_GRACE_MS: integer(0, 600_000, 25_000),
  HTTP_HEADERS_TIMEOUT_MS: integer(100, 120_000, 10_000),
  HTTP_REQUEST_TIMEOUT_MS: integer(100, 600_000, 20_000),
  HTTP_MAX_IN_FLIGHT: integer(1, 100_000, 4_096),
  HTTP_MAX_QUEUED: integer(0, 1_000_000, 20_000),
  DATA_WAIT_MS: integer(0, 120_000, 5_000),
  DATA_POLL_INTERVAL_MS: integer(100, 60_000, 1_000),
  // Flinks: poll the Async endpoint every 10 s, give up after 30 minutes (FACTS.md, Lifetimes).
  DATA_DEFER_WAIT_MS: integer(0, 30 * 60_000, 5 * 60_000),
  DATA_DEFER_POLL_INTERVAL_MS: integer(100, 60_000, 10_000),
  AUTH_JWT_SECRET: optional(z.string().min(32, 'must be at least 32 characters (HS256)')),
  AUTH_JWKS_URL: optional(httpUrl),
  AUTH_ISSUER: optional(z.string().min(1)),
  AUTH_AUDIENCE: optional(z.string().min(1)),
  AUTH_MAX_TOKEN_LIFETIME_SECONDS: integer(60, 31 * 24 * 3_600, 3_600),
  RATE_LIMIT_PER_MINUTE: optional(wholeNumber(0, 100_000)),
  CORS_ORIGINS: optional(
    z
      .string()
      .transform((value) =>
        value
          .split(',')
          .map((origin) => origin.trim())
          .filter(Boolean),
      )
      .refine(
        (origins) => origins.every((origin) => origin === '*' || /^https?:\/\/[^/]+$/.test(origin)),
        'must be * or a comma-separated list of origins such as https://app.example.com',
      ),
  ),
  TRUSTED_DOCUMENTS: optional(
    z.enum(['true', 'false'], 'must be true or false').transform((value) => value === 'true'),
  ),
  OTEL_SDK_DISABLED: optional(z.enum(['true', 'false'], 'must be true or false')),
  OTEL_TRACES_EXPORTER: optional(z.enum(['otlp', 'none'], 'must be otlp or none')),
  OTEL_EXPORTER_OTLP_ENDPOINT: optional(httpUrl),
  OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: optional(httpUrl),
  OTEL_EXPORTER_OTLP_PROTOCOL: optional(otlpProtocol),
  OTEL_EXPORTER_OTLP_TRACES_PROTOCOL: optional(otlpProtocol),
  OTEL_SERVICE_NAME: optional(z.string().min(1)),
  OTEL_TRACES_SAMPLER: optional(z.enum(SAMPLERS, `must be one of ${SAMPLERS.join(', ')}`)),
  OTEL_TRACES_SAMPLER_ARG: optional(
    z.coerce.number('must be a number').min(0, 'must be 0..1').max(1, 'must be 0..1'),
  ),
  // Never echoed in a message: the URL carries the database password.
  DATABASE_URL: optional(
    z
      .string({ error: 'must be a postgres:// URL' })
      .regex(/^postgres(ql)?:\/\/\S*$/, 'must be a postgres:// URL'),
  ),
  GATEWAY_STORE: optional(z.enum(['memory', 'postgres'], 'must be memory or postgres')),
  DATABASE_POOL_SIZE: integer(1, 1_000, 10),
  DATABASE_TIMEOUT_MS: integer(100, 60_000, 2_000),
  MEMORY_STORE_MAX_MB: integer(1, 65_536, 64),
});
