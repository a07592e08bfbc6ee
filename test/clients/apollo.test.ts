import { ApolloClient, ApolloLink, HttpLink, InMemoryCache } from '@apollo/client';
import { PersistedQueryLink } from '@apollo/client/link/persisted-queries';
import type { DocumentNode } from 'graphql';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  AnswerMfaDocument,
  AuthorizeDocument,
  type AuthorizeMutationVariables,
  type AuthorizeResultFieldsFragment,
  MfaStepDocument,
} from '../../src/generated/graphql.ts';
import introspection from '../../src/generated/possible-types.ts';
import { simulatorLoginId } from '../../src/simulator/index.ts';
import { describeResult } from '../support/describe-result.ts';
import { type ListeningGateway, startListeningGateway } from '../support/listening-gateway.ts';

/** The hash codegen embedded in a generated document (`__meta__.hash`). */
function embeddedHash(document: DocumentNode): string {
  const hash = (document as { __meta__?: { hash?: unknown } }).__meta__?.hash;
  if (typeof hash !== 'string') throw new Error('the document carries no persisted hash');
  return hash;
}

function apolloClient(url: string, { persisted = false, possibleTypes = true } = {}) {
  const http = new HttpLink({ uri: url });
  return new ApolloClient({
    link: persisted
      ? ApolloLink.from([new PersistedQueryLink({ generateHash: embeddedHash }), http])
      : http,
    cache: new InMemoryCache(possibleTypes ? { possibleTypes: introspection.possibleTypes } : {}),
  });
}

async function authorize(
  client: ApolloClient,
  variables: AuthorizeMutationVariables,
): Promise<AuthorizeResultFieldsFragment> {
  const { data } = await client.mutate({ mutation: AuthorizeDocument, variables });
  if (!data) throw new Error('no data');
  return data.authorize;
}

async function answer(
  client: ApolloClient,
  requestId: string,
  prompt: string,
  answers: string[],
): Promise<AuthorizeResultFieldsFragment> {
  const { data } = await client.mutate({
    mutation: AnswerMfaDocument,
    variables: { input: { requestId, responses: [{ prompt, answers }] } },
  });
  if (!data) throw new Error('no data');
  return data.answerMfa;
}

/** Greatday's two rounds with the typed documents, branching on __typename at each step. */
async function greatdayLogin(client: ApolloClient): Promise<string[]> {
  const steps: string[] = [];
  const answers: Record<string, string[]> = {
    'What city were you born in?': ['Montreal'],
    'What shape do people like most?': ['Triangle'],
  };
  const { data } = await client.mutate({
    mutation: AuthorizeDocument,
    variables: {
      input: {
        credentials: { institution: 'FlinksCapital', username: 'Greatday', password: 'Everyday' },
      },
    },
  });
  let result = data?.authorize;
  while (result) {
    steps.push(describeResult(result));
    if (result.__typename !== 'MfaRequired') break;
    const [challenge] = result.challenges;
    if (!challenge) throw new Error('an MFA step without challenges');
    result = await answer(
      client,
      result.requestId,
      challenge.prompt,
      answers[challenge.prompt] ?? [],
    );
  }
  return steps;
}

