import type { IncomingMessage } from 'node:http';
import { flinksError, json, type Reply } from './wire.ts';

export const ROUTE = /^\/v3\/([^/]+)\/BankingServices\/([^/]+)(?:\/([^/]+))?\/?$/i;

interface Endpoint {
  readonly name: string;
  readonly method: 'GET' | 'POST' | 'DELETE';
  /** Data endpoints want the `x-api-key`. */
  readonly data: boolean;
  /** The RequestId comes as the last path segment. */
  readonly withId: boolean;
}

export const ENDPOINTS: readonly Endpoint[] = [
  { name: 'GenerateAuthorizeToken', method: 'POST', data: false, withId: false },
  { name: 'Authorize', method: 'POST', data: false, withId: false },
  { name: 'GetAccountsSummary', method: 'POST', data: true, withId: false },
  { name: 'GetAccountsDetail', method: 'POST', data: true, withId: false },
  { name: 'GetAccountsDetailAsync', method: 'GET', data: true, withId: true },
  { name: 'GetStatements', method: 'POST', data: true, withId: false },
  { name: 'DeleteCard', method: 'DELETE', data: true, withId: true },
];
const MAX_BODY_BYTES = 1024 * 1024;

export interface ReceivedBody {
  readonly text: string;
  readonly tooLarge: boolean;
}

export async function readBody(req: IncomingMessage): Promise<ReceivedBody> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const bytes = Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk));
    size += bytes.length;
    if (size <= MAX_BODY_BYTES) chunks.push(bytes);
  }
  return { text: Buffer.concat(chunks).toString('utf8'), tooLarge: size > MAX_BODY_BYTES };
}

/** A request body: its JSON value, or not JSON. */
export type ParsedBody = { readonly ok: true; readonly value: unknown } | { readonly ok: false };

export function parseBody(text: string): ParsedBody {
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch {
    return { ok: false };
  }
}

function notFound(path: string): Reply {
  return json(404, {
    HttpStatusCode: 404,
    Message: `No HTTP resource was found that matches the request URI '${path}'.`,
  });
}

export function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value.join(', ') : value;
}

/** A request as the routes read it. */
export interface Received {
  readonly method: string;
  readonly path: string;
  readonly authKey: string | undefined;
  readonly apiKey: string | undefined;
  readonly body: ReceivedBody;
  readonly parsed: ParsedBody;
}

/**
 * The endpoint a request names and the reply to it: Flinks' own refusals (unknown path, another
 * customer id, wrong method, missing API key, a body too large) here, the rest from `dispatch`.
 */
export function route(
  request: Received,
  expected: { customerId: string; apiKey: string },
  dispatch: (endpoint: string, request: Received, id: string | undefined) => Reply,
): { endpoint: string | undefined; reply: Reply } {
  const { method, path } = request;
  const match = ROUTE.exec(path);
  if (match === null) return { endpoint: undefined, reply: notFound(path) };
  const endpoint = ENDPOINTS.find(({ name }) => name.toLowerCase() === match[2]?.toLowerCase());
  const name = endpoint?.name;
  if (match[1]?.toLowerCase() !== expected.customerId) {
    return {
      endpoint: name,
      reply: flinksError(401, 'UNAUTHORIZED', 'The customer id is not valid for this instance.'),
    };
  }
  const id = match[3];
  if (endpoint === undefined || endpoint.withId !== (id !== undefined)) {
    return { endpoint: endpoint?.withId ? name : undefined, reply: notFound(path) };
  }
  if (method !== endpoint.method) {
    return {
      endpoint: name,
      reply: json(
        405,
        {
          HttpStatusCode: 405,
          Message: `The requested resource does not support http method '${method}'.`,
        },
        { headers: { allow: endpoint.method } },
      ),
    };
  }
  if (endpoint.data && request.apiKey !== expected.apiKey) {
    return {
      endpoint: name,
      reply: flinksError(401, 'UNAUTHORIZED', 'You must provide a valid API key'),
    };
  }
  if (request.body.tooLarge) {
    return {
      endpoint: name,
      reply: flinksError(413, 'INVALID_REQUEST', 'The request body is too large.'),
    };
  }
  return { endpoint: name, reply: dispatch(endpoint.name, request, id) };
}
