import type { DeleteLease, GatewayStore, LoginRecord, OwnedLogin, SessionGrant } from './index.ts';
import type { Query } from './postgres-database.ts';

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

/**
 * The LoginIds' statements: owners (`gateway_logins`), the claim a success settles together with
 * its session, deletions and their tombstones (`gateway_deleted_logins`).
 */
export class PostgresLogins
  implements
    Pick<
      GatewayStore,
      | 'loginOwner'
      | 'claimLogin'
      | 'settleSuccess'
      | 'logins'
      | 'beginDeleteLogin'
      | 'endDeleteLogin'
      | 'forgetLogin'
      | 'deletedLoginOwner'
    >
{
  readonly #query: Query;

  constructor(query: Query) {
    this.#query = query;
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
}
