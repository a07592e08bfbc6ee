/**
 * `npx node bench/graphiql.ts [--rounds N]`: GraphiQL's weight and time to usable, A/B in one
 * interleaved run. (a) is `@graphql-yoga/render-graphiql` as it comes (all of GraphiQL inlined in
 * one page); (b) is this gateway's page and assets (src/use-graphiql-assets.ts). Each round opens each page
 * in a fresh Chromium profile (a first visit) and then reloads it (a repeat visit). "Usable" is
 * the run button and the operations editor drawn. Figures, not assertions: BENCHMARKS.md.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { renderGraphiQL } from '@graphql-yoga/render-graphiql';
import { createYoga } from 'graphql-yoga';
import { chromium, type Page } from 'playwright-core';
import { loadConfig } from '../src/config.ts';
import { graphiqlReadyOperations } from '../src/graphiql-operations.ts';
import { createLogger } from '../src/logger.ts';
import { schema } from '../src/schema/index.ts';
import { simulatorLoginId } from '../src/simulator/index.ts';
import { startGateway } from '../src/start.ts';

const GRAPHIQL_OPERATIONS = graphiqlReadyOperations(simulatorLoginId);

const { values: args } = parseArgs({ options: { rounds: { type: 'string', default: '5' } } });

async function listen(server: Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`;
}

const inlined = createServer(
  createYoga({
    schema,
    graphiql: { title: 'Flinks gateway', defaultQuery: GRAPHIQL_OPERATIONS },
    renderGraphiQL,
    logging: false,
  }),
);
const targets = {
  '(a) render-graphiql, inlined': await listen(inlined),
  '(b) this gateway': (await startGateway(loadConfig({ PORT: '0' }), createLogger('silent'))).url,
};

/** Milliseconds from navigation to a usable editor, and the bytes the page moved. */
async function load(page: Page, url: string, reload: boolean) {
  const started = performance.now();
  if (reload) await page.reload();
  else await page.goto(url);
  await page.getByRole('button', { name: /Execute query/ }).waitFor();
  await page.locator('.graphiql-query-editor .view-lines').waitFor();
  const ms = performance.now() - started;
  const transferred = await page.evaluate(() =>
    performance
      .getEntriesByType('navigation')
      .concat(performance.getEntriesByType('resource'))
      .reduce((sum, entry) => sum + (entry as PerformanceResourceTiming).transferSize, 0),
  );
  return { ms, transferred };
}

const results = new Map<
  string,
  { first: number[]; repeat: number[]; firstBytes: number; repeatBytes: number }
>();
for (let round = 0; round < Number(args.rounds); round++) {
  for (const [name, url] of Object.entries(targets)) {
    const profile = await mkdtemp(join(tmpdir(), 'graphiql-bench-'));
    const context = await chromium.launchPersistentContext(profile, {
      executablePath: '/usr/bin/chromium',
      headless: true,
      viewport: { width: 1280, height: 900 },
      args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'],
    });
    const page = await context.newPage();
    const first = await load(page, url, false);
    const repeat = await load(page, url, true);
    await context.close();
    await rm(profile, { recursive: true, force: true });
    const entry = results.get(name) ?? { first: [], repeat: [], firstBytes: 0, repeatBytes: 0 };
    entry.first.push(first.ms);
    entry.repeat.push(repeat.ms);
    entry.firstBytes = first.transferred;
    entry.repeatBytes = repeat.transferred;
    results.set(name, entry);
  }
}

const median = (values: number[]) =>
  [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0;
console.log(
  '| page | first visit: bytes moved | usable (median) | reload: bytes moved | usable (median) |',
);
console.log('| --- | --- | --- | --- | --- |');
for (const [name, r] of results) {
  console.log(
    `| ${name} | ${r.firstBytes.toLocaleString('en')} | ${Math.round(median(r.first))} ms | ${r.repeatBytes.toLocaleString('en')} | ${Math.round(median(r.repeat))} ms |`,
  );
}
process.exit(0);
