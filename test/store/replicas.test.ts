import { type ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type RunningSimulator,
  SIMULATOR_API_KEY,
  SIMULATOR_CUSTOMER_ID,
  SIMULATOR_SECRET_KEY,
  simulatorLoginId,
  startSimulator,
} from '../../src/simulator/index.ts';
import { dumpTables, startPostgres, type TestPostgres } from '../support/postgres.ts';

// Two gateway processes sharing one PostgreSQL and one simulator, over real HTTP, as two
// replicas behind a round-robin load balancer.

const JWT_SECRET = randomUUID() + randomUUID();
const GREATDAY_LOGIN = simulatorLoginId('Greatday');

interface Replica {
  name: string;
  url: string;
  child: ChildProcess;
}

let postgres: TestPostgres;
let databaseUrl: string;
let simulator: RunningSimulator;
let replicas: [Replica, Replica];
/** Everything both replicas wrote to stdout and stderr, across restarts. */
let output = '';
const tokens = new Set<string>();
/** A statement download link of alice's session, made in the first test. */
let statementLink = '';

async function startReplica(name: string): Promise<Replica> {
  const child = spawn(process.execPath, ['src/main.ts'], {
    env: {
      ...process.env,
      NODE_ENV: 'development',
      LOG_LEVEL: 'info',
      PORT: '0',
      HOST: '127.0.0.1',
      FLINKS_BASE_URL: simulator.url,
      FLINKS_CUSTOMER_ID: SIMULATOR_CUSTOMER_ID,
      FLINKS_SECRET_KEY: SIMULATOR_SECRET_KEY,
      FLINKS_API_KEY: SIMULATOR_API_KEY,
      AUTH_JWT_SECRET: JWT_SECRET,
      DATABASE_URL: databaseUrl,
      DATABASE_TIMEOUT_MS: '3000',
      RATE_LIMIT_PER_MINUTE: '30',
      SHUTDOWN_GRACE_MS: '2000',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let mine = '';
  const url = await new Promise<string>((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output += String(chunk);
      mine += String(chunk);
      const match = /GraphiQL: (\S+)/.exec(mine);
      if (match?.[1]) resolve(match[1]);
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', (code) => reject(new Error(`${name} exited ${code}: ${mine}`)));
  });
  return { name, url, child };
}

async function stopReplica(replica: Replica): Promise<void> {
  if (replica.child.exitCode !== null) return;
  const exited = once(replica.child, 'exit');
  replica.child.kill('SIGTERM');
  const [code] = await exited;
  expect(code).toBe(0);
}

async function token(principal: string): Promise<string> {
  const jwt = await new SignJWT({})
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject(principal)
    .setIssuedAt()
    .setExpirationTime('30m')
    .sign(new TextEncoder().encode(JWT_SECRET));
  tokens.add(jwt);
  return jwt;
}

// biome-ignore lint/suspicious/noExplicitAny: tests read arbitrary response shapes
type Data = any;

async function graphql(
  replica: Replica,
  principal: string,
  query: string,
  variables = {},
): Promise<Data> {
  const response = await fetch(replica.url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      authorization: `Bearer ${await token(principal)}`,
    },
    body: JSON.stringify({ query, variables }),
    // A hang fails the test here rather than at the test timeout.
    signal: AbortSignal.timeout(15_000),
  });
  const body = await response.json();
  expect(response.status, JSON.stringify(body)).toBe(200);
  expect(body.errors, JSON.stringify(body)).toBeUndefined();
  return body.data;
}

function readiness(replica: Replica): Promise<number> {
  return fetch(new URL('/readiness', replica.url), { signal: AbortSignal.timeout(15_000) }).then(
    (response) => response.status,
  );
}

const RESULT = `__typename
  ... on MfaRequired { requestId challenges { prompt } }
  ... on AuthorizeSuccess { requestId login { id } }
  ... on Error { code retryable message }
  ... on MfaAnswerRejectedError { canRetry }`;
const AUTHORIZE = `mutation ($input: AuthorizeInput!) { authorize(input: $input) { ${RESULT} } }`;
const ANSWER = `mutation ($input: AnswerMfaInput!) { answerMfa(input: $input) { ${RESULT} } }`;
const MFA_STEP = `query ($id: ID!) { mfaStep(requestId: $id) {
  __typename ... on MfaRequired { challenges { prompt } } ... on Error { code retryable } } }`;
const SESSION = `query ($id: ID!) { session(requestId: $id) {
  __typename
  ... on Session { accountsSummary { __typename ... on AccountsSummary { accounts { id } } } }
  ... on Error { code retryable } } }`;

const STATEMENTS = `query ($id: ID!) { session(requestId: $id) { ... on Session {
  statements { ... on Statements { accounts { statements { downloadUrl } } } } } } }`;

const greatday = {
  input: {
    credentials: { institution: 'FlinksCapital', username: 'Greatday', password: 'Everyday' },
  },
};
const cached = (loginId: string) => ({ input: { cached: { loginId } } });
const answer = (requestId: string, prompt: string, value: string) => ({
  input: { requestId, responses: [{ prompt, answers: [value] }] },
});
const CITY = 'What city were you born in?';

/** Answers to MFA steps that reached the simulator for this RequestId. */
function answersAtFlinks(requestId: string): number {
  return simulator.simulator.calls.filter((call) => {
    const body = call.body as { RequestId?: string; SecurityResponses?: unknown } | undefined;
    return call.endpoint === 'Authorize' && body?.RequestId === requestId && body.SecurityResponses;
  }).length;
}

async function openGreatdayRound(replica: Replica, principal: string): Promise<string> {
  const opened = await graphql(replica, principal, AUTHORIZE, greatday);
  expect(opened.authorize).toMatchObject({
    __typename: 'MfaRequired',
    challenges: [{ prompt: CITY }],
  });
  return opened.authorize.requestId;
}

async function bothReady(): Promise<void> {
  for (const replica of replicas) {
    await expect.poll(() => readiness(replica), { interval: 200, timeout: 30_000 }).toBe(200);
  }
}

beforeAll(async () => {
  postgres = await startPostgres();
  databaseUrl = await postgres.createDatabase('replicas');
  simulator = await startSimulator();
  replicas = await Promise.all([startReplica('A'), startReplica('B')]);
}, 120_000);

afterAll(async () => {
  for (const replica of replicas ?? []) {
    if (replica.child.exitCode === null) replica.child.kill('SIGKILL');
  }
  await simulator?.close();
  await postgres?.close();
}, 60_000);

describe('two replicas on one PostgreSQL', { timeout: 120_000 }, () => {
  it('serve one MFA conversation whichever replica each request lands on', async () => {
    const [a, b] = replicas;
    const requestId = await openGreatdayRound(a, 'alice');

    expect((await graphql(b, 'alice', MFA_STEP, { id: requestId })).mfaStep).toEqual({
      __typename: 'MfaRequired',
      challenges: [{ prompt: CITY }],
    });
    const second = await graphql(b, 'alice', ANSWER, answer(requestId, CITY, 'Montreal'));
    expect(second.answerMfa).toEqual({
      __typename: 'MfaRequired',
      requestId,
      challenges: [{ prompt: 'What shape do people like most?' }],
    });
    expect((await graphql(a, 'alice', MFA_STEP, { id: requestId })).mfaStep).toEqual({
      __typename: 'MfaRequired',
      challenges: [{ prompt: 'What shape do people like most?' }],
    });
    const done = await graphql(
      a,
      'alice',
      ANSWER,
      answer(requestId, 'What shape do people like most?', 'Triangle'),
    );
    expect(done.answerMfa).toEqual({
      __typename: 'AuthorizeSuccess',
      requestId,
      login: { id: GREATDAY_LOGIN },
    });

    for (const replica of [b, a]) {
      const { session } = await graphql(replica, 'alice', SESSION, { id: requestId });
      expect(session.__typename).toBe('Session');
      expect(session.accountsSummary.__typename).toBe('AccountsSummary');
      expect(session.accountsSummary.accounts.length).toBeGreaterThan(0);
    }
    // A statement link made on one replica downloads from the other.
    const { session: withStatements } = await graphql(a, 'alice', STATEMENTS, { id: requestId });
    const link = withStatements.statements.accounts[0].statements[0].downloadUrl;
    statementLink = link;
    const pdf = await fetch(new URL(link, b.url), { signal: AbortSignal.timeout(15_000) });
    expect(pdf.status).toBe(200);
    expect(pdf.headers.get('content-type')).toBe('application/pdf');
    expect(
      Buffer.from(await pdf.arrayBuffer())
        .subarray(0, 5)
        .toString(),
    ).toBe('%PDF-');
    // Someone else's requestId is unknown on every replica.
    expect((await graphql(b, 'mallory', SESSION, { id: requestId })).session).toEqual({
      __typename: 'SessionExpiredError',
      code: 'SESSION_EXPIRED',
      retryable: false,
    });
  });

  it('keep a LoginId to its owner across replicas, restarts of both, and a crash of PostgreSQL', async () => {
    const refused = {
      __typename: 'InvalidCredentialsError',
      code: 'INVALID_CREDENTIALS',
      retryable: false,
      message: expect.any(String),
    };
    const expectOwnership = async () => {
      const [a, b] = replicas;
      const before = simulator.simulator.countCalls('Authorize');
      expect((await graphql(b, 'bob', AUTHORIZE, cached(GREATDAY_LOGIN))).authorize).toEqual(
        refused,
      );
      expect((await graphql(a, 'bob', AUTHORIZE, cached(GREATDAY_LOGIN))).authorize).toEqual(
        refused,
      );
      // Refused before Flinks: bob never gets a session on alice's LoginId.
      expect(simulator.simulator.countCalls('Authorize')).toBe(before);
      for (const replica of replicas) {
        const mine = await graphql(replica, 'alice', AUTHORIZE, cached(GREATDAY_LOGIN));
        expect(mine.authorize).toMatchObject({
          __typename: 'AuthorizeSuccess',
          login: { id: GREATDAY_LOGIN },
        });
      }
    };

    await expectOwnership();

    await Promise.all(replicas.map(stopReplica));
    replicas = await Promise.all([startReplica('A'), startReplica('B')]);
    await expectOwnership();

    await postgres.stop('immediate');
    await postgres.start();
    await bothReady();
    await expectOwnership();
  });

  it('let one of many concurrent answers to a round reach Flinks, on either replica', async () => {
    const requestId = await openGreatdayRound(replicas[0], 'carol');
    // Each answer stays at Flinks a while, so that the others arrive while it is there.
    simulator.simulator.setFaults({ latencyMs: 1_000 });
    let results: { __typename: string; retryable?: boolean }[];
    try {
      results = await Promise.all(
        Array.from({ length: 10 }, async (_, i) => {
          const data = await graphql(
            replicas[i % 2] as Replica,
            'carol',
            ANSWER,
            answer(requestId, CITY, 'Montreal'),
          );
          return data.answerMfa;
        }),
      );
    } finally {
      simulator.simulator.setFaults({});
    }
    expect(answersAtFlinks(requestId)).toBe(1);
    const byType = new Map<string, (typeof results)[number][]>();
    for (const result of results) {
      byType.set(result.__typename, [...(byType.get(result.__typename) ?? []), result]);
    }
    expect(byType.get('MfaRequired')).toHaveLength(1);
    expect(byType.get('MfaAnswerInProgressError')?.length).toBeGreaterThan(0);
    for (const busy of byType.get('MfaAnswerInProgressError') ?? []) {
      expect(busy).toMatchObject({ code: 'MFA_ANSWER_IN_PROGRESS', retryable: true });
    }
    // Answers that arrive after the step moved on are checked against the new step, locally.
    for (const key of byType.keys()) {
      expect(['MfaRequired', 'MfaAnswerInProgressError', 'InvalidInputError']).toContain(key);
    }
  });

  it('hold the wrong-answer cap of 3 when 25 wrong answers arrive at once on both replicas', async () => {
    const requestId = await openGreatdayRound(replicas[1], 'dave');
    const results = await Promise.all(
      Array.from({ length: 25 }, async (_, i) => {
        const data = await graphql(
          replicas[i % 2] as Replica,
          'dave',
          ANSWER,
          answer(requestId, CITY, 'Toronto'),
        );
        return data.answerMfa.__typename as string;
      }),
    );
    const judged = answersAtFlinks(requestId);
    expect(judged).toBeGreaterThanOrEqual(1);
    expect(judged).toBeLessThanOrEqual(3);
    expect(results.filter((type) => type === 'MfaAnswerRejectedError')).toHaveLength(judged);
    // Whatever the burst left, the round takes wrong answers up to 3 in all, then closes.
    for (let i = judged; i < 3; i += 1) {
      const next = await graphql(
        replicas[i % 2] as Replica,
        'dave',
        ANSWER,
        answer(requestId, CITY, 'Toronto'),
      );
      expect(next.answerMfa.__typename).toBe('MfaAnswerRejectedError');
    }
    const right = await graphql(replicas[0], 'dave', ANSWER, answer(requestId, CITY, 'Montreal'));
    expect(right.answerMfa).toMatchObject({ __typename: 'SessionExpiredError' });
    expect(answersAtFlinks(requestId)).toBe(3);
  });

  it('share one rate-limit budget: 80 calls alternating between replicas, 30 allowed', async () => {
    const started = performance.now();
    const results = await Promise.all(
      Array.from({ length: 80 }, async (_, i) => {
        const data = await graphql(
          replicas[i % 2] as Replica,
          'erin',
          ANSWER,
          answer(randomUUID(), CITY, 'Montreal'),
        );
        return data.answerMfa.__typename as string;
      }),
    );
    const elapsedMs = performance.now() - started;
    // Allowed calls went on to find no such step; the rest were refused by the limit.
    const allowed = results.filter((type) => type === 'SessionExpiredError').length;
    expect(
      results.filter((type) => type !== 'SessionExpiredError' && type !== 'RateLimitedError'),
    ).toEqual([]);
    // 30 at once, plus the refill (one every 2 s) while the calls were under way.
    expect(allowed).toBeGreaterThanOrEqual(30);
    expect(allowed).toBeLessThanOrEqual(30 + Math.floor(elapsedMs / 2_000));
    expect(results.filter((type) => type === 'RateLimitedError').length).toBe(80 - allowed);
  });

  it('fail closed with a typed retryable member while PostgreSQL is down, and recover without a restart', async () => {
    const [a, b] = replicas;
    const requestId = await openGreatdayRound(a, 'frank');
    const before = simulator.simulator.countCalls('Authorize');
    await postgres.stop('immediate');
    try {
      const unavailable = { code: 'SERVICE_UNAVAILABLE', retryable: true };
      expect((await graphql(b, 'bob', AUTHORIZE, cached(GREATDAY_LOGIN))).authorize).toMatchObject({
        __typename: 'ServiceUnavailableError',
        ...unavailable,
      });
      expect(
        (await graphql(a, 'frank', ANSWER, answer(requestId, CITY, 'Montreal'))).answerMfa,
      ).toMatchObject({ __typename: 'ServiceUnavailableError', ...unavailable });
      expect((await graphql(b, 'frank', MFA_STEP, { id: requestId })).mfaStep).toMatchObject({
        __typename: 'ServiceUnavailableError',
        ...unavailable,
      });
      expect((await graphql(a, 'alice', SESSION, { id: requestId })).session).toMatchObject({
        __typename: 'ServiceUnavailableError',
        ...unavailable,
      });
      expect(await readiness(a)).toBe(503);
      expect(await readiness(b)).toBe(503);
      const download = await fetch(new URL(statementLink, b.url), {
        signal: AbortSignal.timeout(15_000),
      });
      expect(download.status).toBe(503);
      expect(download.headers.get('retry-after')).not.toBeNull();
      expect(await download.json()).toEqual({ error: expect.any(String) });
      // Nothing went to Flinks without its ownership check.
      expect(simulator.simulator.countCalls('Authorize')).toBe(before);
    } finally {
      await postgres.start();
    }
    await bothReady();
    const resumed = await graphql(b, 'frank', ANSWER, answer(requestId, CITY, 'Montreal'));
    expect(resumed.answerMfa).toMatchObject({ __typename: 'MfaRequired', requestId });
    const bobAgain = await graphql(a, 'bob', AUTHORIZE, cached(GREATDAY_LOGIN));
    expect(bobAgain.authorize.__typename).toBe('InvalidCredentialsError');
  });

  it('keep no password, answer, token or key in any table or log line', async () => {
    const tables = await dumpTables(databaseUrl);
    expect(Object.keys(tables)).toEqual([
      'gateway_deleted_logins',
      'gateway_logins',
      'gateway_mfa_rounds',
      'gateway_pending_details',
      'gateway_rate_limits',
      'gateway_schema_migrations',
      'gateway_sessions',
    ]);
    // The dump holds what this file did: owners, sessions, rounds.
    expect(tables.gateway_logins).toContain(GREATDAY_LOGIN);
    expect(tables.gateway_logins).toContain('alice');
    expect(tables.gateway_mfa_rounds).toContain('What shape do people like most?');
    const secrets = [
      'Everyday',
      'Montreal',
      'Triangle',
      'Toronto',
      SIMULATOR_SECRET_KEY,
      SIMULATOR_API_KEY,
      JWT_SECRET,
      postgres.password,
      ...tokens,
      ...simulator.simulator.calls.map((call) => call.authKey ?? '').filter(Boolean),
    ];
    const everything = Object.values(tables).join('\n');
    expect(secrets.filter((secret) => everything.includes(secret))).toEqual([]);
    expect(output).toContain('shared state on PostgreSQL');
    expect(output).toContain('PostgreSQL unavailable: calls that need the store fail closed');
    expect(output).toContain('PostgreSQL answers again');
    expect(secrets.filter((secret) => output.includes(secret))).toEqual([]);
  });
});
