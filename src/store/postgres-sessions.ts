import type { GatewayStore, SessionGrant } from './index.ts';
import type { Query } from './postgres-database.ts';

/**
 * The statements of what is kept per RequestId: sessions (`gateway_sessions`) and the account
 * detail pending at Flinks for them (`gateway_pending_details`).
 */
export class PostgresSessions
  implements
    Pick<
      GatewayStore,
      | 'getSession'
      | 'putSession'
      | 'touchSession'
      | 'getPendingDetail'
      | 'putPendingDetail'
      | 'deletePendingDetail'
    >
{
  readonly #query: Query;

  constructor(query: Query) {
    this.#query = query;
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
}
