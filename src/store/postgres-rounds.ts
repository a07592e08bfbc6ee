import { randomUUID } from 'node:crypto';
import type { SecurityChallenge } from '../flinks/types.ts';
import type { AnswerLease, GatewayStore, MfaRound, NewMfaRound } from './index.ts';
import type { Query } from './postgres-database.ts';

interface RoundRow {
  request_id: string;
  principal: string;
  login_id: string | null;
  challenges: SecurityChallenge[];
  wrong_answers: number;
  expires_at: string;
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

/** The MFA rounds' statements (`gateway_mfa_rounds`): a round, and the lease of its one answer. */
export class PostgresRounds
  implements
    Pick<
      GatewayStore,
      'getRound' | 'putRound' | 'deleteRound' | 'beginAnswer' | 'endAnswer' | 'recordWrongAnswer'
    >
{
  readonly #query: Query;

  constructor(query: Query) {
    this.#query = query;
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
}
