import { Client, cacheExchange, fetchExchange } from '@urql/core';
import {
  AnswerMfaDocument,
  AuthorizeDocument,
  type AuthorizeResultFieldsFragment,
  type SecurityResponseInput,
} from '../../../src/generated/graphql.ts';

/** The gateway: `?gateway=` in the page's address, else VITE_GATEWAY_URL, else this origin. */
const url =
  new URLSearchParams(location.search).get('gateway') ??
  import.meta.env.VITE_GATEWAY_URL ??
  '/graphql';

const client = new Client({
  url,
  exchanges: [cacheExchange, fetchExchange],
  // Your app's token for the gateway (AUTH_JWT_SECRET / AUTH_JWKS_URL), e.g.:
  // fetchOptions: () => ({ headers: { authorization: `Bearer ${token}` } }),
});

export type Result = AuthorizeResultFieldsFragment;

/** Errors a person cannot act on (network down, the gateway's own bug) are thrown. */
async function run<T>(promise: Promise<{ data?: T; error?: Error }>): Promise<T> {
  const { data, error } = await promise;
  if (!data) throw error ?? new Error('No answer from the gateway.');
  return data;
}

export async function logIn(institution: string, username: string, password: string) {
  const data = await run(
    client
      .mutation(AuthorizeDocument, { input: { credentials: { institution, username, password } } })
      .toPromise(),
  );
  return data.authorize;
}

export async function answerMfa(requestId: string, responses: SecurityResponseInput[]) {
  const data = await run(
    client.mutation(AnswerMfaDocument, { input: { requestId, responses } }).toPromise(),
  );
  return data.answerMfa;
}
