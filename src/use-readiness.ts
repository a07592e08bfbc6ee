import type { Plugin } from 'graphql-yoga';
import { pathnameOf } from './request-path.ts';

/**
 * `/readiness`: 200 when `check` says so, 503 when not or when it fails (its message as text).
 * What Yoga's useReadinessCheck answers, matched on the path alone: Yoga's plugin also tests a
 * URLPattern against every other request, the GraphQL ones included.
 */
export function useReadiness(check: () => Promise<boolean>): Plugin {
  return {
    // Not async: every other request passes through without a promise.
    onRequest({ request, url, fetchAPI, endResponse }) {
      if (pathnameOf(request, url) !== '/readiness') return;
      return check().then(
        (ready) => endResponse(new fetchAPI.Response(null, { status: ready ? 200 : 503 })),
        (error: unknown) => {
          const isError = error instanceof Error;
          endResponse(
            new fetchAPI.Response(isError ? error.message : null, {
              status: 503,
              headers: isError ? { 'content-type': 'text/plain; charset=utf-8' } : {},
            }),
          );
        },
      );
    },
  };
}
