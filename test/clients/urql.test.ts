import { Client, cacheExchange, fetchExchange } from '@urql/core';
import { persistedExchange } from '@urql/exchange-persisted';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  AnswerMfaDocument,
  type AnswerMfaMutationVariables,
  AuthorizeDocument,
  type AuthorizeMutationVariables,
  type AuthorizeResultFieldsFragment,
} from '../../src/generated/graphql.ts';
import { simulatorLoginId } from '../../src/simulator/index.ts';
import { describeResult } from '../support/describe-result.ts';
import { type ListeningGateway, startListeningGateway } from '../support/listening-gateway.ts';

function urqlClient(url: string, { persisted = false } = {}) {
  return new Client({
    url,
    exchanges: persisted
      ? [
          cacheExchange,
          persistedExchange({
            enforcePersistedQueries: true,
            enableForMutation: true,
            // The hash codegen embedded in the generated document.
            generateHash: async (_query, document) =>
              (document as { __meta__?: { hash?: string } }).__meta__?.hash ?? '',
          }),
          fetchExchange,
        ]
      : [cacheExchange, fetchExchange],
  });
}

async function authorize(
  client: Client,
  variables: AuthorizeMutationVariables,
): Promise<AuthorizeResultFieldsFragment> {
  const { data, error } = await client.mutation(AuthorizeDocument, variables).toPromise();
  if (!data) throw error ?? new Error('no data');
  return data.authorize;
}

async function answerMfa(
  client: Client,
  variables: AnswerMfaMutationVariables,
): Promise<AuthorizeResultFieldsFragment> {
  const { data, error } = await client.mutation(AnswerMfaDocument, variables).toPromise();
  if (!data) throw error ?? new Error('no data');
  return data.answerMfa;
}

const GREATDAY = {
  input: {
    credentials: { institution: 'FlinksCapital', username: 'Greatday', password: 'Everyday' },
  },
};

describe.each([
  ['full documents', false],
  ['trusted documents, sent by hash', true],
])('urql against the listening gateway (%s)', (_name, trusted) => {
  let gateway: ListeningGateway;
  beforeAll(async () => {
    gateway = await startListeningGateway({ config: { trustedDocuments: trusted } });
  });
  afterAll(() => gateway.close());

  it('opens a cached session and reads the AuthorizeSuccess member', async () => {
    const loginId = simulatorLoginId('greatday_nomfa');
    const result = await authorize(urqlClient(gateway.url, { persisted: trusted }), {
      input: { cached: { loginId } },
    });
    if (result.__typename !== 'AuthorizeSuccess') throw new Error(`got ${result.__typename}`);
    expect(result).toEqual({
      __typename: 'AuthorizeSuccess',
      requestId: expect.stringMatching(/^[0-9a-f-]{36}$/),
      institution: 'FlinksCapital',
      institutionName: 'FlinksCapital',
      login: {
        __typename: 'Login',
        id: loginId,
        username: 'greatday_nomfa',
        lastRefresh: expect.stringMatching(/^\d{4}-\d\d-\d\dT.*Z$/),
      },
      tag: null,
    });
  });

  it('answers two rounds, retrying a refused answer, to AuthorizeSuccess', async () => {
    const client = urqlClient(gateway.url, { persisted: trusted });
    const steps: string[] = [];
    let result = await authorize(client, GREATDAY);
    const tries = [['Toronto'], ['Montreal'], ['Triangle']];
    let requestId = '';
    for (;;) {
      steps.push(describeResult(result));
      if (result.__typename === 'MfaRequired') {
        requestId = result.requestId;
      } else if (result.__typename !== 'MfaAnswerRejectedError' || !result.canRetry) {
        break;
      }
      const [challenge] = result.challenges;
      if (!challenge) throw new Error('nothing to answer');
      result = await answerMfa(client, {
        input: {
          requestId,
          responses: [{ prompt: challenge.prompt, answers: tries.shift() ?? [] }],
        },
      });
    }
    expect(steps).toEqual([
      'mfa: QUESTION_AND_ANSWER What city were you born in?',
      expect.stringMatching(/^rejected \(INVALID_SECURITY_RESPONSE\), retry: /),
      'mfa: QUESTION_AND_ANSWER What shape do people like most?',
      expect.stringMatching(
        /^session [0-9a-f-]{36} on login 534dfb34-7ed7-4f7b-a318-84150425914d$/,
      ),
    ]);
  });

  it('gets SessionExpiredError and InvalidInputError as typed members, without calling Flinks', async () => {
    const client = urqlClient(gateway.url, { persisted: trusted });
    const before = gateway.simulator.countCalls('Authorize');
    const expired = await answerMfa(client, {
      input: {
        requestId: 'ffffffff-0000-4000-8000-000000000000',
        responses: [{ prompt: 'What city were you born in?', answers: ['Montreal'] }],
      },
    });
    expect(expired).toMatchObject({
      __typename: 'SessionExpiredError',
      code: 'SESSION_EXPIRED',
      flinksCode: null,
      retryable: false,
    });
    const invalid = await authorize(client, {
      input: { credentials: { institution: 'FlinksCapital', username: ' ', password: '' } },
    });
    expect(invalid.__typename).toBe('InvalidInputError');
    expect(describeResult(invalid)).toMatch(/^invalid input: input\.credentials\./);
    expect(gateway.simulator.countCalls('Authorize')).toBe(before);
  });
});

describe('urql against the gateway in trusted-documents mode', () => {
  let gateway: ListeningGateway;
  beforeAll(async () => {
    gateway = await startListeningGateway({ config: { trustedDocuments: true } });
  });
  afterAll(() => gateway.close());

  it('is refused when it sends the document text instead of its hash', async () => {
    const { data, error } = await urqlClient(gateway.url)
      .mutation(AuthorizeDocument, { input: { cached: { loginId: simulatorLoginId('Greatday') } } })
      .toPromise();
    expect(data).toBeUndefined();
    expect(error?.graphQLErrors.map((e) => [e.message, e.extensions.code])).toEqual([
      ['PersistedQueryOnly', 'CANNOT_SEND_PQ_ID_AND_BODY'],
    ]);
    expect(gateway.simulator.countCalls('Authorize')).toBe(0);
  });
});
