import { randomUUID } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { type Span, SpanKind, SpanStatusCode, type Tracer } from '@opentelemetry/api';
import pg from 'pg';
import type { Logger } from 'pino';
import { ServiceUnavailableError } from '../errors.ts';
import type { SecurityChallenge } from '../flinks/types.ts';
import type {
  AnswerLease,
  DeleteLease,
  GatewayStore,
  LoginRecord,
  MfaRound,
  NewMfaRound,
  OwnedLogin,
  SessionGrant,
  TokenTake,
} from './index.ts';

export interface PostgresStoreOptions {
  /** `postgres://user:password@host:port/database`; never logged. */
  url: string;
  /** Most connections this process opens. Default 10. */
  poolSize?: number;
  /**
   * How long a connection attempt, a wait for a pooled connection, and a statement may each
   * take before the call fails as unavailable. Default 2,000 ms.
   */
  timeoutMs?: number;
  /** How often expired rows are deleted; 0 never (then `sweep()` by hand). Default 60 s. */
  sweepIntervalMs?: number;
  /** Rows deleted per statement of a sweep; a sweep runs at most 20 per table. Default 500. */
  sweepBatch?: number;
  logger?: Pick<Logger, 'warn' | 'info'>;
  /** A span per statement (OpenTelemetry), child of the active one. */
  tracer?: Tracer;
  now?: () => number;
}

const MIGRATIONS = new URL('./migrations/', import.meta.url);
/** Any fixed 64-bit number: the advisory lock every replica takes to migrate. */
const MIGRATION_LOCK = 7_346_021_118;
const BATCHES_PER_SWEEP = 20;

/**
 * Applies the versioned SQL files of `migrations/` that the database has not seen, in order, in
 * one transaction under an advisory lock: when two replicas start at once, the second waits for
 * the first and then finds nothing to do. Returns the versions it applied.
 */
export async function migrate(pool: pg.Pool): Promise<number[]> {
  const files = (await readdir(MIGRATIONS))
    .filter((name) => /^\d{4}_[\w-]+\.sql$/.test(name))
    .sort();
  const client = await pool.connect();
  const applied: number[] = [];
  // Another replica may hold the lock while it migrates: wait for it longer than a statement.
  const run = (text: string, values: unknown[] = []) =>
    client.query({ text, values, query_timeout: 125_000 } as pg.QueryConfig);
  try {
    await run('BEGIN');
    await run("SET LOCAL statement_timeout = '120s'");
    await run('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK]);
    await run(
      `CREATE TABLE IF NOT EXISTS gateway_schema_migrations (
         version integer PRIMARY KEY,
         name text NOT NULL,
         applied_at timestamptz NOT NULL DEFAULT now()
       )`,
    );
    const { rows } = await run('SELECT version FROM gateway_schema_migrations');
    const done = new Set(rows.map((row: { version: number }) => row.version));
    for (const name of files) {
      const version = Number(name.slice(0, 4));
      if (done.has(version)) continue;
      await run(await readFile(new URL(name, MIGRATIONS), 'utf8'));
      await run('INSERT INTO gateway_schema_migrations (version, name) VALUES ($1, $2)', [
        version,
        name,
      ]);
      applied.push(version);
    }
    await client.query('COMMIT');
    return applied;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => {});
    throw error;
  } finally {
    client.release();
  }
}

interface RoundRow {
  request_id: string;
  principal: string;
  login_id: string | null;
  challenges: SecurityChallenge[];
  wrong_answers: number;
  expires_at: string;
}

interface LoginRow {
  login_id: string;
  principal: string;
  institution: string | null;
  username: string | null;
  last_refresh: Date | null;
  connected_at: Date;
  last_used_at: Date;
}

/**
 * The claim of a LoginId, as a CTE named `claim`: the first INSERT wins the LoginId; a later one by
 * its owner updates what is listed, and one by anyone else changes nothing and returns no row.
 */
