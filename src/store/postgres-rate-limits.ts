import type { GatewayStore, TokenTake } from './index.ts';
import type { Query } from './postgres-database.ts';

/** The refilled bucket, in SQL: $2 is the capacity per minute, $3 the time. */
const REFILLED =
  'LEAST($2::float8, b.tokens + GREATEST(0, $3::bigint - b.updated_at) * ($2::float8 / 60000))';

/** The rate limits' statement (`gateway_rate_limits`): one token bucket per key. */
export class PostgresRateLimits implements Pick<GatewayStore, 'takeToken'> {
  readonly #query: Query;

  constructor(query: Query) {
    this.#query = query;
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
}
