import type { Context } from '../context.ts';
import { GatewayError } from '../errors.ts';
import { traceResult } from '../tracing.ts';

const TYPENAME_BY_KIND: Record<string, string> = {
  success: 'AuthorizeSuccess',
  mfa: 'MfaRequired',
  summary: 'AccountsSummary',
  detail: 'AccountsDetail',
  statements: 'Statements',
  pending: 'DataPending',
  deleted: 'LoginDeleted',
};

/** Counts (metrics) and traces a field's result by `__typename` (error classes carry their GraphQL name), then passes it on. */
export async function observed<T extends { kind: string }>(
  ctx: Context,
  field: string,
  work: Promise<T>,
): Promise<T> {
  try {
    const value = await work;
    record(ctx, field, TYPENAME_BY_KIND[value.kind] ?? value.kind);
    return value;
  } catch (error) {
    record(ctx, field, error instanceof GatewayError ? error.name : 'unexpected');
    throw error;
  }
}

function record(ctx: Context, field: string, typename: string): void {
  ctx.metrics?.result(field, typename);
  traceResult(field, typename);
}
