import { describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.ts';
import { gatewayOptions } from '../src/start.ts';

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
