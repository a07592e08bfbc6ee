import { createHmac } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ANONYMOUS_PRINCIPAL } from './auth.ts';
import { ConfigError, loadConfig } from './config.ts';
import { FlinksClient } from './flinks/client.ts';
import { createLogger } from './logger.ts';
import { createGateway } from './server.ts';
import { SIMULATOR_API_KEY, SIMULATOR_SECRET_KEY, startSimulator } from './simulator/index.ts';

let config: ReturnType<typeof loadConfig>;
try {
  config = loadConfig();
} catch (error) {
  if (!(error instanceof ConfigError)) throw error;
  console.error(`Invalid configuration: ${error.message}`);
  process.exit(1);
}

const logger = createLogger(config.logLevel);

// With the simulator, its own keys unless others are configured (the simulator then uses those).
const secretKey = config.flinks.secretKey ?? SIMULATOR_SECRET_KEY;
const apiKey = config.flinks.apiKey ?? (config.flinks.baseUrl ? null : SIMULATOR_API_KEY);
const simulator = config.flinks.baseUrl
  ? null
  : await startSimulator({
      customerId: config.flinks.customerId,
      secretKey,
      apiKey: apiKey ?? undefined,
    });
if (simulator) {
  logger.warn(
    { url: simulator.url },
    'FLINKS_BASE_URL is not set: started the embedded Flinks simulator',
  );
}

const flinks = new FlinksClient({
  baseUrl: config.flinks.baseUrl ?? (simulator as NonNullable<typeof simulator>).url,
  customerId: config.flinks.customerId,
  secretKey,
  apiKey,
  timeouts: config.flinks.timeouts,
  logger,
});
if (!config.auth.jwtSecret && !config.auth.jwksUrl) {
  logger.warn(
    `no caller authentication configured (AUTH_JWT_SECRET or AUTH_JWKS_URL): every caller is "${ANONYMOUS_PRINCIPAL}"`,
  );
}
const gateway = createGateway(
  {
    production: config.production,
    auth: config.auth,
    rateLimitPerMinute: config.rateLimitPerMinute,
    trustedDocuments: config.trustedDocuments,
  },
  { flinks, logger },
);
const server = createServer(gateway);

server.listen(config.port, config.host, () => {
  const { port } = server.address() as AddressInfo;
  const url = `http://${config.host.includes(':') ? `[${config.host}]` : config.host}:${port}/graphql`;
  logger.info({ url }, 'gateway listening');
  if (!config.production) console.log(`GraphiQL: ${url}`);
});

let stopping = false;
async function shutdown(signal: string): Promise<void> {
  if (stopping) return;
  stopping = true;
  logger.info({ signal }, 'shutting down');
  server.closeIdleConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  await flinks.close();
  await simulator?.close();
  process.exit(0);
}
process.on('SIGTERM', () => void shutdown('SIGTERM'));
process.on('SIGINT', () => void shutdown('SIGINT'));
