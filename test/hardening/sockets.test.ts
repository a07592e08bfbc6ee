import { connect } from 'node:net';
import { Client } from 'undici';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.ts';
import { type HttpGateway, startHttpGateway } from '../support/http-gateway.ts';

let gw: HttpGateway | undefined;
afterEach(async () => {
  await gw?.close();
  gw = undefined;
});

interface Exchange {
  /** Everything the gateway wrote before it closed the socket. */
  received: string;
  /** Milliseconds from connecting until the gateway closed the socket. */
  closedAfterMs: number;
  /** Bytes of the body written before the close. */
  bodyBytesSent: number;
}

/**
 * Writes `head` at once, then the body one byte every `intervalMs` (the head too when
 * `trickleHead`), and waits until the gateway closes the socket or `giveUpMs` passes.
 */
function slowClient(
  port: number,
  options: {
    head: string;
    body?: string;
    trickleHead?: boolean;
    intervalMs: number;
    giveUpMs: number;
  },
): Promise<Exchange> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const socket = connect(port, '127.0.0.1');
    let received = '';
    let bodyBytesSent = 0;
    const pending = options.trickleHead ? options.head : (options.body ?? '');
    let index = 0;
    socket.on('connect', () => {
      if (!options.trickleHead) socket.write(options.head);
    });
    const timer = setInterval(() => {
      if (index < pending.length && !socket.destroyed) {
        socket.write(pending[index++] as string);
        if (!options.trickleHead) bodyBytesSent += 1;
      }
    }, options.intervalMs);
    const giveUp = setTimeout(() => {
      socket.destroy();
      reject(
        new Error(`the gateway still held the socket after ${options.giveUpMs} ms: ${received}`),
      );
    }, options.giveUpMs);
    socket.on('data', (chunk) => {
      received += chunk.toString('latin1');
    });
    socket.on('error', () => {});
    socket.on('close', () => {
      clearInterval(timer);
      clearTimeout(giveUp);
      resolve({ received, closedAfterMs: performance.now() - started, bodyBytesSent });
    });
  });
}

const head = (headers: Record<string, string | number>) =>
  `POST /graphql HTTP/1.1\r\nhost: 127.0.0.1\r\ncontent-type: application/json\r\n${Object.entries(
    headers,
  )
    .map(([name, value]) => `${name}: ${value}\r\n`)
    .join('')}\r\n`;

describe('slow and decided requests give their socket back', () => {
  it('drops a body trickled one byte at a time after HTTP_REQUEST_TIMEOUT_MS', async () => {
    gw = await startHttpGateway({
      HTTP_REQUEST_TIMEOUT_MS: '2000',
      HTTP_HEADERS_TIMEOUT_MS: '1000',
    });
    const body = JSON.stringify({ query: '{ __typename }' }).padEnd(1_000, ' ');
    const exchange = await slowClient(gw.port, {
      head: head({
        authorization: `Bearer ${await gw.token('alice')}`,
        'content-length': body.length,
      }),
      body,
      intervalMs: 100,
      giveUpMs: 10_000,
    });
    expect(exchange.received).toMatch(/^HTTP\/1\.1 408 /);
    expect(exchange.closedAfterMs).toBeGreaterThan(1_500);
    expect(exchange.closedAfterMs).toBeLessThan(6_000);
  });

  it('drops headers trickled one byte at a time after HTTP_HEADERS_TIMEOUT_MS', async () => {
    gw = await startHttpGateway({
      HTTP_REQUEST_TIMEOUT_MS: '5000',
      HTTP_HEADERS_TIMEOUT_MS: '1000',
    });
    const exchange = await slowClient(gw.port, {
      head: head({ 'x-padding': 'p'.repeat(200) }),
      trickleHead: true,
      intervalMs: 100,
      giveUpMs: 10_000,
    });
    expect(exchange.received).toMatch(/^HTTP\/1\.1 408 /);
    expect(exchange.closedAfterMs).toBeLessThan(4_000);
  });

  it.each([
    ['401 for a missing token', {}, 100_000, /^HTTP\/1\.1 401 /],
    [
      '413 for a declared length over the limit',
      { authorization: 'token' },
      200_000,
      /^HTTP\/1\.1 413 /,
    ],
  ])(
    'answers %s and closes the socket without reading the rest of the body',
    async (_name, extra, length, status) => {
      gw = await startHttpGateway();
      const headers: Record<string, string | number> = { 'content-length': length };
      if ('authorization' in extra) headers.authorization = `Bearer ${await gw.token('alice')}`;
      const exchange = await slowClient(gw.port, {
        head: head(headers),
        body: '{"query": "'.padEnd(length, 'x'),
        intervalMs: 20,
        giveUpMs: 10_000,
      });
      expect(exchange.received).toMatch(status);
      expect(exchange.received.toLowerCase()).toContain('connection: close');
      expect(exchange.closedAfterMs).toBeLessThan(3_000);
      expect(exchange.bodyBytesSent).toBeLessThan(length);
    },
  );

  it('keeps the connection of a request without a body answered at once (GET /health, twice)', async () => {
    gw = await startHttpGateway();
    const client = new Client(`http://127.0.0.1:${gw.port}`);
    let connections = 0;
    client.on('connect', () => connections++);
    try {
      for (let i = 0; i < 2; i++) {
        const response = await client.request({ path: '/health', method: 'GET' });
        await response.body.text();
        expect(response.statusCode).toBe(200);
        expect(response.headers.connection).not.toBe('close');
      }
      expect(connections).toBe(1);
    } finally {
      await client.close();
    }
  });

  it('refuses a request that declares both Content-Length and Transfer-Encoding (the body limit reads the declared length)', async () => {
    gw = await startHttpGateway();
    const exchange = await slowClient(gw.port, {
      head: head({ 'content-length': 10, 'transfer-encoding': 'chunked' }),
      body: '',
      intervalMs: 20,
      giveUpMs: 5_000,
    });
    expect(exchange.received).toMatch(/^HTTP\/1\.1 400 /);
  });

  it('by default drops a trickled body between 10 and 30 seconds', {
    timeout: 45_000,
  }, async () => {
    expect(loadConfig({}).http).toEqual({
      headersTimeoutMs: 10_000,
      requestTimeoutMs: 20_000,
      maxInFlight: 4_096,
      maxQueued: 20_000,
    });
    gw = await startHttpGateway();
    const body = JSON.stringify({ query: '{ __typename }' }).padEnd(1_000, ' ');
    const exchange = await slowClient(gw.port, {
      head: head({
        authorization: `Bearer ${await gw.token('alice')}`,
        'content-length': body.length,
      }),
      body,
      intervalMs: 500,
      giveUpMs: 40_000,
    });
    expect(exchange.received).toMatch(/^HTTP\/1\.1 408 /);
    expect(exchange.closedAfterMs).toBeGreaterThan(10_000);
    expect(exchange.closedAfterMs).toBeLessThan(30_000);
  });
});
