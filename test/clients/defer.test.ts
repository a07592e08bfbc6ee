import { ApolloClient, HttpLink, InMemoryCache } from '@apollo/client';
import { Defer20220824Handler } from '@apollo/client/incremental';
import { Client, cacheExchange, fetchExchange, type OperationResult } from '@urql/core';
import { persistedExchange } from '@urql/exchange-persisted';
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  AuthorizeDocument,
  AuthorizeWithDeferredAccountsDocument,
  type AuthorizeWithDeferredAccountsMutation,
  SessionAccountsDeferredDocument,
  type SessionAccountsDeferredQuery,
} from '../../src/generated/graphql.ts';
import introspection from '../../src/generated/possible-types.ts';
import { simulatorLoginId } from '../../src/simulator/index.ts';
import { type ListeningGateway, startListeningGateway } from '../support/listening-gateway.ts';

// Greatday: the first GetAccountsDetail of a RequestId is 202, ready on the Async endpoint after
// detailDelayMs. test_pending: the same after pendingDelayMs, set far beyond any test here.
const FAST = {
  simulator: { detailDelayMs: 400, pendingDelayMs: 10 * 60_000 },
  config: { data: { waitMs: 0, deferWaitMs: 60_000, deferPollIntervalMs: 50 } },
};

let gateway: ListeningGateway | undefined;
afterEach(async () => {
  await gateway?.close();
  gateway = undefined;
});

function urql(url: string, { persisted = false } = {}) {
  return new Client({
    url,
    preferGetMethod: false,
    exchanges: persisted
      ? [
          cacheExchange,
          persistedExchange({
            enforcePersistedQueries: true,
            enableForMutation: true,
            // POST: the gateway's CSRF prevention refuses a GET without a preflight header.
            preferGetForPersistedQueries: false,
            generateHash: async (_query, document) =>
              (document as { __meta__?: { hash?: string } }).__meta__?.hash ?? '',
          }),
          fetchExchange,
        ]
      : [cacheExchange, fetchExchange],
  });
}

/** A session of `username`: cached mode for Greatday's LoginId, a no-MFA login otherwise. */
async function openSession(url: string, username: string, persisted = false): Promise<string> {
  const input =
    username === 'Greatday'
      ? { cached: { loginId: simulatorLoginId(username) } }
      : { credentials: { institution: 'FlinksCapital', username, password: 'Everyday' } };
  const { data, error } = await urql(url, { persisted })
    .mutation(AuthorizeDocument, { input })
    .toPromise();
  if (data?.authorize.__typename !== 'AuthorizeSuccess') throw error ?? new Error('no session');
  return data.authorize.requestId;
}

/** Every result urql delivers for one query, until it says nothing more will come. */
function allResults<T>(
  client: Client,
  run: (client: Client) => { subscribe: (sink: (r: OperationResult<T>) => void) => unknown },
): Promise<OperationResult<T>[]> {
  return new Promise((resolve, reject) => {
    const seen: OperationResult<T>[] = [];
    // Not unsubscribed at the last result: urql would abort a response that is ending anyway.
    run(client).subscribe((result) => {
      seen.push(result);
      if (result.error) reject(result.error);
      else if (!result.hasNext) resolve(seen);
    });
  });
}

type Detail = NonNullable<
  Extract<SessionAccountsDeferredQuery['session'], { __typename: 'Session' }>['accountsDetail']
>;

function edgeCount(detail: Detail | undefined): number {
  if (detail?.__typename !== 'AccountsDetail') return -1;
  return detail.accounts.reduce((n, account) => n + (account.transactions?.edges.length ?? 0), 0);
}

