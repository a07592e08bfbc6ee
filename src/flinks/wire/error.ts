import { z } from 'zod';
import { Id, parseJson } from './json.ts';

/**
 * The error body any endpoint may answer: `{ HttpStatusCode, FlinksCode, Message }`, sometimes
 * with `RequestId` and `ValidationDetails` (FACTS.md). Message is Flinks' own text and is never
 * read: only messages the gateway writes reach a client.
 */
export const ErrorBody = z
  .object({
    HttpStatusCode: z.number().int().nullish(),
    FlinksCode: z.string().min(1).max(200),
    RequestId: Id.nullish(),
    // `{ field: [messages] }`: only the field names are used. Never fails the body.
    ValidationDetails: z.record(z.string(), z.unknown()).nullish().catch(null),
  })
  .transform((body) => ({
    flinksCode: body.FlinksCode,
    requestId: body.RequestId ?? null,
    /** The fields `ValidationDetails` names (PascalCase wire names), when Flinks sent some. */
    invalidFields: Object.keys(body.ValidationDetails ?? {}),
  }));

/** The FlinksCode of an error body, or null when the body carries none. */
export function flinksCodeOf(text: string): string | null {
  const parsed = ErrorBody.safeParse(parseJson(text));
  return parsed.success ? parsed.data.flinksCode : null;
}

/** `Retry-After` in seconds, given as seconds or as an HTTP date; null when absent or unreadable. */
export function retryAfterSeconds(value: string | string[] | undefined): number | null {
  const raw = Array.isArray(value) ? value[0] : value;
  if (!raw) return null;
  if (/^\d+$/.test(raw.trim())) return Number(raw.trim());
  const date = Date.parse(raw);
  return Number.isNaN(date) ? null : Math.max(0, Math.ceil((date - Date.now()) / 1000));
}
