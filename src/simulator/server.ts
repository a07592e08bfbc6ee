import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createFlinksService, type ParsedBody } from './authorize.ts';
import { SIMULATOR_API_KEY, SIMULATOR_CUSTOMER_ID, SIMULATOR_SECRET_KEY } from './credentials.ts';
import { createDataService } from './data.ts';
import { toJsonText } from './money.ts';
import type { SessionStore } from './sessions.ts';
import { flinksError, json, type Reply } from './wire.ts';

export interface SimulatorOptions {
  /** The key `/GenerateAuthorizeToken` accepts in `flinks-auth-key`. Default SIMULATOR_SECRET_KEY. */
  secretKey?: string;
  /** The customer id expected in the path. Default SIMULATOR_CUSTOMER_ID. */
  customerId?: string;
  /** The `x-api-key` of the data endpoints. Default SIMULATOR_API_KEY. */
  apiKey?: string;
  /** Clock in milliseconds since the epoch, for expiry tests. Default Date.now. */
  now?: () => number;
  /** How long an unused authorize token stays valid. Default 30 minutes. */
  tokenLifetimeMs?: number;
  /** How long a RequestId may stay idle while authorizing. Default 8 minutes. */
  sessionIdleMs?: number;
  /**
   * How long an authorized RequestId may stay idle between data calls (each data call, polls
   * included, restarts it); then SESSION_EXPIRED. Default 30 minutes, Flinks' figure during data
   * processing.
   */
  dataLifetimeMs?: number;
  /** How long Greatday's first GetAccountsDetail per RequestId stays 202 OPERATION_PENDING. Default 1,500 ms. */
  detailDelayMs?: number;
  /** How long test_pending's and test_dispatched's first GetAccountsDetail stays 202. Default 20,000 ms. */
  pendingDelayMs?: number;
}

export interface SimulatorCall {
  /** The last path segment, e.g. 'Authorize'. */
  endpoint: string;
  method: string;
  status: number;
  /** The `flinks-auth-key` header as received. */
  authKey: string | undefined;
  /** The `x-api-key` header as received (sent to the data endpoints). */
  apiKey: string | undefined;
  /** The parsed JSON body; the raw text when it is not JSON; undefined when empty. */
  body: unknown;
}

export interface Simulator {
  /** node:http request listener */
  handle(req: IncomingMessage, res: ServerResponse): void;
  /** every request answered, in order (endpoint = last path segment, e.g. 'Authorize') */
  readonly calls: SimulatorCall[];
  countCalls(endpoint?: string): number;
  clearCalls(): void;
}

export interface RunningSimulator {
  /** The origin, e.g. http://127.0.0.1:41234 */
  url: string;
  simulator: Simulator;
  /** Stops listening and closes every connection, keep-alive ones included. */
  close(): Promise<void>;
}

export interface StartSimulatorOptions extends SimulatorOptions {
  /** Default 0: any free port. */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
}

const ROUTE = /^\/v3\/([^/]+)\/BankingServices\/([^/]+)(?:\/([^/]+))?\/?$/i;

interface Endpoint {
  readonly name: string;
  readonly method: 'GET' | 'POST';
  /** Data endpoints want the `x-api-key`. */
  readonly data: boolean;
  /** The RequestId comes as the last path segment. */
  readonly withId: boolean;
}

const ENDPOINTS: readonly Endpoint[] = [
  { name: 'GenerateAuthorizeToken', method: 'POST', data: false, withId: false },
  { name: 'Authorize', method: 'POST', data: false, withId: false },
  { name: 'GetAccountsSummary', method: 'POST', data: true, withId: false },
  { name: 'GetAccountsDetail', method: 'POST', data: true, withId: false },
  { name: 'GetAccountsDetailAsync', method: 'GET', data: true, withId: true },
  { name: 'GetStatements', method: 'POST', data: true, withId: false },
];
const MAX_BODY_BYTES = 1024 * 1024;
const JSON_CONTENT_TYPE = 'application/json; charset=utf-8';

interface ReceivedBody {
  readonly text: string;
  readonly tooLarge: boolean;
}

async function readBody(req: IncomingMessage): Promise<ReceivedBody> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const bytes = Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk));
    size += bytes.length;
    if (size <= MAX_BODY_BYTES) chunks.push(bytes);
  }
  return { text: Buffer.concat(chunks).toString('utf8'), tooLarge: size > MAX_BODY_BYTES };
}

