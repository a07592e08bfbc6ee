import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createFlinksService } from './authorize.ts';
import { SIMULATOR_API_KEY, SIMULATOR_CUSTOMER_ID, SIMULATOR_SECRET_KEY } from './credentials.ts';
import { createDataService } from './data.ts';
import { type Faults, seededRandom, writeFault } from './faults.ts';
import { ENDPOINTS, header, parseBody, type Received, ROUTE, readBody, route } from './routes.ts';
import type { SessionStore } from './sessions.ts';
import { type FaultKind, json, type Reply, waitWhileOpen, write } from './wire.ts';

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
  /** Faults for every request (load runs); change them later with `setFaults`. Default none. */
  faults?: Faults;
  /**
   * Accept any non-empty `flinks-auth-key` on /Authorize, as if minted: lets a benchmark measure
   * one /Authorize round trip on its own. Default false.
   */
  anyAuthorizeToken?: boolean;
  /**
   * How long after an authorization of a LoginId `/DeleteCard` answers 400 CARD_IN_USE, as Flinks
   * does while it still processes the account (FACTS.md). Default 2,000 ms.
   */
  cardInUseMs?: number;
  /** Keep every call in `calls` (tests). False keeps only the counts, for long load runs. Default true. */
  recordCalls?: boolean;
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
  /** The fault the call was answered with (`status` is 0 for a reset); absent for a normal answer. */
  fault?: FaultKind;
}

export interface Simulator {
  /** node:http request listener */
  handle(req: IncomingMessage, res: ServerResponse): void;
  /** every request answered, in order (endpoint = last path segment, e.g. 'Authorize') */
  readonly calls: SimulatorCall[];
  countCalls(endpoint?: string): number;
  clearCalls(): void;
  /** Replaces the global faults (`{}` turns them off); the failure draw restarts from its seed. */
  setFaults(faults: Faults): void;
  /** The global faults in force. */
  readonly faults: Readonly<Faults>;
}

export interface RunningSimulator {
  /** The origin, e.g. http://127.0.0.1:41234 */
  url: string;
  simulator: Simulator;
  /** Stops listening and closes every connection, keep-alive ones included. */
  close(): Promise<void>;
  /**
   * Like close, but `start` may listen again: meanwhile connections to the port are refused
   * (Flinks down).
   */
  stop(): Promise<void>;
  /** Listens again on the same host and port after `stop`. */
  start(): Promise<void>;
}

export interface StartSimulatorOptions extends SimulatorOptions {
  /** Default 0: any free port. */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
}

function statusOf(reply: Reply): number {
  if (reply.kind !== 'fault') return reply.status;
  switch (reply.fault) {
    case 'reset':
      return 0;
    case '429':
      return 429;
    case '502':
    case '502-html':
      return 502;
    case '503':
    case '503-html':
      return 503;
    default:
      return reply.normal?.kind === 'json' || reply.normal?.kind === 'html'
        ? reply.normal.status
        : 200;
  }
}

