import { Writable } from 'node:stream';
import { afterAll, beforeAll, expect } from 'vitest';
import { FlinksClient, type FlinksClientOptions } from '../../src/flinks/client.ts';
import { createLogger } from '../../src/logger.ts';
import { createGateway } from '../../src/server.ts';
import {
  type RunningSimulator,
  SIMULATOR_API_KEY,
  SIMULATOR_CUSTOMER_ID,
  SIMULATOR_SECRET_KEY,
  type SimulatorOptions,
  startSimulator,
} from '../../src/simulator/index.ts';
import type { GatewayStore } from '../../src/store/index.ts';
import { type ConfigOverrides, testConfig } from './config.ts';

export interface GraphQLResponse {
  status: number;
  // biome-ignore lint/suspicious/noExplicitAny: tests read arbitrary response shapes
  body: any;
}

export interface TestGateway {
  simulator: RunningSimulator['simulator'];
  simulatorUrl: string;
  /** Every log line the gateway wrote, as JSON text. */
  logs: string[];
  graphql(
    query: string,
    variables?: Record<string, unknown>,
    headers?: Record<string, string>,
  ): Promise<GraphQLResponse>;
  fetch(path: string, init?: RequestInit): Promise<Response>;
  /** Authorize calls the simulator has answered so far. */
  authorizeCalls(): number;
  close(): Promise<void>;
}

/** A debug-level logger whose every line is kept, as JSON text, in `lines`. */
export function capturedLogger() {
  const lines: string[] = [];
  const logger = createLogger(
    'debug',
    new Writable({
      write(chunk, _encoding, done) {
        lines.push(String(chunk));
        done();
      },
    }),
  );
  return { logger, lines };
}

/** The gateway through `yoga.fetch`, on the real simulator over loopback HTTP and real undici. */
export async function startTestGateway(
  options: {
    simulator?: SimulatorOptions;
    client?: Partial<FlinksClientOptions>;
    now?: () => number;
    config?: ConfigOverrides;
    /** The operations GraphiQL opens with. */
    graphiqlOperations?: string;
    store?: GatewayStore;
  } = {},
): Promise<TestGateway> {
  const running = await startSimulator(options.simulator);
  const { logger, lines: logs } = capturedLogger();
  const flinks = new FlinksClient({
    baseUrl: running.url,
    customerId: options.simulator?.customerId ?? SIMULATOR_CUSTOMER_ID,
    secretKey: options.simulator?.secretKey ?? SIMULATOR_SECRET_KEY,
    apiKey: options.simulator?.apiKey ?? SIMULATOR_API_KEY,
    logger,
    ...options.client,
  });
  const gateway = createGateway(testConfig(options.config), {
    flinks,
    logger,
    now: options.now,
    store: options.store,
    graphiqlOperations: options.graphiqlOperations,
  });
  const responses: string[] = [];
  const sent: Sent = { passwords: new Set(), answers: new Set() };
  const fetchGateway = (path: string, init?: RequestInit) =>
    Promise.resolve(gateway.fetch(new Request(`http://gateway.test${path}`, init)));

  return {
    simulator: running.simulator,
    simulatorUrl: running.url,
    logs,
    fetch: fetchGateway,
    async graphql(query, variables, headers) {
      const response = await fetchGateway('/graphql', {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          accept: 'application/graphql-response+json',
          ...headers,
        },
        body: JSON.stringify({ query, variables }),
      });
      const text = await response.text();
      responses.push(text);
      collectSent(variables, sent);
      return { status: response.status, body: JSON.parse(text) };
    },
    authorizeCalls: () => running.simulator.countCalls('Authorize'),
    async close() {
      await flinks.close();
      await running.close();
      expectNothingSecret(
        logs,
        responses,
        [
          options.simulator?.secretKey ?? SIMULATOR_SECRET_KEY,
          options.simulator?.apiKey ?? SIMULATOR_API_KEY,
          ...running.simulator.calls.map((call) => call.authKey ?? ''),
        ],
        sent,
      );
    },
  };
}

