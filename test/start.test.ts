import { describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.ts';
import {
  SIMULATOR_API_KEY,
  SIMULATOR_CUSTOMER_ID,
  SIMULATOR_SECRET_KEY,
  startSimulator,
} from '../src/simulator/index.ts';
import { gatewayOptions, startGateway } from '../src/start.ts';
import { capturedLogger } from './support/gateway.ts';

describe('gatewayOptions', () => {
  it('hands every gateway setting of the configuration to the gateway', () => {
    const config = loadConfig({
      CORS_ORIGINS: 'https://app.example.com',
      RATE_LIMIT_PER_MINUTE: '7',
      DATA_WAIT_MS: '1234',
      DATA_POLL_INTERVAL_MS: '250',
      REQUEST_DEADLINE_MS: '60000',
      TRUSTED_DOCUMENTS: 'true',
      AUTH_JWT_SECRET: 'k'.repeat(32),
    });
    const options = gatewayOptions(config, 'secret-key');
    expect(options).toMatchObject({
      production: false,
      auth: { jwtSecret: 'k'.repeat(32) },
      rateLimitPerMinute: 7,
      corsOrigins: ['https://app.example.com'],
      trustedDocuments: true,
      dataWaitMs: 1234,
      dataPollIntervalMs: 250,
      requestDeadlineMs: 60_000,
    });
  });

  it('derives the statement link key from the secret, so instances share links', () => {
    const config = loadConfig({});
    const a = gatewayOptions(config, 'secret-key').statementLinkKey;
    expect(a).toEqual(gatewayOptions(config, 'secret-key').statementLinkKey);
    expect(a).not.toEqual(gatewayOptions(config, 'other-secret').statementLinkKey);
    expect(a?.toString('utf8')).not.toContain('secret-key');
  });
});

describe('startGateway', () => {
  it('warns at start when production runs on the memory store it was told to use', async () => {
    const simulator = await startSimulator();
    const { logger, lines } = capturedLogger();
    const config = loadConfig({
      NODE_ENV: 'production',
      PORT: '0',
      FLINKS_BASE_URL: simulator.url,
      FLINKS_CUSTOMER_ID: SIMULATOR_CUSTOMER_ID,
      FLINKS_SECRET_KEY: SIMULATOR_SECRET_KEY,
      FLINKS_API_KEY: SIMULATOR_API_KEY,
      AUTH_JWT_SECRET: 'k'.repeat(32),
      GATEWAY_STORE: 'memory',
    });
    const gateway = await startGateway(config, logger);
    try {
      const warnings = lines.map((line) => JSON.parse(line)).filter((line) => line.level === 40);
      expect(warnings.map((line) => line.msg)).toEqual([
        expect.stringMatching(/^GATEWAY_STORE=memory: one instance only; .*lost on restart$/),
      ]);
      expect((await fetch(new URL('/readiness', gateway.url))).status).toBe(200);
    } finally {
      await gateway.close();
      await simulator.close();
    }
  });
});