const CLAIM = `WITH claim AS (
  INSERT INTO gateway_logins AS l
    (login_id, principal, institution, username, last_refresh, connected_at, last_used_at)
  VALUES (lower($1), $2, $3, $4, $5, $6, $6)
  ON CONFLICT (login_id) DO UPDATE SET
    institution = COALESCE(EXCLUDED.institution, l.institution),
    username = COALESCE(EXCLUDED.username, l.username),
    last_refresh = COALESCE(EXCLUDED.last_refresh, l.last_refresh),
    last_used_at = GREATEST(l.last_used_at, EXCLUDED.last_used_at)
  WHERE l.principal = EXCLUDED.principal
  RETURNING principal
), lifted AS (
  DELETE FROM gateway_deleted_logins d USING claim WHERE d.login_id = lower($1)
)`;

function claimValues(record: LoginRecord, now: number): unknown[] {
  return [
    record.loginId,
    record.principal,
    record.institution,
    record.username,
    record.lastRefresh,
    new Date(now),
  ];
}

function roundOf(row: RoundRow): MfaRound {
  return {
    requestId: row.request_id,
    principal: row.principal,
    loginId: row.login_id,
    challenges: row.challenges,
    wrongAnswers: row.wrong_answers,
    expiresAt: Number(row.expires_at),
  };
}

/** The refilled bucket, in SQL: $2 is the capacity per minute, $3 the time. */
const REFILLED =
  'LEAST($2::float8, b.tokens + GREATEST(0, $3::bigint - b.updated_at) * ($2::float8 / 60000))';

/**
 * Every piece of shared state on PostgreSQL, so that any replica can serve any request of a
 * conversation and ownership survives restarts. Each decision is one statement (a conditional
 * UPDATE, an INSERT ... ON CONFLICT): no transaction is ever held open across a call to Flinks.
 * A database that cannot be reached within `timeoutMs` fails the call closed with
 * ServiceUnavailableError; the pool reconnects on its own when it is back.
 */
export class PostgresStore implements GatewayStore {
  readonly pool: pg.Pool;
  readonly #sweepBatch: number;
  readonly #logger: PostgresStoreOptions['logger'];
  readonly #tracer: Tracer | undefined;
  #timer: NodeJS.Timeout | null = null;
  /** Whether the last query failed as unavailable: outages are logged once, at each edge. */
  #down = false;

