/**
 * Where `npm start` listens, from the same PORT and HOST (defaults of src/config.ts: 4000 on
 * 127.0.0.1), so `npx vite examples/web` proxies /graphql to the gateway wherever it runs.
 */
export function gatewayOrigin(env: Record<string, string | undefined>): string {
  const port = env.PORT?.trim() || '4000';
  const host = env.HOST?.trim() || '127.0.0.1';
  // A wildcard address listens everywhere; connect to it on loopback.
  const target = host === '0.0.0.0' ? '127.0.0.1' : host === '::' ? '::1' : host;
  return `http://${target.includes(':') ? `[${target}]` : target}:${port}`;
}
