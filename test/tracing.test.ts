import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.ts';
import {
  type RunningSimulator,
  SIMULATOR_API_KEY,
  SIMULATOR_SECRET_KEY,
  simulatorLoginId,
  startSimulator,
} from '../src/simulator/index.ts';
import { startGateway } from '../src/start.ts';
import { capturedLogger } from './support/gateway.ts';
import { startPostgres, type TestPostgres } from './support/postgres.ts';

interface OtlpAttribute {
  key: string;
  value: { stringValue?: string; intValue?: number | string };
}
interface OtlpSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  kind: number;
  attributes: OtlpAttribute[];
}

/** A protobuf message as its fields: number → values (varints as bigint, the rest as bytes). */
function protobufFields(bytes: Uint8Array): Map<number, Array<bigint | Uint8Array>> {
  const fields = new Map<number, Array<bigint | Uint8Array>>();
  let at = 0;
  const varint = () => {
    let value = 0n;
    for (let shift = 0n; ; shift += 7n) {
      const byte = bytes[at++] as number;
      value |= BigInt(byte & 0x7f) << shift;
      if (byte < 0x80) return value;
    }
  };
  while (at < bytes.length) {
    const key = Number(varint());
    const wireType = key & 7;
    let value: bigint | Uint8Array;
    if (wireType === 0) value = varint();
    else if (wireType === 2) {
      const length = Number(varint());
      value = bytes.subarray(at, at + length);
      at += length;
    } else {
      const length = wireType === 1 ? 8 : 4;
      value = bytes.subarray(at, at + length);
      at += length;
    }
    const list = fields.get(key >>> 3) ?? [];
    list.push(value);
    fields.set(key >>> 3, list);
  }
  return fields;
}

const messages = (fields: Map<number, Array<bigint | Uint8Array>>, field: number) =>
  (fields.get(field) ?? []).map((value) => protobufFields(value as Uint8Array));
const text = (fields: Map<number, Array<bigint | Uint8Array>>, field: number) => {
  const value = fields.get(field)?.[0];
  return value === undefined ? undefined : Buffer.from(value as Uint8Array).toString('utf8');
};
const hex = (fields: Map<number, Array<bigint | Uint8Array>>, field: number) => {
  const value = fields.get(field)?.[0] as Uint8Array | undefined;
  return value && value.length > 0 ? Buffer.from(value).toString('hex') : undefined;
};

/** The spans of an OTLP protobuf ExportTraceServiceRequest, in the shape of its JSON encoding. */
function protobufSpans(body: Buffer): OtlpSpan[] {
  const spans: OtlpSpan[] = [];
  for (const resourceSpans of messages(protobufFields(body), 1)) {
    for (const scopeSpans of messages(resourceSpans, 2)) {
      for (const span of messages(scopeSpans, 2)) {
        spans.push({
          traceId: hex(span, 1) ?? '',
          spanId: hex(span, 2) ?? '',
          parentSpanId: hex(span, 4),
          name: text(span, 5) ?? '',
          kind: Number(span.get(6)?.[0] ?? 0),
          attributes: messages(span, 9).map((keyValue) => {
            const value = messages(keyValue, 2)[0];
            const int = value?.get(3)?.[0];
            return {
              key: text(keyValue, 1) ?? '',
              value:
                int === undefined
                  ? { stringValue: value && text(value, 1) }
                  : { intValue: Number(int) },
            };
          }),
        });
      }
    }
  }
  return spans;
}

