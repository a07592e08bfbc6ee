import { createHash } from 'node:crypto';
import { promisify } from 'node:util';
import { brotliCompress, constants, gzip } from 'node:zlib';
import {
  css,
  editorWorkerService,
  graphqlWorker,
  js,
  jsonWorker,
} from '@graphql-yoga/render-graphiql/graphiql';
import type { GraphiQLOptions, Plugin } from 'graphql-yoga';

/*
 * GraphiQL as a small page and cacheable assets. @graphql-yoga/render-graphiql inlines all of
 * GraphiQL in one 9 MB HTML page, its three Monaco workers as JSON strings turned into blobs, so
 * every load moves and parses 9 MB. Here the page is a few kilobytes; the script, the stylesheet
 * and the workers are files under a versioned path, compressed once (brotli or gzip), cached by
 * the browser as immutable (V8 also caches the compiled script), with the same bytes. The
 * stylesheet keeps the Latin font subsets only (the Cyrillic, Greek and Vietnamese ones are
 * unused by this gateway's text) and one copy of the icon font, which the bundle carries twice;
 * the 150 kB icon becomes a 200-byte SVG.
 */

/** Keeps the @font-face rules a Latin-script page uses, one per face (family, weight, style, range). */
export function latinFontsOnly(stylesheet: string): string {
  const seen = new Set<string>();
  return stylesheet.replace(/@font-face\{[^}]*\}/g, (rule) => {
    const get = (property: string) =>
      new RegExp(`${property}:([^;}]*)`).exec(rule)?.[1]?.trim() ?? '';
    const range = get('unicode-range');
    const latin = range === '' || /U\+0000-00FF|U\+0100-024F/i.test(range);
    const face = ['font-family', 'font-weight', 'font-style', 'unicode-range'].map(get).join('|');
    if (!latin || seen.has(face)) return '';
    seen.add(face);
    return rule;
  });
}

interface Asset {
  type: string;
  body: string;
}

const ASSETS = new Map<string, Asset>([
  ['graphiql.js', { type: 'text/javascript; charset=utf-8', body: js }],
  ['graphiql.css', { type: 'text/css; charset=utf-8', body: latinFontsOnly(css) }],
  ['editor.worker.js', { type: 'text/javascript; charset=utf-8', body: editorWorkerService }],
  ['json.worker.js', { type: 'text/javascript; charset=utf-8', body: jsonWorker }],
  ['graphql.worker.js', { type: 'text/javascript; charset=utf-8', body: graphqlWorker }],
]);

const VERSION = createHash('sha256')
  .update([...ASSETS.values()].map((asset) => asset.body).join('\0'))
  .digest('hex')
  .slice(0, 16);

/** Where the assets are served: under /graphql, so a proxy of /graphql alone carries them. */
export const GRAPHIQL_ASSETS_PATH = `/graphql/graphiql/${VERSION}/`;

const FAVICON =
  "data:image/svg+xml,%3Csvg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 16 16'%3E%3Ccircle cx='8' cy='8' r='7' fill='%23e10098'/%3E%3C/svg%3E";

/** JSON safe inside a <script> element. */
const scriptJson = (value: unknown) =>
  JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');

const escapeHtml = (text: string) => text.replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`);

/** Yoga's `renderGraphiQL`: the page that loads GraphiQL from GRAPHIQL_ASSETS_PATH. */
export function renderGraphiQLPage(options?: GraphiQLOptions): string {
  // The browser asks for the assets next: have them compressed by then.
  for (const [name, asset] of ASSETS) void compressedAsset(name, asset, 'br');
  const at = GRAPHIQL_ASSETS_PATH;
  const workers = {
    editorWorkerService: `${at}editor.worker.js`,
    json: `${at}json.worker.js`,
    graphql: `${at}graphql.worker.js`,
  };
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>${escapeHtml(options?.title ?? 'GraphiQL')}</title>
<link rel="icon" href="${FAVICON}">
<link rel="stylesheet" href="${at}graphiql.css">
<link rel="preload" href="${at}graphql.worker.js" as="script">
</head>
<body id="body" class="no-focus-outline">
<noscript>You need to enable JavaScript to run GraphiQL.</noscript>
<div id="root"></div>
<script>
const workers = ${scriptJson(workers)};
self.MonacoEnvironment = { globalAPI: false, getWorkerUrl: (_, label) => workers[label] };
</script>
<script src="${at}graphiql.js"></script>
<script>
YogaGraphiQL.renderYogaGraphiQL(document.querySelector('#root'), ${scriptJson(options ?? {})});
</script>
</body>
</html>
`;
}

type Encoding = 'br' | 'gzip';
const compressors: Record<Encoding, (body: string) => Promise<Buffer>> = {
  br: (body) =>
    promisify(brotliCompress)(body, {
      params: {
        // Quality 5: within 5 % of 11's size at a fraction of the time (BENCHMARKS.md).
        [constants.BROTLI_PARAM_QUALITY]: 5,
        [constants.BROTLI_PARAM_SIZE_HINT]: Buffer.byteLength(body),
      },
    }),
  gzip: (body) => promisify(gzip)(body, { level: 9 }),
};
const compressed = new Map<string, Promise<Buffer>>();

function compressedAsset(name: string, asset: Asset, encoding: Encoding): Promise<Buffer> {
  const key = `${encoding} ${name}`;
  let bytes = compressed.get(key);
  if (!bytes) {
    bytes = compressors[encoding](asset.body);
    compressed.set(key, bytes);
  }
  return bytes;
}

/** The encoding to answer with: brotli, then gzip, when the request accepts it. */
function encodingFor(acceptEncoding: string | null): Encoding | null {
  const accepted = new Set(
    (acceptEncoding ?? '')
      .split(',')
      .map((part) => part.trim().split(';'))
      .filter(([, q]) => q?.trim() !== 'q=0')
      .map(([name]) => name?.trim().toLowerCase()),
  );
  if (accepted.has('br')) return 'br';
  if (accepted.has('gzip')) return 'gzip';
  return null;
}

/** Serves GRAPHIQL_ASSETS_PATH: immutable, compressed when the browser accepts it. */
export function useGraphiQLAssets(): Plugin {
  return {
    async onRequest({ request, url, fetchAPI, endResponse }) {
      if (!url.pathname.startsWith('/graphql/graphiql/')) return;
      const asset = url.pathname.startsWith(GRAPHIQL_ASSETS_PATH)
        ? ASSETS.get(url.pathname.slice(GRAPHIQL_ASSETS_PATH.length))
        : undefined;
      if (!asset || request.method !== 'GET') {
        endResponse(new fetchAPI.Response(null, { status: 404 }));
        return;
      }
      const encoding = encodingFor(request.headers.get('accept-encoding'));
      const headers: Record<string, string> = {
        'content-type': asset.type,
        'cache-control': 'public, max-age=31536000, immutable',
        vary: 'accept-encoding',
        'x-content-type-options': 'nosniff',
      };
      if (!encoding) {
        endResponse(new fetchAPI.Response(asset.body, { headers }));
        return;
      }
      const bytes = await compressedAsset(
        url.pathname.slice(GRAPHIQL_ASSETS_PATH.length),
        asset,
        encoding,
      );
      endResponse(
        new fetchAPI.Response(new Uint8Array(bytes), {
          headers: { ...headers, 'content-encoding': encoding },
        }),
      );
    },
  };
}
