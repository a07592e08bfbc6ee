import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.ts';
import { heapNeeded, heapWarning } from '../src/heap-budget.ts';

/** V8's heap limit under `npm start`'s own flag, read from a Node started with it. */
function heapLimitOfNpmStart(): number {
  return Number(
    execFileSync(process.execPath, [
      '--max-old-space-size=384',
      '-e',
      'process.stdout.write(String(require("node:v8").getHeapStatistics().heap_size_limit))',
    ]).toString(),
  );
}

describe('heap budget', () => {
  const limit = heapLimitOfNpmStart();

  it('fits the defaults in the heap limit npm start runs with', () => {
    const config = loadConfig({});
    expect(heapNeeded(config)).toBeLessThan(limit);
    expect(heapWarning(config, limit)).toBeNull();
  });

  it.each([
    ['more calls admitted', { HTTP_MAX_IN_FLIGHT: '16000' }],
    ['a larger memory store', { MEMORY_STORE_MAX_MB: '512' }],
  ])('warns at start when %s can outgrow it, with the flag to use', (_name, env) => {
    const config = loadConfig({ ...env });
    const warning = heapWarning(config, limit);
    expect(warning).toMatch(/heap limit: lower them, or start Node with --max-old-space-size=\d+/);
    const suggested = Number(warning?.match(/--max-old-space-size=(\d+)/)?.[1]);
    expect(suggested * 1024 * 1024).toBeGreaterThan(heapNeeded(config));
  });

  it('counts no memory store on PostgreSQL', () => {
    const config = loadConfig({
      DATABASE_URL: 'postgres://gateway@127.0.0.1/gateway',
      MEMORY_STORE_MAX_MB: '4096',
    });
    expect(heapWarning(config, limit)).toBeNull();
  });
});
