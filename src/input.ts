import type { z } from 'zod';
import { type InputIssue, InvalidInputError } from './errors.ts';

/** The value parsed by `schema`, or InvalidInputError listing every issue under the path `at`. */
export function parseInput<T extends z.ZodType>(
  schema: T,
  value: unknown,
  at = ['input'],
): z.output<T> {
  const result = checkInput(schema, value, at);
  if ('issues' in result) throw new InvalidInputError(result.issues);
  return result.data;
}

/** The value parsed by `schema`, or every issue under the path `at`. */
export function checkInput<T extends z.ZodType>(
  schema: T,
  value: unknown,
  at = ['input'],
): { data: z.output<T> } | { issues: InputIssue[] } {
  const result = schema.safeParse(value);
  if (result.success) return { data: result.data };
  return {
    issues: result.error.issues.map((issue) => ({
      path: [...at, ...issue.path.map(String)],
      message: issue.message,
    })),
  };
}
