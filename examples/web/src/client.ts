import { Client, cacheExchange, fetchExchange } from '@urql/core';
import {
  AnswerMfaDocument,
  AuthorizeDocument,
  type AuthorizeResultFieldsFragment,
  DeleteLoginDocument,
  type DeleteLoginResultFieldsFragment,
  LoginsDocument,
  type SecurityResponseInput,
  SessionAccountsDeferredDocument,
  type SessionAccountsDeferredQuery,
} from '../../../src/generated/graphql.ts';

/** The gateway: `?gateway=` in the page's address, else VITE_GATEWAY_URL, else this origin. */
const url =
  new URLSearchParams(location.search).get('gateway') ??
  import.meta.env.VITE_GATEWAY_URL ??
  '/graphql';

const client = new Client({
  url,
  exchanges: [cacheExchange, fetchExchange],
  // urql sends short queries as GET by default; the gateway refuses a GET without a CSRF header
  // (a simple request a cross-site page could make), so every operation is a JSON POST.
  preferGetMethod: false,
  // Your app's token for the gateway (AUTH_JWT_SECRET / AUTH_JWKS_URL), e.g.:
  // fetchOptions: () => ({ headers: { authorization: `Bearer ${token}` } }),
});

export type Result = AuthorizeResultFieldsFragment;
export type DeleteResult = DeleteLoginResultFieldsFragment;

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

/** The caller's bank connections, read from the gateway each time (never from urql's cache). */
export async function connections() {
  const data = await run(
    client.query(LoginsDocument, {}, { requestPolicy: 'network-only' }).toPromise(),
  );
  return data.logins;
}

/** Disconnects a bank: Flinks deletes the LoginId and its data. */
export async function disconnect(loginId: string) {
  const data = await run(client.mutation(DeleteLoginDocument, { input: { loginId } }).toPromise());
  return data.deleteLogin;
}

export type AccountsResult = SessionAccountsDeferredQuery['session'];

/**
 * The session's accounts, then their transactions: one request with `@defer` and `@stream`
 * (operations/data.graphql), each payload handed to `onResult` as urql merges it; `done` is true
 * on the last one.
 */
export function watchAccounts(
  requestId: string,
  onResult: (session: AccountsResult | null, done: boolean, error?: Error) => void,
): void {
  client
    .query(
      SessionAccountsDeferredDocument,
      { requestId, first: 20 },
      { requestPolicy: 'network-only' },
    )
    .subscribe((result) => onResult(result.data?.session ?? null, !result.hasNext, result.error));
}
