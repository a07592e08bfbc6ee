import type { ServerResponse } from 'node:http';
import { toJsonText } from './money.ts';

/**
 * What can go wrong between a gateway and Flinks, as the simulator plays it: selected per request
 * by dedicated usernames and LoginIds (users.ts), or for every request by a global setting.
 */
export type FaultKind =
  /** 502 with an empty body. */
  | '502'
  /** 502 with an HTML body, as a proxy in front of Flinks answers. */
  | '502-html'
  /** 503 with an empty body. */
  | '503'
  /** 503 with an HTML body. */
  | '503-html'
  /** 429 TOO_MANY_REQUESTS with `Retry-After` (Faults.retryAfterSeconds). */
  | '429'
  /** 200, content-type JSON, a body that is not JSON (cut mid-object, length announced). */
  | 'malformed-json'
  /** Headers announce more bytes than are sent, then the socket is destroyed. */
  | 'cut-body'
  /** The socket is reset before any response byte. */
  | 'reset'
  /** A normal answer whose body arrives one byte every Faults.trickleIntervalMs. */
  | 'trickle';

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

export const JSON_CONTENT_TYPE = 'application/json; charset=utf-8';

/** Writes a JSON or HTML reply (a fault is written by faults.ts). */
export function write(res: ServerResponse, reply: Exclude<Reply, FaultReply>): void {
  if (reply.kind === 'html') {
    res.writeHead(reply.status, { 'content-type': 'text/html; charset=utf-8' });
    res.end(reply.body);
    return;
  }
  const payload = toJsonText(reply.body);
  res.writeHead(reply.status, {
    ...reply.headers,
    'content-type': JSON_CONTENT_TYPE,
    'content-length': Buffer.byteLength(payload),
  });
  res.end(payload);
}

/** Resolves true after `ms`, or false as soon as the response closes (client gone, server closing). */
export function waitWhileOpen(res: ServerResponse, ms: number): Promise<boolean> {
  return new Promise((resolve) => {
    if (res.destroyed) {
      resolve(false);
      return;
    }
    const onClose = () => {
      clearTimeout(timer);
      resolve(false);
    };
    const timer = setTimeout(() => {
      res.off('close', onClose);
      resolve(true);
    }, ms);
    res.once('close', onClose);
  });
}
