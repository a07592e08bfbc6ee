/**
 * npm run bench -- --parts retained: what the gateway keeps per successful cached authorize. Heap
 * after a full GC (node --expose-gc) before and after a stretch of successes, divided by their
 * number: the sessions the gateway remembers (30 minutes each) show here, garbage does not.
 */
import { closedLoop } from './load.ts';
import { bearer, startGatewayProcess, startUpstream, targets } from './setup.ts';

export async function retained(seconds: number): Promise<void> {
  const upstream = await startUpstream(0);
  const gateway = await startGatewayProcess(upstream.url, { execArgv: ['--expose-gc'] });
  try {
    const target = targets({ a: '', b: '', c: '', d: gateway.url }, await bearer()).d;
    await closedLoop(target, { concurrency: 32, durationMs: 1_000 });
    const heap = async () =>
      (await gateway.call<{ heapUsed: number; rss: number }>('usage', { gc: true })).heapUsed;
    const before = await heap();
    const result = await closedLoop(target, { concurrency: 32, durationMs: seconds * 1000 });
    const after = await heap();
    console.log(
      `\nretained by (d): heap after a full GC ${(before / 1048576).toFixed(1)} MB, then ` +
        `${(after / 1048576).toFixed(1)} MB after ${result.ok} more successful cached authorize calls: ` +
        `${((after - before) / Math.max(1, result.ok)).toFixed(0)} bytes each`,
    );
  } finally {
    await gateway.exit();
    await upstream.exit();
  }
}
