import type { Plugin } from 'graphql-yoga';
import type { FlinksClient } from './flinks/client.ts';
import type { BreakerState } from './flinks/resilience.ts';
import { pathnameOf } from './request-path.ts';

const FLINKS_HEALTH: Record<BreakerState, string> = {
  closed: 'available',
  'half-open': 'recovering',
  open: 'unavailable',
};

/**
 * `GET /health`: 200 while the process is up, with what it knows of Flinks (its circuit breaker):
 * `{"status":"ok","flinks":"available"|"recovering"|"unavailable"}`.
 */
export function useHealth(flinks: Partial<Pick<FlinksClient, 'breakerState'>>): Plugin {
  return {
    onRequest({ request, url, fetchAPI, endResponse }) {
      if (pathnameOf(request, url) !== '/health') return;
      endResponse(
        new fetchAPI.Response(
          JSON.stringify({ status: 'ok', flinks: FLINKS_HEALTH[flinks.breakerState ?? 'closed'] }),
          { headers: { 'content-type': 'application/json', 'cache-control': 'no-store' } },
        ),
      );
    },
  };
}
