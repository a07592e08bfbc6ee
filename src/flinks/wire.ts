import { z } from 'zod';
import type { AuthorizeRequest } from './types.ts';

/*
 * zod schemas of Flinks' JSON. Tolerant of absent optional fields and of unknown extra fields
 * (z.object strips them), strict about what the gateway relies on. PascalCase stops here.
 */

const OFFSET_FREE_INSTANT =
  /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,7}))?(Z|[+-]\d{2}:\d{2})?$/;

/**
 * Flinks' `LastRefresh` is UTC written without an offset and with up to 7 fractional digits
 * (`2020-04-15T22:46:03.1690585`, authorize-cached-mode.txt: "the LastRefresh data point is in
 * UTC"). `new Date()` would read such a string as local time, so it is parsed here as UTC; an
 * explicit offset, should Flinks ever send one, is honoured.
 */
export function parseFlinksInstant(value: string): Date | null {
  const match = OFFSET_FREE_INSTANT.exec(value);
  if (!match) return null;
  const [, year, month, day, hour, minute, second, fraction = '', offset = 'Z'] = match;
  const millis = Number(fraction.padEnd(3, '0').slice(0, 3));
  const iso = `${year}-${month}-${day}T${hour}:${minute}:${second}.${String(millis).padStart(3, '0')}${offset}`;
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? null : date;
}

const FlinksInstant = z.string().transform((value, ctx) => {
  const date = parseFlinksInstant(value);
  if (!date) {
    ctx.addIssue({ code: 'custom', message: 'not a Flinks date-time' });
    return z.NEVER;
  }
  return date;
});

const Id = z.string().min(1).max(200);

export const TokenBody = z.object({ Token: z.string().min(1).max(200) });

const LoginWire = z.object({
  Id,
  Username: z.string().nullish(),
  IsScheduledRefresh: z.boolean().nullish(),
  LastRefresh: FlinksInstant,
  Type: z.string().nullish(),
});

export const AuthorizeSuccessBody = z.object({
  HttpStatusCode: z.literal(200).optional(),
  RequestId: Id,
  Institution: z.string().min(1),
  InstitutionName: z.string().nullish(),
  InstitutionId: z.number().int().nullish(),
  Login: LoginWire,
  Tag: z.string().nullish(),
});

const ChallengeWire = z.object({
  Type: z.string().min(1),
  Prompt: z.string().min(1),
  Iterables: z.array(z.string()).nullish(),
});

export const MfaRequiredBody = z.object({
  // Absent in some of Flinks' own 203 examples (Case 7 of the legacy MFA page).
  HttpStatusCode: z.literal(203).optional(),
  RequestId: Id,
  Institution: z.string().nullish(),
  SecurityChallenges: z.array(ChallengeWire).min(1),
  Tag: z.string().nullish(),
});

export const ErrorBody = z.object({
  HttpStatusCode: z.number().int().nullish(),
  FlinksCode: z.string().min(1).max(200),
  RequestId: Id.nullish(),
  // `{ field: [messages] }`: only the field names are used. Never fails the body.
  ValidationDetails: z.record(z.string(), z.unknown()).nullish().catch(null),
});

/**
 * `/DeleteCard`'s 200: `{ StatusCode: 200, Message: "All of the information about LoginId ... has
 * been removed" }`. Only the status is relied on; a StatusCode, when present, must agree.
 */
export const DeleteCardBody = z.object({
  StatusCode: z.literal(200).optional(),
  HttpStatusCode: z.literal(200).optional(),
  Message: z.string().nullish(),
});

export type AuthorizeSuccessBody = z.infer<typeof AuthorizeSuccessBody>;
export type MfaRequiredBody = z.infer<typeof MfaRequiredBody>;

/** The JSON body of an /Authorize request. */
export function authorizeBody(authorizeRequest: AuthorizeRequest): Record<string, unknown> {
  switch (authorizeRequest.mode) {
    case 'cached':
      return { LoginId: authorizeRequest.loginId, MostRecentCached: true };
    case 'refresh':
      return {
        LoginId: authorizeRequest.loginId,
        MostRecentCached: false,
        ...liveOptions(authorizeRequest),
      };
    case 'credentials':
      return {
        Institution: authorizeRequest.institution,
        Username: authorizeRequest.username,
        Password: authorizeRequest.password,
        MostRecentCached: false,
        ...liveOptions(authorizeRequest),
      };
    case 'answer':
      return {
        RequestId: authorizeRequest.requestId,
        SecurityResponses: authorizeRequest.responses,
      };
  }
}

function liveOptions(options: {
  language?: string | null;
  save?: boolean | null;
  tag?: string | null;
}) {
  return {
    ...(options.language == null ? {} : { Language: options.language }),
    ...(options.save == null ? {} : { Save: options.save }),
    ...(options.tag == null ? {} : { Tag: options.tag }),
  };
}

export function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** The FlinksCode of an error body, or null when the body carries none. */
export function flinksCodeOf(text: string): string | null {
  const parsed = ErrorBody.safeParse(parseJson(text));
  return parsed.success ? parsed.data.FlinksCode : null;
}
