import type { FetchAPI, Plugin } from 'graphql-yoga';
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
    // Not async: a caller whose token was verified before gets no promise.
    onRequest({ request, fetchAPI, endResponse }) {
      if (
        graphiql &&
        request.method === 'GET' &&
        request.headers.get('accept')?.includes('text/html')
      ) {
        return;
      }
      let principal: string | Promise<string>;
      try {
        principal = authenticate(request.headers.get('authorization'));
      } catch (error) {
        return refuse(error, fetchAPI, endResponse);
      }
      if (typeof principal === 'string') {
        principals.set(request, principal);
        return;
      }
      return principal.then(
        (verified) => {
          principals.set(request, verified);
        },
        (error: unknown) => refuse(error, fetchAPI, endResponse),
      );
    },
  };
}

function refuse(error: unknown, fetchAPI: FetchAPI, endResponse: (response: Response) => void) {
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
