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

const DECIMAL = /^-?\d+(\.\d+)?$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

builder.scalarType('Decimal', {
  description:
    'An exact decimal number written as a string, e.g. `"-1234.56"`: money never travels as a binary float.',
  serialize: (value) => value,
  parseValue: (value) => {
    if (typeof value !== 'string' || !DECIMAL.test(value))
      throw new TypeError('Decimal must be a string such as "12.34"');
    return value;
  },
});

builder.scalarType('Date', {
  description: 'A calendar date, `YYYY-MM-DD`.',
  serialize: (value) => value,
  parseValue: (value) => {
    if (typeof value !== 'string' || !DATE.test(value) || Number.isNaN(Date.parse(value))) {
      throw new TypeError('Date must be a string such as "2025-01-31"');
    }
    return value;
  },
});

/**
 * A default the code applies, in a description's words ("True by default.", "DAYS_90 by
 * default." for an enum's internal value), written from the constant the code uses.
 */
export function byDefault(
  value: string | number | boolean,
  enumValues?: Readonly<Record<string, { readonly value: unknown }>>,
): string {
  const said = enumValues
    ? Object.keys(enumValues).find((name) => enumValues[name]?.value === value)
    : typeof value === 'boolean'
      ? value
        ? 'True'
        : 'False'
      : String(value);
  if (said === undefined) throw new Error(`No enum value is ${String(value)}.`);
  return `${said} by default.`;
}

builder.queryType({ description: 'Reads.' });
builder.mutationType({
  description: 'The Flinks /Authorize conversation, and the deletion of bank connections.',
});
