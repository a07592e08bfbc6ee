/**
 * `npx node bench/defer.ts [--rounds 3]`: time to first byte and to full data of the account
 * detail, deferred (one request, `@defer`) against polling (`DataPending`, then ask again after
 * `retryAfterSeconds`), on the simulator's delayed 202 flows. Everything on 127.0.0.1, in this
 * process; a fixed number of rounds; prints figures, asserts nothing.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { simulatorLoginId } from '../src/simulator/index.ts';
import { startListeningGateway } from '../test/support/listening-gateway.ts';

const rounds = Number(process.argv[process.argv.indexOf('--rounds') + 1]) || 3;
const PENDING_MS = 6_000;

const DETAIL = `accountsDetail { __typename ... on DataPending { retryAfterSeconds } ... on AccountsDetail { accounts { id transactions(first: 50) { totalCount } } } }`;
const POLLING = `query($r: ID!) { session(requestId: $r) { ... on Session { accountsSummary { __typename } ${DETAIL} } } }`;
const DEFERRED = `query($r: ID!) { session(requestId: $r) { ... on Session { accountsSummary { __typename } ... @defer { ${DETAIL} } } } }`;

/** The gateway on a real port over the simulator, as the client tests run it. */
function gatewayWith(deferPollIntervalMs: number) {
  return startListeningGateway({
    simulator: { pendingDelayMs: PENDING_MS },
    config: { data: { deferPollIntervalMs: deferPollIntervalMs } },
  });
}

const post = (url: string, query: string, variables: object, accept = 'application/json') =>
  fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept },
    body: JSON.stringify({ query, variables }),
  });

async function session(url: string, username: string): Promise<string> {
  const input =
    username === 'Greatday'
      ? { cached: { loginId: simulatorLoginId('Greatday') } }
      : { credentials: { institution: 'FlinksCapital', username, password: 'Everyday' } };
  const response = await post(
    url,
    'mutation($i: AuthorizeInput!) { authorize(input: $i) { ... on AuthorizeSuccess { requestId } } }',
    { i: input },
  );
  const body = (await response.json()) as { data: { authorize: { requestId: string } } };
  return body.data.authorize.requestId;
}

async function polling(url: string, requestId: string) {
  const start = performance.now();
  let firstByte = 0;
  let requests = 0;
  for (;;) {
    requests++;
    const response = await post(url, POLLING, { r: requestId });
    firstByte ||= performance.now() - start;
    const text = await response.text();
    if (text.includes('"AccountsDetail"'))
      return { firstByte, full: performance.now() - start, requests };
    const wait = Number(/"retryAfterSeconds":(\d+)/.exec(text)?.[1] ?? 1);
    await sleep(wait * 1000);
  }
}

async function deferred(url: string, requestId: string) {
  const start = performance.now();
  const response = await post(url, DEFERRED, { r: requestId }, 'multipart/mixed');
  const reader = (response.body as ReadableStream<Uint8Array>).getReader();
  let firstByte = 0;
  let text = '';
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    firstByte ||= performance.now() - start;
    text += new TextDecoder().decode(value);
  }
  if (!text.includes('"AccountsDetail"')) throw new Error('the deferred detail did not come');
  return { firstByte, full: performance.now() - start, requests: 1 };
}

const median = (values: number[]) =>
  [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0;

console.log(`| flow | operation | first byte (median ms) | full data (median ms) | requests |`);
console.log(`| --- | --- | ---: | ---: | ---: |`);
for (const [user, flow] of [
  ['Greatday', 'Greatday, ready after 1.5 s'],
  ['test_pending', `test_pending, ready after ${PENDING_MS / 1000} s`],
] as const) {
  for (const [name, deferPoll, run] of [
    ['polling (DATA_WAIT_MS 5 s, polls 1 s)', 10_000, polling],
    ['@defer, polls 10 s (default)', 10_000, deferred],
    ['@defer, DATA_DEFER_POLL_INTERVAL_MS=1000', 1_000, deferred],
  ] as const) {
    const gateway = await gatewayWith(deferPoll);
    const results = [];
    try {
      for (let round = 0; round < rounds; round++) {
        results.push(await run(gateway.url, await session(gateway.url, user)));
      }
    } finally {
      await gateway.close();
    }
    console.log(
      `| ${flow} | ${name} | ${median(results.map((r) => r.firstByte)).toFixed(1)} | ${median(results.map((r) => r.full)).toFixed(0)} | ${median(results.map((r) => r.requests))} |`,
    );
  }
}
