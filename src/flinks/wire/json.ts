import { parse as parseLossless } from 'lossless-json';
import { z } from 'zod';

/*
 * Reading Flinks' JSON text, before its zod schema. Tolerant of absent optional fields and of
 * unknown extra fields (z.object strips them), strict about what the gateway relies on.
 * PascalCase stops in wire/.
 */

/** A LoginId, RequestId or token as Flinks sends them: some text, not a huge one. */
export const Id = z.string().min(1).max(200);

/** The JSON value of a body; undefined when it is not JSON. */
export function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/**
 * Parses JSON keeping each number as the exact digits sent; undefined when not JSON. Flinks sends
 * money as JSON numbers, and JSON.parse would round an amount such as 12345678901234.57 to the
 * nearest double: the data bodies are read with this.
 */
export function parseJsonExact(text: string): unknown {
  try {
    return parseLossless(text, null, (digits) => digits);
  } catch {
    return undefined;
  }
}
