import type { Logger } from 'pino';
import type { AuthorizeService } from './authorize/service.ts';
import type { SessionData } from './data/session-data.ts';
import type { LoginService } from './logins/service.ts';
import type { GatewayMetrics } from './metrics.ts';

/** What every resolver gets for one GraphQL request. */
export interface Context {
  /** The authenticated caller: owner of the MFA rounds it opens. */
  principal: string;
  authorize: AuthorizeService;
  /** The caller's bank connections (LoginIds). */
  logins: LoginService;
  /** This request's data loaders. */
  data: SessionData;
  logger: Logger;
  metrics: GatewayMetrics | null;
  /** Aborted when the HTTP client goes away; passed to upstream calls. */
  signal: AbortSignal;
}