describe.each([
  ['full documents', false],
  ['trusted documents, sent by hash', true],
])('Apollo Client against the listening gateway (%s)', (_name, trusted) => {
  let gateway: ListeningGateway;
  beforeAll(async () => {
    gateway = await startListeningGateway({ config: { trustedDocuments: trusted } });
  });
  afterAll(() => gateway.close());

  it('opens a cached session and reads the AuthorizeSuccess member', async () => {
    const client = apolloClient(gateway.url, { persisted: trusted });
    const loginId = simulatorLoginId('Greatday');
    const { data } = await client.mutate({
      mutation: AuthorizeDocument,
      variables: { input: { cached: { loginId } } },
    });
    const result = data?.authorize;
    if (result?.__typename !== 'AuthorizeSuccess') throw new Error(`got ${result?.__typename}`);
    expect(result).toEqual({
      __typename: 'AuthorizeSuccess',
      requestId: expect.stringMatching(/^[0-9a-f-]{36}$/),
      institution: 'FlinksCapital',
      institutionName: 'FlinksCapital',
      login: {
        __typename: 'Login',
        id: loginId,
        username: 'Greatday',
        lastRefresh: expect.stringMatching(/^\d{4}-\d\d-\d\dT.*Z$/),
      },
      tag: null,
    });
  });

  it('walks Greatday through two MFA rounds to AuthorizeSuccess', async () => {
    const steps = await greatdayLogin(apolloClient(gateway.url, { persisted: trusted }));
    expect(steps).toEqual([
      'mfa: QUESTION_AND_ANSWER What city were you born in?',
      'mfa: QUESTION_AND_ANSWER What shape do people like most?',
      expect.stringMatching(
        /^session [0-9a-f-]{36} on login 534dfb34-7ed7-4f7b-a318-84150425914d$/,
      ),
    ]);
  });

  it('gets the error members as typed results: a wrong answer, then bad credentials', async () => {
    const client = apolloClient(gateway.url, { persisted: trusted });
    const step = await authorize(client, {
      input: {
        credentials: { institution: 'FlinksCapital', username: 'Greatday', password: 'Everyday' },
      },
    });
    if (step.__typename !== 'MfaRequired') throw new Error(`got ${step.__typename}`);
    const rejected = await answer(client, step.requestId, 'What city were you born in?', [
      'Toronto',
    ]);
    expect(rejected).toMatchObject({
      __typename: 'MfaAnswerRejectedError',
      code: 'MFA_ANSWER_REJECTED',
      flinksCode: 'INVALID_SECURITY_RESPONSE',
      canRetry: true,
      challenges: [{ prompt: 'What city were you born in?' }],
    });
    const refused = await authorize(client, {
      input: {
        credentials: {
          institution: 'FlinksCapital',
          username: 'test_invalid_login',
          password: 'Everyday',
        },
      },
    });
    expect(describeResult(refused)).toMatch(/^INVALID_CREDENTIALS \(INVALID_LOGIN\): /);
  });

  it('reads an Error member back from the cache through the generated possibleTypes', async () => {
    const withTypes = apolloClient(gateway.url, { persisted: trusted });
    const variables = { requestId: 'ffffffff-0000-4000-8000-000000000000' };
    const { data } = await withTypes.query({ query: MfaStepDocument, variables });
    expect(data?.mfaStep).toMatchObject({
      __typename: 'SessionExpiredError',
      code: 'SESSION_EXPIRED',
      flinksCode: null,
    });
    expect(withTypes.readQuery({ query: MfaStepDocument, variables })).toEqual(data);

    // Without the map the cache cannot tell that SessionExpiredError implements Error: it drops
    // the fields selected through `... on Error` and says so.
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    try {
      const withoutTypes = apolloClient(gateway.url, { persisted: trusted, possibleTypes: false });
      await withoutTypes.query({ query: MfaStepDocument, variables });
      expect(withoutTypes.readQuery({ query: MfaStepDocument, variables })).toEqual({
        __typename: 'Query',
        mfaStep: { __typename: 'SessionExpiredError' },
      });
      expect(String(warn.mock.calls[0])).toContain('possibleTypes');
    } finally {
      warn.mockRestore();
    }
  });
});

describe('Apollo Client against the gateway in trusted-documents mode', () => {
  let gateway: ListeningGateway;
  beforeAll(async () => {
    gateway = await startListeningGateway({ config: { trustedDocuments: true } });
  });
  afterAll(() => gateway.close());

  it('is refused when it sends the document text instead of its hash', async () => {
    const client = apolloClient(gateway.url);
    await expect(
      client.mutate({
        mutation: AuthorizeDocument,
        variables: { input: { cached: { loginId: simulatorLoginId('Greatday') } } },
      }),
    ).rejects.toThrow('PersistedQueryOnly');
    expect(gateway.simulator.countCalls('Authorize')).toBe(0);
  });
});
