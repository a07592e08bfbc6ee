import { defineConfig } from 'vite';
import { gatewayOrigin } from './gateway-origin.ts';

export default defineConfig({
  root: new URL('.', import.meta.url).pathname,
  // `npx vite examples/web` proxies /graphql to the gateway `npm start` runs with the same
  // PORT and HOST (4000 on 127.0.0.1 by default).
  server: { proxy: { '/graphql': gatewayOrigin(process.env) } },
});
