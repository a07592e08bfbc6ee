import type { FaultKind } from './faults.ts';

export interface JsonReply {
  readonly kind: 'json';
  readonly status: number;
  readonly body: unknown;
  readonly headers?: Readonly<Record<string, string>>;
  readonly delayMs?: number;
}

export interface HtmlReply {
  readonly kind: 'html';
  readonly status: number;
  readonly body: string;
}

/** A response that goes wrong on the wire (faults.ts); `status` is what the call log records. */
export interface FaultReply {
  readonly kind: 'fault';
  readonly fault: FaultKind;
  /** The normal answer, which a trickled body sends slowly. */
  readonly normal?: Reply;
}

export type Reply = JsonReply | HtmlReply | FaultReply;

export function json(
  status: number,
  body: unknown,
  extra: Pick<JsonReply, 'headers' | 'delayMs'> = {},
): JsonReply {
  return { kind: 'json', status, body, ...extra };
}

export function flinksError(
  status: number,
  code: string,
  message: string,
  fields: Readonly<Record<string, unknown>> = {},
  headers?: Readonly<Record<string, string>>,
): JsonReply {
  return json(
    status,
    { HttpStatusCode: status, FlinksCode: code, Message: message, ...fields },
    headers ? { headers } : {},
  );
}

export function invalidRequest(
  message: string,
  validationDetails?: Readonly<Record<string, readonly string[]>>,
): JsonReply {
  return flinksError(
    400,
    'INVALID_REQUEST',
    message,
    validationDetails ? { ValidationDetails: validationDetails } : {},
  );
}

// Flinks sends no FlinksCode with this one (FACTS.md, /GenerateAuthorizeToken).
export const INVALID_AUTHORIZE_TOKEN: JsonReply = json(401, {
  HttpStatusCode: 401,
  Message: 'You must provide a valid authorize token',
});

export const DATA_LINKS = [
  { rel: 'AccountsDetail', href: '/GetAccountsDetail', example: null },
  { rel: 'AccountsSummary', href: '/GetAccountsSummary', example: null },
  { rel: 'Statements', href: '/GetStatements', example: null },
] as const;

export const AUTHORIZE_LINKS = [
  { rel: 'Authorization', href: '/Authorize', example: null },
] as const;

export const BAD_GATEWAY_HTML =
  '<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n</body>\r\n</html>\r\n';
