import { getHeapStatistics } from 'node:v8';
import type { Config } from './config.ts';

/**
 * Live heap per admitted call while it waits on Flinks, measured with heap snapshots of 2,000
 * calls in flight (BENCHMARKS.md, the burst): Yoga's request, envelop's context, the adapter.
 */
export const HEAP_PER_CALL_BYTES = 35 * 1024;
/** The code, the schema and the caches of an idle gateway, rounded up. */
export const HEAP_BASE_BYTES = 100 * 1024 * 1024;

/**
 * What the configuration may hold alive at once: every admitted call waiting on Flinks, the
 * memory store full, and the gateway itself; large account-data bodies come on top.
 */
export function heapNeeded(config: Pick<Config, 'http' | 'store'>): number {
  const store = config.store.kind === 'memory' ? config.store.maxBytes : 0;
  return HEAP_BASE_BYTES + config.http.maxInFlight * HEAP_PER_CALL_BYTES + store;
}

/**
 * A warning when the configuration can hold more than V8's heap limit (`--max-old-space-size`,
 * 384 MB as `npm start` runs): past it the process stops with "JavaScript heap out of memory"
 * under load instead of refusing calls. Null when it fits.
 */
export function heapWarning(
  config: Pick<Config, 'http' | 'store'>,
  limitBytes = getHeapStatistics().heap_size_limit,
): string | null {
  const needed = heapNeeded(config);
  if (needed <= limitBytes) return null;
  const mb = (bytes: number) => Math.ceil(bytes / (1024 * 1024));
  return `HTTP_MAX_IN_FLIGHT and MEMORY_STORE_MAX_MB can hold ~${mb(needed)} MB alive, over the ${mb(limitBytes)} MB heap limit: lower them, or start Node with --max-old-space-size=${mb(needed * 1.25)} (README, "Heap limit")`;
}
