import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';
import { type DestinationStream, type Logger, pino } from 'pino';

/**
 * Paths that may hold a secret, a password, a security answer or a token. The gateway does not log
 * any of them on purpose; this is the net under that rule.
 */
export const REDACTED_PATHS = [
  'password',
  '*.password',
  'secretKey',
  '*.secretKey',
  'token',
  '*.token',
  'responses',
  '*.responses',
  'answers',
  '*.answers',
  'variables',
  '*.variables',
  'headers.authorization',
  '*.headers.authorization',
  'headers["flinks-auth-key"]',
  '*.headers["flinks-auth-key"]',
];

export function createLogger(level: string, destination?: DestinationStream): Logger {
  return pino(
    {
      level,
      base: { service: 'flinks-gateway' },
      redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
      mixin: () => {
        const context = requestContext.getStore();
        return context ? { requestId: context.requestId } : {};
      },
    },
    destination,
  );
}

interface RequestContext {
  requestId: string;
}

/** The request being served, wherever the code is in its async work: log lines carry its id. */
export const requestContext = new AsyncLocalStorage<RequestContext>();

const SAFE_ID = /^[\w.:-]{1,64}$/;

/** The caller's `x-request-id` when it is a sane token, else a new one. */
export function requestIdFrom(header: string | string[] | undefined): string {
  const given = Array.isArray(header) ? header[0] : header;
  return given && SAFE_ID.test(given) ? given : randomUUID();
}