  private constructor(options: PostgresStoreOptions) {
    const timeoutMs = options.timeoutMs ?? 2_000;
    this.#logger = options.logger;
    this.#tracer = options.tracer;
    this.#sweepBatch = options.sweepBatch ?? 500;
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

  /** Connects, applies pending migrations, and starts the expiry sweeps. */
  static async open(options: PostgresStoreOptions): Promise<PostgresStore> {
    const store = new PostgresStore(options);
    try {
      const applied = await migrate(store.pool);
      if (applied.length > 0) store.#logger?.info({ applied }, 'database migrations applied');
    } catch (error) {
      await store.pool.end().catch(() => {});
      throw error;
    }
    const every = options.sweepIntervalMs ?? 60_000;
    const now = options.now ?? Date.now;
    if (every > 0) {
      store.#timer = setInterval(() => {
        store.sweep(now()).catch((error) => {
          store.#logger?.warn({ code: codeOf(error) }, 'expiry sweep failed; next one retries');
        });
      }, every).unref();
    }
    return store;
  }

  async #query<R extends pg.QueryResultRow>(text: string, values: unknown[]) {
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
  }

  /** Deletes expired rows in batches of `sweepBatch`; returns how many. */
  async sweep(now: number): Promise<number> {
    const tables: [string, string, number][] = [
      ['gateway_mfa_rounds', 'expires_at', now],
      ['gateway_sessions', 'expires_at', now],
      ['gateway_pending_details', 'expires_at', now],
      // A bucket untouched for a minute is full again (it refills capacity per minute).
      ['gateway_rate_limits', 'updated_at', now - 60_000],
    ];
    let total = 0;
    for (const [table, column, before] of tables) {
      const key = table === 'gateway_rate_limits' ? 'key' : 'request_id';
      for (let batch = 0; batch < BATCHES_PER_SWEEP; batch += 1) {
        const { rowCount } = await this.#query(
          `DELETE FROM ${table} WHERE ${key} IN (
             SELECT ${key} FROM ${table} WHERE ${column} <= $1 LIMIT $2 FOR UPDATE SKIP LOCKED
           )`,
          [before, this.#sweepBatch],
        );
        total += rowCount ?? 0;
        if ((rowCount ?? 0) < this.#sweepBatch) break;
      }
    }
    return total;
  }

  async getRound(requestId: string, now: number): Promise<MfaRound | undefined> {
    const { rows } = await this.#query<RoundRow>(
      `SELECT request_id, principal, login_id, challenges, wrong_answers, expires_at
         FROM gateway_mfa_rounds WHERE request_id = $1 AND expires_at > $2`,
      [requestId, now],
    );
    const row = rows[0];
    return row ? roundOf(row) : undefined;
  }

  async putRound(round: NewMfaRound) {
    await this.#query(
      `INSERT INTO gateway_mfa_rounds (request_id, principal, login_id, challenges, expires_at)
       VALUES ($1, $2, $3, $4::jsonb, $5)
       ON CONFLICT (request_id) DO UPDATE SET
         principal = EXCLUDED.principal, login_id = EXCLUDED.login_id,
         challenges = EXCLUDED.challenges, wrong_answers = 0, lease_id = NULL,
         answering_until = 0, expires_at = EXCLUDED.expires_at`,
      [
        round.requestId,
        round.principal,
        round.loginId,
        JSON.stringify(round.challenges),
        round.expiresAt,
      ],
    );
  }

  async deleteRound(requestId: string) {
    await this.#query('DELETE FROM gateway_mfa_rounds WHERE request_id = $1', [requestId]);
  }

  async beginAnswer(
    requestId: string,
    principal: string,
    options: { now: number; leaseMs: number; maxWrongAnswers: number },
  ): Promise<AnswerLease> {
    const leaseId = randomUUID();
    // FOR UPDATE makes concurrent callers queue on the row; each then sees the row as the one
    // before it left it (READ COMMITTED re-reads it), so exactly one finds no live lease.
    const { rows } = await this.#query<RoundRow & { answering_until: string; taken: boolean }>(
      `WITH target AS (
         SELECT request_id, answering_until FROM gateway_mfa_rounds
          WHERE request_id = $1 AND principal = $2 AND expires_at > $4 AND wrong_answers < $6
          FOR UPDATE
       ), taken AS (
         UPDATE gateway_mfa_rounds r SET lease_id = $3, answering_until = $4::bigint + $5::bigint
           FROM target
          WHERE r.request_id = target.request_id AND target.answering_until <= $4
         RETURNING r.request_id, r.principal, r.login_id, r.challenges, r.wrong_answers,
                   r.expires_at
       )
       SELECT target.answering_until, taken.request_id IS NOT NULL AS taken, taken.principal,
              taken.login_id, taken.challenges, taken.wrong_answers, taken.expires_at
         FROM target LEFT JOIN taken ON true`,
      [requestId, principal, leaseId, options.now, options.leaseMs, options.maxWrongAnswers],
    );
    const row = rows[0];
    if (!row) return { status: 'none' };
    if (!row.taken) return { status: 'busy', untilMs: Number(row.answering_until) };
    return { status: 'open', leaseId, round: roundOf({ ...row, request_id: requestId }) };
  }

  async endAnswer(requestId: string, leaseId: string) {
    await this.#query(
      `UPDATE gateway_mfa_rounds SET lease_id = NULL, answering_until = 0
        WHERE request_id = $1 AND lease_id = $2`,
      [requestId, leaseId],
    );
  }

  async recordWrongAnswer(requestId: string, leaseId: string, expiresAt: number) {
    const { rows } = await this.#query<{ wrong_answers: number }>(
      `UPDATE gateway_mfa_rounds
          SET wrong_answers = wrong_answers + 1, lease_id = NULL, answering_until = 0,
              expires_at = $3
        WHERE request_id = $1 AND lease_id = $2
       RETURNING wrong_answers`,
      [requestId, leaseId, expiresAt],
    );
    return rows[0]?.wrong_answers ?? 0;
  }

  async getSession(requestId: string, now: number): Promise<SessionGrant | undefined> {
    const { rows } = await this.#query<{ principal: string; expires_at: string }>(
      'SELECT principal, expires_at FROM gateway_sessions WHERE request_id = $1 AND expires_at > $2',
      [requestId, now],
    );
    const row = rows[0];
    return row
      ? { requestId, principal: row.principal, expiresAt: Number(row.expires_at) }
      : undefined;
  }

  async putSession(grant: SessionGrant) {
    await this.#query(
      `INSERT INTO gateway_sessions (request_id, principal, expires_at, login_id)
       VALUES ($1, $2, $3, lower($4))
       ON CONFLICT (request_id) DO UPDATE SET
         principal = EXCLUDED.principal, expires_at = EXCLUDED.expires_at,
         login_id = EXCLUDED.login_id`,
      [grant.requestId, grant.principal, grant.expiresAt, grant.loginId ?? null],
    );
  }

  async touchSession(requestId: string, principal: string, now: number, expiresAt: number) {
    const { rowCount } = await this.#query(
      `UPDATE gateway_sessions SET expires_at = GREATEST(expires_at, $4)
        WHERE request_id = $1 AND principal = $2 AND expires_at > $3`,
      [requestId, principal, now, expiresAt],
    );
    return rowCount === 1;
  }

  async loginOwner(loginId: string) {
    const { rows } = await this.#query<{ principal: string }>(
      'SELECT principal FROM gateway_logins WHERE login_id = lower($1)',
      [loginId],
    );
    return rows[0]?.principal;
  }

  async claimLogin(record: LoginRecord, now: number): Promise<string> {
    const { rows } = await this.#query<{ principal: string }>(
      `${CLAIM} SELECT principal FROM claim`,
      claimValues(record, now),
    );
    return rows[0]?.principal ?? (await this.#ownerAfterConflict(record));
  }

  async settleSuccess(
    record: LoginRecord,
    grant: SessionGrant,
    options: { ownerOnly: boolean; now: number },
  ): Promise<string> {
    // One statement, one commit: the claim, and the grant that depends on it.
    const { rows } = await this.#query<{ principal: string | null }>(
      `${CLAIM}, granted AS (
         INSERT INTO gateway_sessions (request_id, principal, expires_at, login_id)
         SELECT $7, $2, $8, lower($1) WHERE NOT $9::boolean OR EXISTS (SELECT 1 FROM claim)
         ON CONFLICT (request_id) DO UPDATE SET
           principal = EXCLUDED.principal, expires_at = EXCLUDED.expires_at,
           login_id = EXCLUDED.login_id
         RETURNING request_id
       )
       SELECT (SELECT principal FROM claim) AS principal, (SELECT count(*) FROM granted) AS granted`,
      [...claimValues(record, options.now), grant.requestId, grant.expiresAt, options.ownerOnly],
    );
    return rows[0]?.principal ?? (await this.#ownerAfterConflict(record));
  }

  /** The owner of a LoginId whose claim found another owner. */
  async #ownerAfterConflict(record: LoginRecord): Promise<string> {
    const owner = await this.loginOwner(record.loginId);
    if (owner === undefined) throw new Error('a LoginId claim conflicted with a row that is gone');
    return owner;
  }

  async logins(principal: string): Promise<OwnedLogin[]> {
    const { rows } = await this.#query<LoginRow>(
      `SELECT login_id, principal, institution, username, last_refresh, connected_at, last_used_at
         FROM gateway_logins WHERE principal = $1 ORDER BY last_used_at DESC, login_id`,
      [principal],
    );
    return rows.map((row) => ({
      loginId: row.login_id,
      principal: row.principal,
      institution: row.institution,
      username: row.username,
      lastRefresh: row.last_refresh,
      connectedAt: row.connected_at,
      lastUsedAt: row.last_used_at,
    }));
  }

  async beginDeleteLogin(
    loginId: string,
    principal: string,
    options: { now: number; leaseMs: number },
  ): Promise<DeleteLease> {
    // One statement: the row lock of the UPDATE lets one of concurrent deletions take the lease;
    // the others re-read the row after it and find it taken.
    const { rows } = await this.#query<{ taken: boolean; deleting_until: string }>(
      `WITH target AS (
         SELECT login_id, deleting_until FROM gateway_logins
          WHERE login_id = lower($1) AND principal = $2
          FOR UPDATE
       ), taken AS (
         UPDATE gateway_logins l SET deleting_until = $3::bigint + $4::bigint
           FROM target
          WHERE l.login_id = target.login_id AND target.deleting_until <= $3
         RETURNING l.login_id
       )
       SELECT taken.login_id IS NOT NULL AS taken, target.deleting_until
         FROM target LEFT JOIN taken ON true`,
      [loginId, principal, options.now, options.leaseMs],
    );
    const row = rows[0];
    if (!row) return { status: 'none' };
    return row.taken ? { status: 'open' } : { status: 'busy', untilMs: Number(row.deleting_until) };
  }

  async endDeleteLogin(loginId: string, principal: string) {
    await this.#query(
      'UPDATE gateway_logins SET deleting_until = 0 WHERE login_id = lower($1) AND principal = $2',
      [loginId, principal],
    );
  }

  async forgetLogin(loginId: string, principal: string, now: number) {
    // One statement, one commit: the record, the tombstone, and the principal's sessions (with
    // their pending polls) and rounds on the LoginId.
    const { rows } = await this.#query<{ forgotten: string }>(
      `WITH forgotten AS (
         DELETE FROM gateway_logins WHERE login_id = lower($1) AND principal = $2
         RETURNING login_id
       ), tombstone AS (
         INSERT INTO gateway_deleted_logins (login_id, principal, deleted_at)
         SELECT login_id, $2, $3 FROM forgotten
         ON CONFLICT (login_id) DO UPDATE SET
           principal = EXCLUDED.principal, deleted_at = EXCLUDED.deleted_at
       ), sessions AS (
         DELETE FROM gateway_sessions s USING forgotten
          WHERE s.login_id = forgotten.login_id AND s.principal = $2
         RETURNING s.request_id
       ), pending AS (
         DELETE FROM gateway_pending_details p USING sessions
          WHERE p.request_id = sessions.request_id
       ), rounds AS (
         DELETE FROM gateway_mfa_rounds r USING forgotten
          WHERE lower(r.login_id) = forgotten.login_id AND r.principal = $2
       )
       SELECT count(*) AS forgotten FROM forgotten`,
      [loginId, principal, new Date(now)],
    );
    return Number(rows[0]?.forgotten ?? 0) > 0;
  }

  async deletedLoginOwner(loginId: string) {
    const { rows } = await this.#query<{ principal: string }>(
      'SELECT principal FROM gateway_deleted_logins WHERE login_id = lower($1)',
      [loginId],
    );
    return rows[0]?.principal;
  }

  async getPendingDetail(requestId: string, now: number) {
    const { rows } = await this.#query<{ options_key: string }>(
      'SELECT options_key FROM gateway_pending_details WHERE request_id = $1 AND expires_at > $2',
      [requestId, now],
    );
    return rows[0]?.options_key;
  }

  async putPendingDetail(requestId: string, optionsKey: string, expiresAt: number) {
    await this.#query(
      `INSERT INTO gateway_pending_details (request_id, options_key, expires_at) VALUES ($1, $2, $3)
       ON CONFLICT (request_id) DO UPDATE SET
         options_key = EXCLUDED.options_key, expires_at = EXCLUDED.expires_at`,
      [requestId, optionsKey, expiresAt],
    );
  }

  async deletePendingDetail(requestId: string) {
    await this.#query('DELETE FROM gateway_pending_details WHERE request_id = $1', [requestId]);
  }

  async takeToken(key: string, capacity: number, now: number): Promise<TokenTake> {
    // One statement: the row lock of ON CONFLICT serializes every replica's takes on one key.
    const { rows } = await this.#query<{ tokens: number; allowed: boolean }>(
      `INSERT INTO gateway_rate_limits AS b (key, tokens, updated_at, allowed)
       VALUES ($1, $2::float8 - 1, $3, true)
       ON CONFLICT (key) DO UPDATE SET
         tokens = CASE WHEN ${REFILLED} >= 1 THEN ${REFILLED} - 1 ELSE ${REFILLED} END,
         allowed = ${REFILLED} >= 1,
         updated_at = GREATEST(b.updated_at, $3::bigint)
       RETURNING tokens, allowed`,
      [key, capacity, now],
    );
    const row = rows[0] as { tokens: number; allowed: boolean };
    return { allowed: row.allowed, tokens: row.tokens };
  }

  async ready() {
    try {
      await this.#query('SELECT 1', []);
      return true;
    } catch {
      return false;
    }
  }

  async close() {
    if (this.#timer) clearInterval(this.#timer);
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
function codeOf(error: unknown): string {
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
