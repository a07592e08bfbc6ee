import SchemaBuilder from '@pothos/core';
import ErrorsPlugin from '@pothos/plugin-errors';
import type { Context } from '../context.ts';

export const builder = new SchemaBuilder<{
  Context: Context;
  DefaultFieldNullability: false;
  Scalars: {
    DateTime: { Input: Date; Output: Date };
    Decimal: { Input: string; Output: string };
    Date: { Input: string; Output: string };
  };
}>({
  plugins: [ErrorsPlugin],
  defaultFieldNullability: false,
  // No default error types: each result union lists the GatewayError classes it can answer, and
  // anything else (a bug, a broken upstream contract) is thrown on to Yoga, which masks it.
  errors: { defaultTypes: [] },
});

builder.scalarType('DateTime', {
  description: 'An instant in time, written as ISO-8601 in UTC, e.g. `2020-04-15T22:46:03.169Z`.',
  serialize: (value) => value.toISOString(),
  parseValue: (value) => {
    const date = typeof value === 'string' ? new Date(value) : undefined;
    if (!date || Number.isNaN(date.getTime()))
      throw new TypeError('DateTime must be an ISO-8601 string');
    return date;
  },
});

builder.queryType({ description: 'Reads.' });
builder.mutationType({
  description: 'The Flinks /Authorize conversation, and the deletion of bank connections.',
});
