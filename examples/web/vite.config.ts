import { defineConfig } from 'vite';

export default defineConfig({
  root: new URL('.', import.meta.url).pathname,
  // `npm start` serves the gateway on port 4000; `npx vite examples/web` proxies /graphql to it.
  server: { proxy: { '/graphql': 'http://127.0.0.1:4000' } },
});
