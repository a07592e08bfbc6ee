import type { z } from 'zod';
import { InvalidInputError } from './errors.ts';

/** The value parsed by `schema`, or InvalidInputError listing every issue under the path `at`. */
export function parseInput<T extends z.ZodType>(
  schema: T,
  value: unknown,
  at = ['input'],
): z.output<T> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  throw new InvalidInputError(
    result.error.issues.map((issue) => ({
      path: [...at, ...issue.path.map(String)],
      message: issue.message,
    })),
  );
}