/** The JSON parts of a multipart/mixed body as they arrive; `onPart` true stops reading. */
async function readParts(
  response: Response,
  onPart: (part: Record<string, unknown>) => boolean | undefined = () => undefined,
): Promise<Record<string, unknown>[]> {
  const reader = (response.body as ReadableStream<Uint8Array>).getReader();
  const decoder = new TextDecoder();
  const parts: Record<string, unknown>[] = [];
  let buffer = '';
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return parts;
    buffer += decoder.decode(value, { stream: true });
    for (;;) {
      const start = buffer.indexOf('\r\n\r\n');
      const end = buffer.indexOf('\r\n---', start);
      if (start < 0 || end < 0) break;
      const part = JSON.parse(buffer.slice(start + 4, end)) as Record<string, unknown>;
      buffer = buffer.slice(end + 2);
      parts.push(part);
      // Stops reading, leaving the response open: the caller ends it (or not).
      if (onPart(part)) {
        reader.releaseLock();
        return parts;
      }
    }
  }
}

const DEFERRED_QUERY = `query Deferred($requestId: ID!) {
  session(requestId: $requestId) {
    ... on Session {
      accountsSummary { __typename }
      ... @defer(label: "detail") {
        accountsDetail { __typename ... on DataPending { retryAfterSeconds } }
      }
    }
  }
}`;

function postDeferred(url: string, requestId: string, signal?: AbortSignal): Promise<Response> {
  return fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'multipart/mixed' },
    body: JSON.stringify({ query: DEFERRED_QUERY, variables: { requestId } }),
    signal,
  });
}

describe('urql and a deferred accountsDetail', () => {
  it.each([
    ['full documents', false],
    ['trusted documents, sent by hash', true],
  ])(
    'receives the summary first, then the detail from the delayed 202 flow in the same request (%s)',
    async (_, persisted) => {
      gateway = await startListeningGateway({
        ...FAST,
        config: { ...FAST.config, trustedDocuments: persisted },
      });
      const requestId = await openSession(gateway.url, 'Greatday', persisted);
      const client = urql(gateway.url, { persisted });
      const results = await allResults<SessionAccountsDeferredQuery>(client, (c) =>
        c.query(SessionAccountsDeferredDocument, { requestId, first: 20 }),
      );
      const sessions = results.map((r) => r.data?.session);
      const first = sessions[0];
      if (first?.__typename !== 'Session') throw new Error(String(first?.__typename));
      expect(first.accountsSummary.__typename).toBe('AccountsSummary');
      expect(first.accountsDetail).toBeUndefined();
      expect(results[0]?.hasNext).toBe(true);
      const last = sessions.at(-1);
      if (last?.__typename !== 'Session') throw new Error(String(last?.__typename));
      expect(last.accountsDetail?.__typename).toBe('AccountsDetail');
      expect(edgeCount(last.accountsDetail)).toBeGreaterThan(5);
      // One 202, then the Async endpoint until ready: never a DataPending for the client to poll.
      expect(gateway.simulator.countCalls('GetAccountsDetail')).toBe(1);
      expect(gateway.simulator.countCalls('GetAccountsDetailAsync')).toBeGreaterThanOrEqual(1);
    },
  );

  it('outlasts the request deadline: the deadline bounds the first payload, not the deferred wait', async () => {
    gateway = await startListeningGateway({
      simulator: { detailDelayMs: 2_500 },
      config: { ...FAST.config, requestDeadlineMs: 1_000 },
    });
    const requestId = await openSession(gateway.url, 'Greatday');
    const results = await allResults<SessionAccountsDeferredQuery>(urql(gateway.url), (c) =>
      c.query(SessionAccountsDeferredDocument, { requestId }),
    );
    const last = results.at(-1)?.data?.session;
    if (last?.__typename !== 'Session') throw new Error(String(last?.__typename));
    expect(last.accountsDetail?.__typename).toBe('AccountsDetail');
  });

  it('without @defer, accountsDetail still answers DataPending after DATA_WAIT_MS', async () => {
    gateway = await startListeningGateway(FAST);
    const requestId = await openSession(gateway.url, 'test_pending');
    const response = await fetch(gateway.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'multipart/mixed' },
      body: JSON.stringify({
        query: DEFERRED_QUERY.replace('... @defer(label: "detail") {', '... {'),
        variables: { requestId },
      }),
    });
    expect(await readParts(response)).toEqual([
      {
        data: {
          session: {
            accountsSummary: { __typename: 'AccountsSummary' },
            accountsDetail: { __typename: 'DataPending', retryAfterSeconds: 1 },
          },
        },
      },
    ]);
  });
});