/** An OTLP/HTTP receiver on loopback, JSON or protobuf: every span POSTed to /v1/traces. */
async function startReceiver() {
  const spans: OtlpSpan[] = [];
  const bodies: Buffer[] = [];
  const contentTypes = new Set<string>();
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      if (request.url === '/v1/traces') {
        const body = Buffer.concat(chunks);
        bodies.push(body);
        const type = request.headers['content-type'] ?? '';
        contentTypes.add(type);
        if (type === 'application/x-protobuf') spans.push(...protobufSpans(body));
        else {
          for (const resource of JSON.parse(body.toString()).resourceSpans ?? []) {
            for (const scope of resource.scopeSpans ?? []) spans.push(...scope.spans);
          }
        }
      }
      response.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    spans,
    bodies,
    contentTypes,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

const attribute = (span: OtlpSpan | undefined, key: string) => {
  const value = span?.attributes.find((a) => a.key === key)?.value;
  return value?.stringValue ?? (value?.intValue === undefined ? undefined : Number(value.intValue));
};

const CALLER_TRACE = '4bf92f3577b34da6a3ce929d0e0e4736';
const CALLER_SPAN = '00f067aa0ba902b7';
const MFA_TRACE = '0af7651916cd43dd8448eb211c80319c';
const REFUSED_TRACE = '5b8aa5a2d2c872e8321cf37308d69df2';
const PASSWORD = 'Everyday';
const ANSWERS = ['Montreal', 'Triangle'];

let postgres: TestPostgres;
beforeAll(async () => {
  postgres = await startPostgres();
});
afterAll(async () => {
  await postgres.close();
});

describe.each([
  ['http/protobuf', 'application/x-protobuf'],
  ['http/json', 'application/json'],
] as const)('OpenTelemetry traces over OTLP %s', (protocol, contentType) => {
  let simulator: RunningSimulator;
  let receiver: Awaited<ReturnType<typeof startReceiver>>;

  beforeAll(async () => {
    simulator = await startSimulator();
    receiver = await startReceiver();
    const databaseUrl = await postgres.createDatabase(`tracing_${protocol.slice(5)}`);
    const { logger } = capturedLogger();
    const gateway = await startGateway(
      loadConfig({
        PORT: '0',
        FLINKS_BASE_URL: simulator.url,
        FLINKS_SECRET_KEY: SIMULATOR_SECRET_KEY,
        FLINKS_API_KEY: SIMULATOR_API_KEY,
        OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
        OTEL_SERVICE_NAME: 'gateway-under-test',
        OTEL_EXPORTER_OTLP_TRACES_PROTOCOL: protocol,
        DATABASE_URL: databaseUrl,
      }),
      logger,
    );
    const post = async (traceparent: string, query: string, variables: object) => {
      const response = await fetch(gateway.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', traceparent },
        body: JSON.stringify({ query, variables }),
      });
      return (await response.json()) as { data: Record<string, Record<string, unknown>> };
    };
    await post(
      `00-${CALLER_TRACE}-${CALLER_SPAN}-01`,
      'mutation CachedAuthorize($loginId: ID!) { authorize(input: { cached: { loginId: $loginId } }) { __typename } }',
      { loginId: simulatorLoginId('Greatday') },
    );
    // A live login and both MFA rounds, under one trace, with the password and the answers.
    const mfa = `00-${MFA_TRACE}-${CALLER_SPAN}-01`;
    const login = await post(
      mfa,
      'mutation Live($password: String!) { authorize(input: { credentials: { institution: "FlinksCapital", username: "Greatday", password: $password } }) { __typename ... on MfaRequired { requestId challenges { prompt } } } }',
      { password: PASSWORD },
    );
    let step = login.data.authorize as { requestId: string; challenges: { prompt: string }[] };
    for (const answer of ANSWERS) {
      const result = await post(
        mfa,
        'mutation Answer($input: AnswerMfaInput!) { answerMfa(input: $input) { __typename ... on MfaRequired { requestId challenges { prompt } } } }',
        {
          input: {
            requestId: step.requestId,
            responses: [{ prompt: step.challenges[0]?.prompt, answers: [answer] }],
          },
        },
      );
      step = result.data.answerMfa as typeof step;
    }
    await post(
      `00-${REFUSED_TRACE}-${CALLER_SPAN}-01`,
      'mutation Disabled($loginId: ID!) { authorize(input: { cached: { loginId: $loginId } }) { __typename } }',
      { loginId: simulatorLoginId('test_disabled_account') },
    );
    // Closing flushes the batch of spans to the receiver.
    await gateway.close();
  });
  afterAll(async () => {
    await receiver.close();
    await simulator.close();
  });

  it(`exports ${contentType}`, () => {
    expect([...receiver.contentTypes]).toEqual([contentType]);
    expect(receiver.spans.length).toBeGreaterThan(0);
  });

  it('continues the caller’s traceparent with the operation’s span and its Flinks call', () => {
    const mine = receiver.spans.filter((span) => span.traceId === CALLER_TRACE);
    const operation = mine.find((span) => span.name === 'mutation CachedAuthorize');
    expect(operation?.parentSpanId).toBe(CALLER_SPAN);
    expect(attribute(operation, 'graphql.operation.type')).toBe('mutation');
    expect(attribute(operation, 'graphql.operation.name')).toBe('CachedAuthorize');
    expect(attribute(operation, 'graphql.result.authorize')).toBe('AuthorizeSuccess');
    const call = mine.find((span) => span.name === 'flinks Authorize');
    expect(call?.parentSpanId).toBe(operation?.spanId);
    expect(attribute(call, 'flinks.endpoint')).toBe('Authorize');
    expect(attribute(call, 'http.response.status_code')).toBe(200);
    expect(attribute(call, 'flinks.attempt')).toBe(1);
    // The store is remote: its statements are spans of the operation too.
    const statements = mine.filter((span) => attribute(span, 'db.system.name') === 'postgresql');
    expect(statements.length).toBeGreaterThan(0);
    for (const statement of statements) {
      expect(statement.parentSpanId).toBe(operation?.spanId);
      expect(statement.name).toMatch(/^(SELECT|INSERT|UPDATE|DELETE|WITH) gateway_\w+$/);
    }
  });

  it('traces token calls on their own: a token may go to any caller in line', () => {
    const tokenCalls = receiver.spans.filter(
      (span) => span.name === 'flinks GenerateAuthorizeToken',
    );
    expect(tokenCalls.length).toBeGreaterThan(0);
    for (const call of tokenCalls) {
      expect(call.parentSpanId || undefined).toBeUndefined();
      expect([CALLER_TRACE, MFA_TRACE, REFUSED_TRACE]).not.toContain(call.traceId);
    }
  });

  it('records the FlinksCode of a refused call and the error member it became', () => {
    const mine = receiver.spans.filter((span) => span.traceId === REFUSED_TRACE);
    const call = mine.find((span) => span.name === 'flinks Authorize');
    expect(attribute(call, 'http.response.status_code')).toBe(401);
    expect(attribute(call, 'flinks.code')).toBe('DISABLED_LOGIN');
    const operation = mine.find((span) => span.name === 'mutation Disabled');
    expect(attribute(operation, 'graphql.result.authorize')).toBe('LoginActionRequiredError');
  });

  it('names each MFA round’s result and the status of each call', () => {
    const mine = receiver.spans.filter((span) => span.traceId === MFA_TRACE);
    expect(mine.filter((s) => s.name.startsWith('mutation ')).map((s) => s.name)).toEqual([
      'mutation Live',
      'mutation Answer',
      'mutation Answer',
    ]);
    const results = mine
      .filter((s) => s.name.startsWith('mutation '))
      .map(
        (s) => attribute(s, 'graphql.result.authorize') ?? attribute(s, 'graphql.result.answerMfa'),
      );
    expect(results).toEqual(['MfaRequired', 'MfaRequired', 'AuthorizeSuccess']);
    const statuses = mine
      .filter((s) => s.name === 'flinks Authorize')
      .map((s) => attribute(s, 'http.response.status_code'));
    expect(statuses).toEqual([203, 203, 200]);
  });

  it('names the service, and puts no password, answer, LoginId, token, key or database password in any span', () => {
    // Strings travel as UTF-8 in protobuf as in JSON: a secret in any attribute would show here.
    const exported = receiver.bodies.map((body) => body.toString('utf8')).join('\n');
    expect(exported).toContain('gateway-under-test');
    const tokens = simulator.simulator.calls.map((call) => call.authKey).filter(Boolean);
    const requestIds = simulator.simulator.calls.flatMap((call) =>
      typeof call.body === 'object' && call.body && 'RequestId' in call.body
        ? [String((call.body as { RequestId: unknown }).RequestId)]
        : [],
    );
    const secrets = [
      PASSWORD,
      ...ANSWERS,
      simulatorLoginId('Greatday'),
      simulatorLoginId('test_disabled_account'),
      SIMULATOR_SECRET_KEY,
      SIMULATOR_API_KEY,
      postgres.password,
      ...tokens,
      ...requestIds,
    ];
    expect(tokens.length).toBeGreaterThan(0);
    for (const secret of secrets) expect(exported).not.toContain(secret as string);
  });
});
