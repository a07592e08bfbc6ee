import { z } from 'zod';
import type { FlinksRequest } from '../transport.ts';
import type {
  AuthorizeRequest,
  AuthorizeSuccessOutcome,
  LiveOptions,
  MfaRequiredOutcome,
} from '../types.ts';
import { Id } from './json.ts';

/* /GenerateAuthorizeToken and /Authorize: the requests, and each answer as a domain value. */

/** `POST /GenerateAuthorizeToken`: no body; the secret key goes in a header. */
export const TOKEN_REQUEST: FlinksRequest = {
  method: 'POST',
  endpoint: 'GenerateAuthorizeToken',
  path: 'GenerateAuthorizeToken',
};

/** `POST /Authorize`; the one-time token goes in a header. */
export function encodeAuthorize(authorizeRequest: AuthorizeRequest): FlinksRequest {
  const body = JSON.stringify(authorizeBody(authorizeRequest));
  return { method: 'POST', endpoint: 'Authorize', path: 'Authorize', body };
}

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

/** /GenerateAuthorizeToken's 200: the one-time token. */
export const TokenBody = z
  .object({ Token: z.string().min(1).max(200) })
  .transform((body) => body.Token);

const LoginWire = z.object({
  Id,
  Username: z.string().nullish(),
  IsScheduledRefresh: z.boolean().nullish(),
  LastRefresh: FlinksInstant,
  Type: z.string().nullish(),
});

/** /Authorize's 200. */
export const AuthorizeSuccessBody = z
  .object({
    HttpStatusCode: z.literal(200).optional(),
    RequestId: Id,
    Institution: z.string().min(1),
    InstitutionName: z.string().nullish(),
    InstitutionId: z.number().int().nullish(),
    Login: LoginWire,
    Tag: z.string().nullish(),
  })
  .transform(
    (body): AuthorizeSuccessOutcome => ({
      kind: 'success',
      requestId: body.RequestId,
      institution: body.Institution,
      institutionName: body.InstitutionName ?? null,
      institutionId: body.InstitutionId ?? null,
      login: {
        id: body.Login.Id,
        username: body.Login.Username ?? null,
        isScheduledRefresh: body.Login.IsScheduledRefresh ?? null,
        lastRefresh: body.Login.LastRefresh,
        type: body.Login.Type ?? null,
      },
      tag: body.Tag ?? null,
    }),
  );

const ChallengeWire = z.object({
  Type: z.string().min(1),
  Prompt: z.string().min(1),
  Iterables: z.array(z.string()).nullish(),
});

/** /Authorize's 203: success-with-MFA, never an error. */
export const MfaRequiredBody = z
  .object({
    // Absent in some of Flinks' own 203 examples (Case 7 of the legacy MFA page).
    HttpStatusCode: z.literal(203).optional(),
    RequestId: Id,
    Institution: z.string().nullish(),
    SecurityChallenges: z.array(ChallengeWire).min(1),
    Tag: z.string().nullish(),
  })
  .transform(
    (body): MfaRequiredOutcome => ({
      kind: 'mfa',
      requestId: body.RequestId,
      institution: body.Institution ?? null,
      challenges: body.SecurityChallenges.map((challenge) => ({
        type: challenge.Type,
        prompt: challenge.Prompt,
        iterables: challenge.Iterables ?? [],
      })),
      tag: body.Tag ?? null,
    }),
  );

function authorizeBody(authorizeRequest: AuthorizeRequest): Record<string, unknown> {
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

function liveOptions(options: LiveOptions) {
  return {
    ...(options.language == null ? {} : { Language: options.language }),
    ...(options.save == null ? {} : { Save: options.save }),
    ...(options.tag == null ? {} : { Tag: options.tag }),
  };
}
