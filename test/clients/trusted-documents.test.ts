import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuthorizeDocument } from '../../src/generated/graphql.ts';
import { simulatorLoginId } from '../../src/simulator/index.ts';
import { PERSISTED_DOCUMENTS } from '../../src/use-trusted-documents.ts';
import { type ListeningGateway, startListeningGateway } from '../support/listening-gateway.ts';

const AUTHORIZE_HASH = (AuthorizeDocument as unknown as { __meta__: { hash: string } }).__meta__
  .hash;
const variables = { input: { cached: { loginId: simulatorLoginId('greatday_nomfa') } } };

describe('trusted-documents mode over HTTP', () => {
  let gateway: ListeningGateway;
  beforeAll(async () => {
    gateway = await startListeningGateway({ config: { trustedDocuments: true } });
  });
  afterAll(() => gateway.close());

  async function post(body: unknown) {
    const response = await fetch(gateway.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json' },
      body: JSON.stringify(body),
    });
    return { status: response.status, body: await response.json() };
  }

  it('holds each generated operation in the manifest under its embedded hash', () => {
    expect(AUTHORIZE_HASH).toMatch(/^[0-9a-f]{64}$/);
    expect(PERSISTED_DOCUMENTS[AUTHORIZE_HASH]).toMatch(
      /mutation Authorize\(\$input: AuthorizeInput!\)/,
    );
    expect(Object.keys(PERSISTED_DOCUMENTS)).toHaveLength(11);
  });

  it('runs a document named by documentId, the GraphQL-over-HTTP shape', async () => {
    const { status, body } = await post({ documentId: `sha256:${AUTHORIZE_HASH}`, variables });
    expect(status).toBe(200);
    expect(body.data.authorize).toMatchObject({
      __typename: 'AuthorizeSuccess',
      login: { id: simulatorLoginId('greatday_nomfa') },
    });
  });

  it('runs a document named as Apollo names it, in extensions.persistedQuery', async () => {
    const { status, body } = await post({
      extensions: { persistedQuery: { version: 1, sha256Hash: AUTHORIZE_HASH } },
      variables,
    });
    expect(status).toBe(200);
    expect(body.data.authorize.__typename).toBe('AuthorizeSuccess');
  });

  it('refuses a hash that is not in the manifest, a query text, and a request with neither', async () => {
    const calls = gateway.simulator.countCalls('Authorize');
    const unknown = await post({ documentId: `sha256:${'0'.repeat(64)}`, variables });
    const text = await post({ query: '{ __typename }' });
    const neither = await post({ variables });
    expect([unknown, text, neither]).toEqual([
      {
        status: 200,
        body: {
          errors: [
            {
              message: 'PersistedQueryNotFound',
              extensions: { code: 'PERSISTED_QUERY_NOT_IN_LIST' },
            },
          ],
        },
      },
      {
        status: 200,
        body: {
          errors: [
            { message: 'PersistedQueryOnly', extensions: { code: 'CANNOT_SEND_PQ_ID_AND_BODY' } },
          ],
        },
      },
      {
        status: 200,
        body: {
          errors: [
            {
              message: 'PersistedQueryKeyNotFound',
              extensions: { code: 'PERSISTED_QUERY_ID_REQUIRED' },
            },
          ],
        },
      },
    ]);
    expect(gateway.simulator.countCalls('Authorize')).toBe(calls);
  });
});

describe('the gateway with trusted-documents mode off', () => {
  let gateway: ListeningGateway;
  beforeAll(async () => {
    gateway = await startListeningGateway();
  });
  afterAll(() => gateway.close());

  it('runs any query text', async () => {
    const response = await fetch(gateway.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ __typename }' }),
    });
    expect(await response.json()).toEqual({ data: { __typename: 'Query' } });
  });
});
