import { type DestinationStream, type Logger, pino } from 'pino';
import { requestContext } from './request-context.ts';

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
