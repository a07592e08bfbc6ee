import { type Span, SpanKind, SpanStatusCode, type Tracer } from '@opentelemetry/api';
import pg from 'pg';
import type { Logger } from 'pino';
import { ServiceUnavailableError } from '../errors.ts';

export interface DatabaseOptions {
  /** `postgres://user:password@host:port/database`; never logged. */
  url: string;
  /** Most connections this process opens. Default 10. */
  poolSize?: number;
  /**
   * How long a connection attempt, a wait for a pooled connection, and a statement may each
   * take before the call fails as unavailable. Default 2,000 ms.
   */
  timeoutMs?: number;
  logger?: Pick<Logger, 'warn' | 'info'>;
  /** A span per statement (OpenTelemetry), child of the active one. */
  tracer?: Tracer;
}

/** Runs one statement: what each record family's statements are given. */
export type Query = <R extends pg.QueryResultRow>(
  text: string,
  values: unknown[],
) => Promise<pg.QueryResult<R>>;

/**
 * The connection pool and the one way a statement runs: a span per statement, an outage logged
 * once at each edge, and a database that cannot serve turned into ServiceUnavailableError (the
 * call fails closed; the pool reconnects on its own when the database is back).
 */
export class Database {
  readonly pool: pg.Pool;
  readonly #logger: DatabaseOptions['logger'];
  readonly #tracer: Tracer | undefined;
  /** Whether the last query failed as unavailable: outages are logged once, at each edge. */
  #down = false;

  constructor(options: DatabaseOptions) {
    const timeoutMs = options.timeoutMs ?? 2_000;
    this.#logger = options.logger;
    this.#tracer = options.tracer;
    this.pool = new pg.Pool({
      connectionString: options.url,
      max: options.poolSize ?? 10,
      connectionTimeoutMillis: timeoutMs,
      // The server cancels a statement past it; the client stops waiting a little later (a
      // database that stopped answering altogether).
      statement_timeout: timeoutMs,
      query_timeout: timeoutMs + 500,
      idleTimeoutMillis: 30_000,
      keepAlive: true,
      application_name: 'flinks-gateway',
    });
    // A pooled idle connection that the server drops (a restart, a failover) is discarded by the
    // pool; without a listener the 'error' event would end the process.
    this.pool.on('error', (error) => {
      this.#logger?.warn({ code: codeOf(error) }, 'PostgreSQL dropped an idle connection');
    });
  }

  /** One statement on a pooled connection; ServiceUnavailableError when the database cannot serve. */
  readonly query: Query = async <R extends pg.QueryResultRow>(text: string, values: unknown[]) => {
    const span = this.#tracer && statementSpan(this.#tracer, text);
    try {
      const result = await this.pool.query<R>(text, values);
      if (this.#down) {
        this.#down = false;
        this.#logger?.info('PostgreSQL answers again');
      }
      return result;
    } catch (error) {
      // SQLSTATE only: a message may quote a value.
      const sqlState = (error as { code?: unknown } | null)?.code;
      span?.setStatus({
        code: SpanStatusCode.ERROR,
        message: typeof sqlState === 'string' ? sqlState : 'error',
      });
      if (!isUnavailable(error)) throw error;
      if (!this.#down) {
        this.#down = true;
        this.#logger?.warn(
          { code: codeOf(error) },
          'PostgreSQL unavailable: calls that need the store fail closed until it answers',
        );
      }
      throw new ServiceUnavailableError('The gateway cannot serve this now. Try again shortly.', {
        retryAfterSeconds: 5,
        cause: error,
      });
    } finally {
      span?.end();
    }
  };

  async ready() {
    try {
      await this.query('SELECT 1', []);
      return true;
    } catch {
      return false;
    }
  }

  async close() {
    await this.pool.end();
  }
}

/** SQLSTATE classes that mean "not now": connection (08), resources (53), operator (57), system (58). */
const UNAVAILABLE_CLASSES = new Set(['08', '53', '57', '58']);

/**
 * Whether a failed query means the database cannot serve now (unreachable, restarting, timed
 * out), rather than a bug in the query, which is thrown as is and masked.
 */
function isUnavailable(error: unknown): boolean {
  if (error instanceof pg.DatabaseError) {
    return UNAVAILABLE_CLASSES.has(error.code?.slice(0, 2) ?? '') || error.code === '55P03';
  }
  return error instanceof Error && !(error instanceof TypeError || error instanceof RangeError);
}

/** A code safe to log: the SQLSTATE or the system error code, never a message with values. */
export function codeOf(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : error instanceof Error ? error.message : 'unknown';
}

/**
 * `SELECT gateway_mfa_rounds`: the statement's verb and first table, as OpenTelemetry's database
 * conventions name spans. The text holds placeholders only: values never reach a span.
 */
function statementSpan(tracer: Tracer, text: string): Span {
  const verb = /^\s*(\w+)/.exec(text)?.[1]?.toUpperCase() ?? 'QUERY';
  const table = /gateway_\w+/.exec(text)?.[0];
  return tracer.startSpan(table ? `${verb} ${table}` : verb, {
    kind: SpanKind.CLIENT,
    attributes: {
      'db.system.name': 'postgresql',
      'db.operation.name': verb,
      ...(table ? { 'db.collection.name': table } : {}),
    },
  });
}
