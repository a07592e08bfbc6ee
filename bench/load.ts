/**
 * A closed-loop load generator over undici: `concurrency` workers, each sending its next request
 * as soon as the previous one is answered, until `durationMs` has passed. Runs in bench/main.ts's
 * process, never in a measured server's.
 */
import { performance } from 'node:perf_hooks';
import { Pool } from 'undici';

export interface Target {
  /** Full URL of the endpoint. */
  url: string;
  headers: Record<string, string>;
  body: string;
  /** Whether an answer is the success the target should give. */
  ok(status: number, text: string): boolean;
}

export interface LoadResult {
  requests: number;
  ok: number;
  /** Requests that failed at the client (socket errors) or answered something else. */
  failed: number;
  seconds: number;
  /** Milliseconds, sorted. */
  latencies: Float64Array;
}

export function percentile(sorted: Float64Array, p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
}

export async function closedLoop(
  target: Target,
  options: { concurrency: number; durationMs: number },
): Promise<LoadResult> {
  const url = new URL(target.url);
  const pool = new Pool(url.origin, { connections: options.concurrency, pipelining: 1 });
  const latencies: number[] = [];
  let ok = 0;
  let failed = 0;
  const started = performance.now();
  const end = started + options.durationMs;
  const worker = async () => {
    while (performance.now() < end) {
      const sent = performance.now();
      try {
        const response = await pool.request({
          path: url.pathname,
          method: 'POST',
          headers: target.headers,
          body: target.body,
        });
        const text = await response.body.text();
        latencies.push(performance.now() - sent);
        if (target.ok(response.statusCode, text)) ok += 1;
        else failed += 1;
      } catch {
        failed += 1;
      }
    }
  };
  await Promise.all(Array.from({ length: options.concurrency }, worker));
  const seconds = (performance.now() - started) / 1000;
  await pool.close();
  return {
    requests: latencies.length,
    ok,
    failed,
    seconds,
    latencies: Float64Array.from(latencies).sort(),
  };
}
