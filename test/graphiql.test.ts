import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { css, js } from '@graphql-yoga/render-graphiql/graphiql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GRAPHIQL_COMMENT_WIDTH, graphiqlReadyOperations } from '../src/graphiql-operations.ts';
import { simulatorLoginId } from '../src/simulator/index.ts';
import { GRAPHIQL_ASSETS_PATH, latinFontsOnly } from '../src/use-graphiql-assets.ts';
import { startTestGateway, type TestGateway } from './support/gateway.ts';

const GRAPHIQL_OPERATIONS = graphiqlReadyOperations(simulatorLoginId);

describe('GraphiQL: a small page, and its assets cached and compressed', () => {
  let gw: TestGateway;
  let page: string;
  beforeAll(async () => {
    gw = await startTestGateway({ graphiqlOperations: GRAPHIQL_OPERATIONS });
    page = await (await gw.fetch('/graphql', { headers: { accept: 'text/html' } })).text();
  });
  afterAll(async () => {
    await gw.close();
  });

  const assets = () => [
    ...new Set([...page.matchAll(/"(\/graphql\/graphiql\/[^"]+)"/g)].map((m) => m[1] as string)),
  ];

  it('serves a page of a few kilobytes that loads five assets from its own origin', () => {
    expect(Buffer.byteLength(page)).toBeLessThan(8_000);
    expect(
      assets()
        .map((path) => path.slice(GRAPHIQL_ASSETS_PATH.length))
        .sort(),
    ).toEqual([
      'editor.worker.js',
      'graphiql.css',
      'graphiql.js',
      'graphql.worker.js',
      'json.worker.js',
    ]);
    expect(page).not.toMatch(/(src|href)="(https?:)?\/\//);
    expect(page).toContain('mutation CachedAuthorize');
  });

  it('serves each asset immutable, brotli or gzip as accepted, the same bytes as the bundle', async () => {
    const script = `${GRAPHIQL_ASSETS_PATH}graphiql.js`;
    const headersOf = (response: Response) => ({
      type: response.headers.get('content-type'),
      cache: response.headers.get('cache-control'),
      encoding: response.headers.get('content-encoding'),
    });
    const plain = await gw.fetch(script, { headers: { 'accept-encoding': 'identity' } });
    expect(headersOf(plain)).toEqual({
      type: 'text/javascript; charset=utf-8',
      cache: 'public, max-age=31536000, immutable',
      encoding: null,
    });
    expect(await plain.text()).toBe(js);

    const br = await gw.fetch(script, { headers: { 'accept-encoding': 'gzip, deflate, br' } });
    expect(headersOf(br).encoding).toBe('br');
    const brBytes = Buffer.from(await br.arrayBuffer());
    expect(brBytes.length).toBeLessThan(js.length / 4);
    expect(brotliDecompressSync(brBytes).toString()).toBe(js);

    const gz = await gw.fetch(script, { headers: { 'accept-encoding': 'gzip' } });
    expect(headersOf(gz).encoding).toBe('gzip');
    expect(gunzipSync(Buffer.from(await gz.arrayBuffer())).toString()).toBe(js);
  });

  it('answers 404 for any other path under the assets', async () => {
    expect((await gw.fetch(`${GRAPHIQL_ASSETS_PATH}other.js`)).status).toBe(404);
    expect((await gw.fetch('/graphql/graphiql/0000/graphiql.js')).status).toBe(404);
  });

  it('keeps the Latin font faces of the stylesheet, each once', () => {
    const faces = (text: string) => text.match(/@font-face\{[^}]*\}/g) ?? [];
    const kept = faces(latinFontsOnly(css));
    expect(kept.length).toBeLessThan(faces(css).length);
    expect(kept.filter((face) => face.includes('font-family:codicon'))).toHaveLength(1);
    expect(kept.every((face) => /U\+0000-00FF|U\+0100-024F|codicon/.test(face))).toBe(true);
    expect(new Set(kept).size).toBe(kept.length);
  });

  it('opens with comment lines the editor pane shows whole', () => {
    const comments = GRAPHIQL_OPERATIONS.split('\n').filter((line) =>
      line.trimStart().startsWith('#'),
    );
    expect(comments.length).toBeGreaterThan(10);
    for (const line of comments) expect(line.length).toBeLessThanOrEqual(GRAPHIQL_COMMENT_WIDTH);
  });
});

describe('GraphiQL in production', () => {
  it('serves none of its assets', async () => {
    const gw = await startTestGateway({
      config: {
        production: true,
        auth: { jwtSecret: 'x'.repeat(32), jwksUrl: null, issuer: null, audience: null },
      },
    });
    try {
      const response = await gw.fetch(`${GRAPHIQL_ASSETS_PATH}graphiql.js`);
      expect(response.status).not.toBe(200);
      expect(await response.text()).not.toContain('YogaGraphiQL');
    } finally {
      await gw.close();
    }
  });
});