interface Sent {
  passwords: Set<string>;
  answers: Set<string>;
}

/** Passwords and security answers in GraphQL variables, long enough to search for. */
function collectSent(value: unknown, into: Sent, key = ''): void {
  if (typeof value === 'string') {
    if (value.trim().length < 6) return;
    if (key === 'password') into.passwords.add(value);
    if (key === 'answers') into.answers.add(value);
  } else if (Array.isArray(value)) {
    for (const item of value) collectSent(item, into, key);
  } else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) collectSent(v, into, k);
  }
}

/**
 * Run by every TestGateway on close, so that the whole flow suite is a leak test: no log line
 * holds the secret key, a token, a password or an answer, and no response holds the secret key, a
 * token or a password. (A response may hold an answer: a choice answer is one of the iterables.)
 */
function expectNothingSecret(
  logs: string[],
  responses: string[],
  credentials: string[],
  sent: Sent,
): void {
  const never = [...credentials, ...sent.passwords].filter((secret) => secret.length > 0);
  const allResponses = responses.join('\n');
  const allLogs = logs.join('\n');
  expect(
    never.filter((secret) => allResponses.includes(secret)),
    'secrets in responses',
  ).toEqual([]);
  expect(
    [...never, ...sent.answers].filter((secret) => allLogs.includes(secret)),
    'secrets in log lines',
  ).toEqual([]);
}

/** Selects every member of AuthorizeResult. */
export const RESULT_FIELDS = /* GraphQL */ `
  __typename
  ... on AuthorizeSuccess {
    requestId institution institutionName institutionId tag
    login { id username lastRefresh isScheduledRefresh type }
  }
  ... on MfaRequired {
    requestId expiresAt
    challenges { type rawType prompt iterables responseKey images { value mimeType dataUrl } }
  }
  ... on Error { message flinksCode code retryable }
  ... on MfaAnswerRejectedError { sessionRequestId canRetry challenges { prompt } }
  ... on InstitutionUnavailableError { retryAfterSeconds }
  ... on RateLimitedError { retryAfterSeconds }
  ... on MfaAnswerInProgressError { retryAfterSeconds }
  ... on ServiceUnavailableError { retryAfterSeconds }
  ... on InvalidInputError { issues { path message } }
`;

export const AUTHORIZE = /* GraphQL */ `
  mutation Authorize($input: AuthorizeInput!) { authorize(input: $input) { ${RESULT_FIELDS} } }
`;

export const ANSWER_MFA = /* GraphQL */ `
  mutation AnswerMfa($input: AnswerMfaInput!) { answerMfa(input: $input) { ${RESULT_FIELDS} } }
`;

export function credentials(username: string, extra: Record<string, unknown> = {}) {
  return {
    input: {
      credentials: { institution: 'FlinksCapital', username, password: 'Everyday', ...extra },
    },
  };
}

export function answer(requestId: string, responses: Record<string, string[]>) {
  return {
    input: {
      requestId,
      responses: Object.entries(responses).map(([prompt, answers]) => ({ prompt, answers })),
    },
  };
}

/**
 * The gateway of a test file (or describe): started before its tests, closed after them. Call it
 * at the top level of the file; the members read the started gateway.
 */
export function useTestGateway(options?: Parameters<typeof startTestGateway>[0]): TestGateway {
  let started: TestGateway | undefined;
  beforeAll(async () => {
    started = await startTestGateway(options);
  });
  afterAll(async () => {
    await started?.close();
  });
  const current = (): TestGateway => {
    if (!started) throw new Error('The test gateway starts in beforeAll.');
    return started;
  };
  return {
    get simulator() {
      return current().simulator;
    },
    get simulatorUrl() {
      return current().simulatorUrl;
    },
    get logs() {
      return current().logs;
    },
    graphql: (...args) => current().graphql(...args),
    fetch: (...args) => current().fetch(...args),
    authorizeCalls: () => current().authorizeCalls(),
    close: () => current().close(),
  };
}
