import { SpanKind, SpanStatusCode, type Tracer } from '@opentelemetry/api';
import type { Logger } from 'pino';
import { type Dispatcher, Pool } from 'undici';
import { InstitutionUnavailableError } from '../errors.ts';
import { FlinksContractError, FlinksUnreachableError } from './errors.ts';
import { flinksCodeOf } from './wire/error.ts';

export interface FlinksTimeouts {
  /** TCP + TLS connect. */
  connectMs: number;
  /** From request sent to response headers. A live bank login takes tens of seconds. */
  headersMs: number;
  /** Longest pause between two chunks of a response body. */
  bodyMs: number;
}

export const DEFAULT_TIMEOUTS: FlinksTimeouts = {
  connectMs: 10_000,
  headersMs: 120_000,
  bodyMs: 30_000,
};

/** What the client reports of each upstream exchange; implemented with Prometheus in metrics.ts. */
export interface FlinksMetrics {
  upstream(
    endpoint: string,
    status: number | 'error',
    flinksCode: string | null,
    seconds: number,
  ): void;
  retry(endpoint: string): void;
}

/** One request to Flinks, under `.../v3/{customerId}/BankingServices/`, as wire/ writes it. */
export interface FlinksRequest {
  method: 'GET' | 'POST' | 'DELETE';
  /** The endpoint's name, all that metrics, spans and logs are told: a path may carry an id. */
  endpoint: string;
  /** The endpoint, and for some a LoginId or RequestId after it. */
  path: string;
  /** JSON text. */
  body?: string;
}

export interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
}

export interface TransportOptions {
  /** Flinks API origin, e.g. `https://toolbox-api.private.fin.ag`. */
  baseUrl: string;
  customerId: string;
  timeouts?: Partial<FlinksTimeouts>;
  /** Largest response body read, in bytes; a larger one is a broken contract. */
  maxResponseBytes?: number;
  /** Replaces the client's own keep-alive Pool (tests pass an undici MockAgent). */
  dispatcher?: Dispatcher;
  /** Connections the Pool may open to Flinks. */
  connections?: number;
  metrics?: FlinksMetrics;
  /** A span per upstream exchange (OpenTelemetry), child of the active one. */
  tracer?: Tracer;
  logger?: Logger;
}

/**
 * One HTTP exchange with Flinks over undici: the timeouts, the size cap, the span, the metrics and
 * the log line of each call. Statuses are returned as they are; what they mean is the client's.
 */
export class FlinksTransport {
  readonly #origin: string;
  readonly #basePath: string;
  readonly #timeouts: FlinksTimeouts;
  readonly #maxResponseBytes: number;
  readonly #dispatcher: Dispatcher;
  readonly #ownsDispatcher: boolean;
  readonly #logger: Logger | undefined;
  readonly #metrics: FlinksMetrics | undefined;
  readonly #tracer: Tracer | undefined;
  readonly #host: string;

  constructor(options: TransportOptions) {
    const base = new URL(options.baseUrl);
    this.#origin = base.origin;
    this.#basePath = `${base.pathname.replace(/\/+$/, '')}/v3/${encodeURIComponent(options.customerId)}/BankingServices`;
    this.#timeouts = { ...DEFAULT_TIMEOUTS, ...options.timeouts };
    this.#maxResponseBytes = options.maxResponseBytes ?? 8 * 1024 * 1024;
    this.#logger = options.logger;
    this.#metrics = options.metrics;
    this.#tracer = options.tracer;
    this.#host = base.hostname;
    this.#ownsDispatcher = options.dispatcher === undefined;
    this.#dispatcher =
      options.dispatcher ??
      new Pool(this.#origin, {
        connect: { timeout: this.#timeouts.connectMs },
        headersTimeout: this.#timeouts.headersMs,
        bodyTimeout: this.#timeouts.bodyMs,
        keepAliveTimeout: 30_000,
        connections: options.connections ?? 256,
        // undici 8 speaks HTTP/2 when TLS offers it; `connections` and the timeouts above are
        // HTTP/1.1 figures, and every test and the simulator run HTTP/1.1.
        allowH2: false,
      });
  }

