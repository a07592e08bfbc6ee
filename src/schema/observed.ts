import type { Context } from '../context.ts';
import { GatewayError } from '../errors.ts';
import { traceResult } from '../tracing.ts';

const typenameByKind = new Map<string, string>();

/**
 * The `isTypeOf` of an object type whose values carry `kind`, and the one record of which
 * `__typename` that kind is, which `observed` counts results under.
 */
export function ofKind(typename: string, kind: string): (value: unknown) => boolean {
  typenameByKind.set(kind, typename);
  return (value) => (value as { kind?: unknown }).kind === kind;
}

/** Counts (metrics) and traces a field's result by `__typename` (error classes carry their GraphQL name), then passes it on. */
export async function observed<T extends { kind: string }>(
  ctx: Context,
  field: string,
  work: Promise<T>,
): Promise<T> {
  try {
    const value = await work;
    record(ctx, field, typenameByKind.get(value.kind) ?? value.kind);
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
