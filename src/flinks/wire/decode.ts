import type { z } from 'zod';
import { FlinksContractError } from '../errors.ts';
import type { RawResponse } from '../transport.ts';
import { parseJson } from './json.ts';

/**
 * The domain value of a body read with its wire schema (wire/); a body that does not match is
 * Flinks breaking its contract.
 */
export function decode<T extends z.ZodType>(
  endpoint: string,
  response: RawResponse,
  schema: T,
  parse: (text: string) => unknown = parseJson,
): z.output<T> {
  const result = schema.safeParse(parse(response.text));
  if (result.success) return result.data;
  throw new FlinksContractError(`Flinks' ${endpoint} body does not match its contract.`, {
    endpoint,
    status: response.status,
    // zod issues carry paths and expectations, never the offending values.
    detail: result.error.issues.map((issue) => ({
      path: issue.path.join('.'),
      message: issue.message,
    })),
  });
}