describe('a deferred accountsDetail over text/event-stream', () => {
  it('sends the initial payload and the deferred detail as SSE events, then complete', async () => {
    gateway = await startListeningGateway(FAST);
    const requestId = await openSession(gateway.url, 'Greatday');
    const response = await fetch(gateway.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'text/event-stream' },
      body: JSON.stringify({ query: DEFERRED_QUERY, variables: { requestId } }),
    });
    expect(response.headers.get('content-type')).toBe('text/event-stream');
    const events = [...(await response.text()).matchAll(/event: (\w+)\ndata:(.*)\n/g)].map(
      ([, event, data]) => [event, data?.trim() ? JSON.parse(data) : null],
    );
    expect(events).toEqual([
      [
        'next',
        {
          data: { session: { accountsSummary: { __typename: 'AccountsSummary' } } },
          hasNext: true,
        },
      ],
      [
        'next',
        {
          incremental: [
            {
              data: { accountsDetail: { __typename: 'AccountsDetail' } },
              path: ['session'],
              label: 'detail',
            },
          ],
          hasNext: false,
        },
      ],
      ['complete', null],
    ]);
  });
});

describe('Apollo Client and a deferred accountsDetail', () => {
  it('a mutation with a deferred detail resolves with the detail merged in', async () => {
    gateway = await startListeningGateway(FAST);
    const client = new ApolloClient({
      link: new HttpLink({ uri: gateway.url }),
      cache: new InMemoryCache({ possibleTypes: introspection.possibleTypes }),
      incrementalHandler: new Defer20220824Handler(),
    });
    const { data } = await client.mutate({
      mutation: AuthorizeWithDeferredAccountsDocument,
      variables: { input: { cached: { loginId: simulatorLoginId('Greatday') } }, first: 20 },
    });
    const result: AuthorizeWithDeferredAccountsMutation['authorize'] | undefined = data?.authorize;
    if (result?.__typename !== 'AuthorizeSuccess') throw new Error(String(result?.__typename));
    expect(result.accountsSummary.__typename).toBe('AccountsSummary');
    expect(result.accountsDetail?.__typename).toBe('AccountsDetail');
    expect(gateway.simulator.countCalls('GetAccountsDetail')).toBe(1);
  });

  it('watchQuery shows the summary, then the streamed detail', async () => {
    gateway = await startListeningGateway(FAST);
    const requestId = await openSession(gateway.url, 'Greatday');
    const client = new ApolloClient({
      link: new HttpLink({ uri: gateway.url }),
      cache: new InMemoryCache({ possibleTypes: introspection.possibleTypes }),
      incrementalHandler: new Defer20220824Handler(),
    });
    const states = await new Promise<{ data: SessionAccountsDeferredQuery; state: string }[]>(
      (resolve, reject) => {
        const seen: { data: SessionAccountsDeferredQuery; state: string }[] = [];
        const subscription = client
          .watchQuery({
            query: SessionAccountsDeferredDocument,
            variables: { requestId, first: 20 },
            fetchPolicy: 'network-only',
          })
          .subscribe({
            next: (result) => {
              if (result.error) reject(result.error);
              if (!result.data) return;
              seen.push({
                data: result.data as SessionAccountsDeferredQuery,
                state: result.dataState,
              });
              if (result.dataState === 'complete') {
                subscription.unsubscribe();
                resolve(seen);
              }
            },
            error: reject,
          });
      },
    );
    const first = states[0];
    expect(first?.state).toBe('streaming');
    if (first?.data.session.__typename !== 'Session') throw new Error('no session');
    expect(first.data.session.accountsSummary.__typename).toBe('AccountsSummary');
    expect(first.data.session.accountsDetail).toBeUndefined();
    const last = states.at(-1)?.data.session;
    if (last?.__typename !== 'Session') throw new Error('no session');
    expect(last.accountsDetail?.__typename).toBe('AccountsDetail');
    expect(edgeCount(last.accountsDetail)).toBeGreaterThan(5);
    expect(gateway.simulator.countCalls('GetAccountsDetail')).toBe(1);
  });
});

