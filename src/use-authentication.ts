import type { Plugin } from 'graphql-yoga';
import { type Authenticate, UnauthenticatedError } from './auth.ts';

/**
 * Authenticates every request before it is parsed, except GraphiQL's page itself, and answers 401
 * with `extensions.code: UNAUTHENTICATED` when that fails.
 */
export function useAuthentication(
  authenticate: Authenticate,
  principals: WeakMap<Request, string>,
  { graphiql }: { graphiql: boolean },
): Plugin {
  return {
    async onRequest({ request, fetchAPI, endResponse }) {
      if (
        graphiql &&
        request.method === 'GET' &&
        request.headers.get('accept')?.includes('text/html')
      ) {
        return;
      }
      try {
        principals.set(request, await authenticate(request.headers.get('authorization')));
      } catch (error) {
        if (!(error instanceof UnauthenticatedError)) throw error;
        endResponse(
          new fetchAPI.Response(
            JSON.stringify({
              errors: [{ message: error.message, extensions: { code: 'UNAUTHENTICATED' } }],
            }),
            {
              status: 401,
              headers: { 'content-type': 'application/json', 'www-authenticate': 'Bearer' },
            },
          ),
        );
      }
    },
  };
}