  async close(): Promise<void> {
    if (this.#ownsDispatcher) await this.#dispatcher.close();
  }

  /** Sends `request` with `headers` (its credentials) and reads the whole answer. */
  async exchange(
    request: FlinksRequest,
    headers: Record<string, string>,
    signal: AbortSignal | undefined,
    attempt: number,
  ): Promise<RawResponse> {
    const { method, endpoint, path, body } = request;
    const started = performance.now();
    let status: number | 'error' = 'error';
    let flinksCode: string | null = null;
    // Endpoint names only: a data path carries the LoginId or RequestId.
    const span = this.#tracer?.startSpan(`flinks ${endpoint}`, {
      kind: SpanKind.CLIENT,
      attributes: {
        'flinks.endpoint': endpoint,
        'flinks.attempt': attempt,
        'http.request.method': method,
        'server.address': this.#host,
      },
    });
    try {
      // The dispatcher itself, not undici's request(url): no URL parsed per call.
      const response = await this.#dispatcher.request({
        origin: this.#origin,
        path: `${this.#basePath}/${path}`,
        method,
        headers: { accept: 'application/json', 'content-type': 'application/json', ...headers },
        body,
        signal,
        headersTimeout: this.#timeouts.headersMs,
        bodyTimeout: this.#timeouts.bodyMs,
      });
      const text = await readText(response.body, this.#maxResponseBytes);
      if (text === null) {
        throw new FlinksContractError(`Flinks sent a body over ${this.#maxResponseBytes} bytes.`, {
          endpoint,
          status: response.statusCode,
        });
      }
      status = response.statusCode;
      const raw = { status, headers: response.headers, text };
      if (status >= 300) flinksCode = flinksCodeOf(raw.text);
      return raw;
    } catch (error) {
      if (signal?.aborted) throw aborted(signal.reason);
      if (error instanceof FlinksContractError) throw error;
      this.#logger?.warn(
        {
          endpoint,
          err: { code: (error as { code?: unknown }).code, message: (error as Error).message },
        },
        'flinks unreachable',
      );
      throw new FlinksUnreachableError(
        isTimeout(error)
          ? 'Flinks did not answer in time. Try again later.'
          : 'Flinks could not be reached. Try again later.',
        { cause: error },
      );
    } finally {
      const seconds = (performance.now() - started) / 1000;
      this.#metrics?.upstream(endpoint, status, flinksCode, seconds);
      if (span) {
        if (status === 'error') span.setStatus({ code: SpanStatusCode.ERROR });
        else span.setAttribute('http.response.status_code', status);
        if (flinksCode) span.setAttribute('flinks.code', flinksCode);
        span.end();
      }
      this.#logger?.debug({ endpoint, status, ms: Math.round(seconds * 1000) }, 'flinks call');
    }
  }
}

/**
 * What to throw when the caller's signal ended a call: the gateway's own per-request deadline is
 * a typed timeout; anything else (the client went away) is rethrown as is.
 */
export function aborted(reason: unknown): unknown {
  if ((reason as { name?: unknown } | null)?.name === 'TimeoutError') {
    return new InstitutionUnavailableError('Flinks did not answer in time. Try again later.', {
      cause: reason,
    });
  }
  return reason;
}

/** The whole body as text, or null when it exceeds `maxBytes` (the rest is discarded). */
async function readText(
  body: Dispatcher.ResponseData['body'],
  maxBytes: number,
): Promise<string | null> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    size += (chunk as Buffer).length;
    if (size > maxBytes) {
      body.destroy();
      return null;
    }
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function isTimeout(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return (
    code === 'UND_ERR_CONNECT_TIMEOUT' ||
    code === 'UND_ERR_HEADERS_TIMEOUT' ||
    code === 'UND_ERR_BODY_TIMEOUT'
  );
}