export function createSimulator(options: SimulatorOptions = {}): Simulator {
  const customerId = (options.customerId ?? SIMULATOR_CUSTOMER_ID).toLowerCase();
  const expectedApiKey = options.apiKey ?? SIMULATOR_API_KEY;
  const now = options.now ?? Date.now;
  const sessions: SessionStore = new Map();
  const service = createFlinksService({
    secretKey: options.secretKey ?? SIMULATOR_SECRET_KEY,
    now,
    tokenLifetimeMs: options.tokenLifetimeMs ?? 30 * 60 * 1000,
    sessionIdleMs: options.sessionIdleMs ?? 8 * 60 * 1000,
    sessions,
    anyAuthorizeToken: options.anyAuthorizeToken ?? false,
    cardInUseMs: options.cardInUseMs ?? 2_000,
  });
  const data = createDataService({
    now,
    sessions,
    dataLifetimeMs: options.dataLifetimeMs ?? 30 * 60 * 1000,
    detailDelayMs: options.detailDelayMs ?? 1_500,
    pendingDelayMs: options.pendingDelayMs ?? 20_000,
  });
  const calls: SimulatorCall[] = [];
  const counts = new Map<string, number>();
  const recordCalls = options.recordCalls ?? true;
  let faults: Readonly<Faults> = { ...options.faults };
  let draw = seededRandom(faults.seed ?? 1);

  /** A global fault for a call to a known endpoint, or undefined. */
  function globalFault(endpoint: string | undefined): FaultKind | undefined {
    if (endpoint === undefined) return undefined;
    if (endpoint === 'GenerateAuthorizeToken' && faults.tokenFault) return faults.tokenFault;
    const rate = faults.failureRate ?? 0;
    if (rate <= 0 || draw() >= rate) return undefined;
    const kinds = faults.failureKinds?.length ? faults.failureKinds : (['503'] as const);
    return kinds[Math.floor(draw() * kinds.length)] ?? kinds[0];
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
      case 'DeleteCard':
        return service.deleteCard(decodeURIComponent(id ?? ''));
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
    const known = ENDPOINTS.find(
      ({ name }) => name.toLowerCase() === ROUTE.exec(path)?.[2]?.toLowerCase(),
    )?.name;
    // A global fault stands in front of Flinks, like a proxy: the call does not reach it, so no
    // token is spent, except a trickle, which is Flinks' own answer sent slowly.
    const injected = globalFault(known);
    try {
      outcome =
        injected && injected !== 'trickle'
          ? { endpoint: known, reply: { kind: 'fault', fault: injected } }
          : route(
              { method, path, authKey, apiKey, body: received, parsed: parsed ?? { ok: false } },
              { customerId, apiKey: expectedApiKey },
              dispatch,
            );
      if (injected === 'trickle' && outcome.reply.kind !== 'fault') {
        outcome = { ...outcome, reply: { kind: 'fault', fault: 'trickle', normal: outcome.reply } };
      }
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      outcome = {
        endpoint: undefined,
        reply: json(500, { HttpStatusCode: 500, Message: `Simulator failure: ${message}` }),
      };
    }
    const { reply } = outcome;
    const delayMs = (faults.latencyMs ?? 0) + (reply.kind === 'json' ? (reply.delayMs ?? 0) : 0);
    if (delayMs > 0 && !(await waitWhileOpen(res, delayMs))) return;
    if (res.destroyed) return;
    const endpoint = outcome.endpoint ?? path.split('/').filter(Boolean).at(-1) ?? '';
    counts.set(endpoint, (counts.get(endpoint) ?? 0) + 1);
    const call: SimulatorCall = {
      endpoint,
      method,
      status: statusOf(reply),
      authKey,
      apiKey,
      body: parsed === undefined ? undefined : parsed.ok ? parsed.value : received.text,
      ...(reply.kind === 'fault' ? { fault: reply.fault } : {}),
    };
    if (recordCalls) calls.push(call);
    if (reply.kind === 'fault') await writeFault(res, reply, faults);
    else write(res, reply);
  }

  return {
    handle(req, res) {
      respond(req, res).catch(() => {
        if (!res.headersSent) res.destroy();
      });
    },
    calls,
    countCalls(endpoint) {
      if (endpoint !== undefined) return counts.get(endpoint) ?? 0;
      let total = 0;
      for (const count of counts.values()) total += count;
      return total;
    },
    clearCalls() {
      calls.length = 0;
      counts.clear();
    },
    setFaults(next) {
      faults = { ...next };
      draw = seededRandom(faults.seed ?? 1);
    },
    get faults() {
      return faults;
    },
  };
}

export async function startSimulator(
  options: StartSimulatorOptions = {},
): Promise<RunningSimulator> {
  const { port = 0, host = '127.0.0.1', ...simulatorOptions } = options;
  const simulator = createSimulator(simulatorOptions);
  const server = createServer(simulator.handle);
  const listen = (on: number) =>
    new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(on, host, () => {
        server.off('error', reject);
        resolve();
      });
    });
  await listen(port);
  const address = server.address();
  if (address === null || typeof address === 'string') {
    throw new Error(`The simulator is not listening on a TCP port: ${String(address)}`);
  }
  const stop = () =>
    new Promise<void>((resolve, reject) => {
      if (!server.listening) {
        resolve();
        return;
      }
      server.close((error) => (error ? reject(error) : resolve()));
      server.closeAllConnections();
    });
  let closing: Promise<void> | undefined;
  return {
    url: `http://${host.includes(':') ? `[${host}]` : host}:${address.port}`,
    simulator,
    close() {
      closing ??= stop();
      return closing;
    },
    stop,
    async start() {
      if (closing) throw new Error('The simulator is closed; stop() it to start it again');
      if (!server.listening) await listen(address.port);
    },
  };
}