describe('the end of a deferred wait', () => {
  it('a client that leaves mid-stream stops the polling: no upstream call after it left', async () => {
    gateway = await startListeningGateway(FAST);
    const requestId = await openSession(gateway.url, 'test_pending');
    const simulator = gateway.simulator;
    const leave = new AbortController();
    const response = await postDeferred(gateway.url, requestId, leave.signal);
    const parts = await readParts(response, () => true);
    expect(parts).toEqual([
      { data: { session: { accountsSummary: { __typename: 'AccountsSummary' } } }, hasNext: true },
    ]);
    // Polling is under way at 50 ms a poll.
    await vi.waitFor(
      () => expect(simulator.countCalls('GetAccountsDetailAsync')).toBeGreaterThan(2),
      {
        timeout: 10_000,
      },
    );
    leave.abort();
    await response.body?.cancel().catch(() => {});
    const atLeaving = simulator.countCalls('GetAccountsDetailAsync');
    // Forty poll intervals: a wait that kept polling would make about forty more calls.
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    const later = simulator.countCalls('GetAccountsDetailAsync');
    // At most the one poll already on the wire when the socket closed.
    expect(later - atLeaving).toBeLessThanOrEqual(1);
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect(simulator.countCalls('GetAccountsDetailAsync')).toBe(later);
    // The pending gathering was remembered: the next request resumes it at the Async endpoint
    // rather than asking Flinks to start over.
    const again = await fetch(gateway.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        query:
          'query($r: ID!) { session(requestId: $r) { ... on Session { accountsDetail { __typename } } } }',
        variables: { r: requestId },
      }),
    });
    expect(await again.json()).toEqual({
      data: { session: { accountsDetail: { __typename: 'DataPending' } } },
    });
    expect(simulator.countCalls('GetAccountsDetail')).toBe(1);
    expect(simulator.countCalls('GetAccountsDetailAsync')).toBe(later + 1);
  });

  it('shutdown ends a deferred wait at once with DataPending, and the response completes', async () => {
    const stopping = new AbortController();
    gateway = await startListeningGateway({ ...FAST, stopping: stopping.signal });
    const requestId = await openSession(gateway.url, 'test_pending');
    const simulator = gateway.simulator;
    const response = await postDeferred(gateway.url, requestId);
    const parts = readParts(response, (part) => {
      if (part.hasNext === true && !('incremental' in part)) {
        void vi
          .waitFor(
            () => expect(simulator.countCalls('GetAccountsDetailAsync')).toBeGreaterThan(1),
            {
              timeout: 10_000,
            },
          )
          .then(() => stopping.abort());
      }
      return undefined;
    });
    expect(await parts).toEqual([
      { data: { session: { accountsSummary: { __typename: 'AccountsSummary' } } }, hasNext: true },
      {
        incremental: [
          {
            data: { accountsDetail: { __typename: 'DataPending', retryAfterSeconds: 1 } },
            path: ['session'],
            label: 'detail',
          },
        ],
        hasNext: false,
      },
    ]);
  });

  it('the deferred wait ends on its own limit with DataPending', async () => {
    gateway = await startListeningGateway({
      ...FAST,
      config: { ...FAST.config, data: { ...FAST.config.data, deferWaitMs: 300 } },
    });
    const requestId = await openSession(gateway.url, 'test_pending');
    const parts = await readParts(await postDeferred(gateway.url, requestId));
    expect(parts.at(-1)).toEqual({
      incremental: [
        {
          data: { accountsDetail: { __typename: 'DataPending', retryAfterSeconds: 1 } },
          path: ['session'],
          label: 'detail',
        },
      ],
      hasNext: false,
    });
    expect(gateway.simulator.countCalls('GetAccountsDetailAsync')).toBeGreaterThan(1);
  });
});