function parseBody(text: string): ParsedBody {
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

/** Resolves true after `ms`, or false as soon as the response closes (client gone, server closing). */
function waitWhileOpen(res: ServerResponse, ms: number): Promise<boolean> {
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

function write(res: ServerResponse, reply: Reply): void {
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

function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value.join(', ') : value;
}

export function createSimulator(options: SimulatorOptions = {}): Simulator {
  const customerId = (options.customerId ?? SIMULATOR_CUSTOMER_ID).toLowerCase();
  const apiKey = options.apiKey ?? SIMULATOR_API_KEY;
  const now = options.now ?? Date.now;
  const sessions: SessionStore = new Map();
  const service = createFlinksService({
    secretKey: options.secretKey ?? SIMULATOR_SECRET_KEY,
    now,
    tokenLifetimeMs: options.tokenLifetimeMs ?? 30 * 60 * 1000,
    sessionIdleMs: options.sessionIdleMs ?? 8 * 60 * 1000,
    sessions,
  });
  const data = createDataService({
    now,
    sessions,
    dataLifetimeMs: options.dataLifetimeMs ?? 30 * 60 * 1000,
    detailDelayMs: options.detailDelayMs ?? 1_500,
    pendingDelayMs: options.pendingDelayMs ?? 20_000,
  });
  const calls: SimulatorCall[] = [];

  interface Received {
    readonly method: string;
    readonly path: string;
    readonly authKey: string | undefined;
    readonly apiKey: string | undefined;
    readonly body: ReceivedBody;
    readonly parsed: ParsedBody;
  }

  function route(request: Received): { endpoint: string | undefined; reply: Reply } {
    const { method, path } = request;
    const match = ROUTE.exec(path);
    if (match === null) return { endpoint: undefined, reply: notFound(path) };
    const endpoint = ENDPOINTS.find(({ name }) => name.toLowerCase() === match[2]?.toLowerCase());
    const name = endpoint?.name;
    if (match[1]?.toLowerCase() !== customerId) {
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
    if (endpoint.data && request.apiKey !== apiKey) {
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

  function dispatch(endpoint: string, request: Received, id: string | undefined): Reply {
    switch (endpoint) {
      case 'GenerateAuthorizeToken':
        return service.generateAuthorizeToken(request.authKey);
      case 'Authorize':
        return service.authorize(request.authKey, request.parsed);
      case 'GetAccountsSummary':
        return data.accountsSummary(request.parsed);
      case 'GetAccountsDetail':
        return data.accountsDetail(request.parsed);
      case 'GetAccountsDetailAsync':
        return data.accountsDetailAsync(decodeURIComponent(id ?? ''));
      default:
        return data.statements(request.parsed);
    }
  }

  async function respond(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const received = await readBody(req);
    const method = req.method ?? 'GET';
    const path = new URL(req.url ?? '/', 'http://simulator').pathname;
    const authKey = header(req, 'flinks-auth-key');
    const apiKey = header(req, 'x-api-key');
    const parsed = received.text === '' ? undefined : parseBody(received.text);
    let outcome: { endpoint: string | undefined; reply: Reply };
    try {
      outcome = route({
        method,
        path,
        authKey,
        apiKey,
        body: received,
        parsed: parsed ?? { ok: false },
      });
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      outcome = {
        endpoint: undefined,
        reply: json(500, { HttpStatusCode: 500, Message: `Simulator failure: ${message}` }),
      };
    }
    const { reply } = outcome;
    if (reply.kind === 'json' && reply.delayMs !== undefined) {
      if (!(await waitWhileOpen(res, reply.delayMs))) return;
    }
    if (res.destroyed) return;
    write(res, reply);
    calls.push({
      endpoint: outcome.endpoint ?? path.split('/').filter(Boolean).at(-1) ?? '',
      method,
      status: reply.status,
      authKey,
      apiKey,
      body: parsed === undefined ? undefined : parsed.ok ? parsed.value : received.text,
    });
  }

  return {
    handle(req, res) {
      respond(req, res).catch(() => {
        if (!res.headersSent) res.destroy();
      });
    },
    calls,
    countCalls(endpoint) {
      return endpoint === undefined
        ? calls.length
        : calls.filter((call) => call.endpoint === endpoint).length;
    },
    clearCalls() {
      calls.length = 0;
    },
  };
}

export async function startSimulator(
  options: StartSimulatorOptions = {},
): Promise<RunningSimulator> {
  const { port = 0, host = '127.0.0.1', ...simulatorOptions } = options;
  const simulator = createSimulator(simulatorOptions);
  const server = createServer(simulator.handle);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address();
  if (address === null || typeof address === 'string') {
    throw new Error(`The simulator is not listening on a TCP port: ${String(address)}`);
  }
  let closing: Promise<void> | undefined;
  return {
    url: `http://${host.includes(':') ? `[${host}]` : host}:${address.port}`,
    simulator,
    close() {
      closing ??= new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      });
      return closing;
    },
  };
}
