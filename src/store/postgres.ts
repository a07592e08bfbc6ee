import type pg from 'pg';
import type { GatewayStore } from './index.ts';
import { codeOf, Database, type DatabaseOptions } from './postgres-database.ts';
import { PostgresLogins } from './postgres-logins.ts';
import { migrate } from './postgres-migrations.ts';
import { PostgresRateLimits } from './postgres-rate-limits.ts';
import { PostgresRounds } from './postgres-rounds.ts';
import { PostgresSessions } from './postgres-sessions.ts';

export interface PostgresStoreOptions extends DatabaseOptions {
  /** How often expired rows are deleted; 0 never (then `sweep()` by hand). Default 60 s. */
  sweepIntervalMs?: number;
  /** Rows deleted per statement of a sweep; a sweep runs at most 20 per table. Default 500. */
  sweepBatch?: number;
  now?: () => number;
}

const BATCHES_PER_SWEEP = 20;

/**
 * Every piece of shared state on PostgreSQL, so that any replica can serve any request of a
 * conversation and ownership survives restarts. Each decision is one statement (a conditional
 * UPDATE, an INSERT ... ON CONFLICT): no transaction is ever held open across a call to Flinks.
 * A database that cannot be reached within `timeoutMs` fails the call closed with
 * ServiceUnavailableError; the pool reconnects on its own when it is back.
 */
export class PostgresStore implements GatewayStore {
  readonly pool: pg.Pool;
  readonly #db: Database;
  readonly #sweepBatch: number;
  readonly #logger: PostgresStoreOptions['logger'];
  readonly #rounds: PostgresRounds;
  readonly #sessions: PostgresSessions;
  readonly #logins: PostgresLogins;
  readonly #rateLimits: PostgresRateLimits;
  #timer: NodeJS.Timeout | null = null;

  private constructor(options: PostgresStoreOptions) {
    this.#db = new Database(options);
    this.pool = this.#db.pool;
    this.#logger = options.logger;
    this.#sweepBatch = options.sweepBatch ?? 500;
    this.#rounds = new PostgresRounds(this.#db.query);
    this.#sessions = new PostgresSessions(this.#db.query);
    this.#logins = new PostgresLogins(this.#db.query);
    this.#rateLimits = new PostgresRateLimits(this.#db.query);
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
        const { rowCount } = await this.#db.query(
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

  getRound(...args: Parameters<GatewayStore['getRound']>) {
    return this.#rounds.getRound(...args);
  }

  putRound(...args: Parameters<GatewayStore['putRound']>) {
    return this.#rounds.putRound(...args);
  }

  deleteRound(...args: Parameters<GatewayStore['deleteRound']>) {
    return this.#rounds.deleteRound(...args);
  }

  beginAnswer(...args: Parameters<GatewayStore['beginAnswer']>) {
    return this.#rounds.beginAnswer(...args);
  }

  endAnswer(...args: Parameters<GatewayStore['endAnswer']>) {
    return this.#rounds.endAnswer(...args);
  }

  recordWrongAnswer(...args: Parameters<GatewayStore['recordWrongAnswer']>) {
    return this.#rounds.recordWrongAnswer(...args);
  }

  getSession(...args: Parameters<GatewayStore['getSession']>) {
    return this.#sessions.getSession(...args);
  }

  putSession(...args: Parameters<GatewayStore['putSession']>) {
    return this.#sessions.putSession(...args);
  }

  touchSession(...args: Parameters<GatewayStore['touchSession']>) {
    return this.#sessions.touchSession(...args);
  }

  getPendingDetail(...args: Parameters<GatewayStore['getPendingDetail']>) {
    return this.#sessions.getPendingDetail(...args);
  }

  putPendingDetail(...args: Parameters<GatewayStore['putPendingDetail']>) {
    return this.#sessions.putPendingDetail(...args);
  }

  deletePendingDetail(...args: Parameters<GatewayStore['deletePendingDetail']>) {
    return this.#sessions.deletePendingDetail(...args);
  }

  loginOwner(...args: Parameters<GatewayStore['loginOwner']>) {
    return this.#logins.loginOwner(...args);
  }

  claimLogin(...args: Parameters<GatewayStore['claimLogin']>) {
    return this.#logins.claimLogin(...args);
  }

  settleSuccess(...args: Parameters<GatewayStore['settleSuccess']>) {
    return this.#logins.settleSuccess(...args);
  }

  logins(...args: Parameters<GatewayStore['logins']>) {
    return this.#logins.logins(...args);
  }

  beginDeleteLogin(...args: Parameters<GatewayStore['beginDeleteLogin']>) {
    return this.#logins.beginDeleteLogin(...args);
  }

  endDeleteLogin(...args: Parameters<GatewayStore['endDeleteLogin']>) {
    return this.#logins.endDeleteLogin(...args);
  }

  forgetLogin(...args: Parameters<GatewayStore['forgetLogin']>) {
    return this.#logins.forgetLogin(...args);
  }

  deletedLoginOwner(...args: Parameters<GatewayStore['deletedLoginOwner']>) {
    return this.#logins.deletedLoginOwner(...args);
  }

  takeToken(...args: Parameters<GatewayStore['takeToken']>) {
    return this.#rateLimits.takeToken(...args);
  }

  ready() {
    return this.#db.ready();
  }

  async close() {
    if (this.#timer) clearInterval(this.#timer);
    await this.#db.close();
  }
}
