import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../src/config.ts';
import { SIMULATOR_CUSTOMER_ID as TOOLBOX_CUSTOMER_ID } from '../src/simulator/credentials.ts';

describe('loadConfig', () => {
  it('defaults to the simulator on loopback port 4000 with the toolbox customer id', () => {
    expect(loadConfig({})).toMatchObject({
      port: 4000,
      host: '127.0.0.1',
      production: false,
      flinks: {
        baseUrl: null,
        customerId: TOOLBOX_CUSTOMER_ID,
        secretKey: null,
        timeouts: { connectMs: 10_000, headersMs: 120_000, bodyMs: 30_000 },
        connections: 256,
        breaker: { threshold: 5, minCallers: 3, halfOpenAfterMs: 10_000 },
      },
      requestDeadlineMs: 130_000,
      shutdownGraceMs: 25_000,
      data: {
        waitMs: 5_000,
        pollIntervalMs: 1_000,
        deferWaitMs: 300_000,
        deferPollIntervalMs: 10_000,
      },
      rateLimitPerMinute: 600,
      corsOrigins: ['*'],
      trustedDocuments: false,
      store: { kind: 'memory', maxBytes: 64 * 1024 * 1024, explicit: false },
    });
    expect(loadConfig({ CORS_ORIGINS: 'https://a.test, https://b.test' }).corsOrigins).toEqual([
      'https://a.test',
      'https://b.test',
    ]);
  });

  it('relaxes the rate limit only for the anonymous development principal', () => {
    const production = {
      NODE_ENV: 'production',
      FLINKS_BASE_URL: 'https://x.test',
      FLINKS_SECRET_KEY: 'abcdefghij',
      AUTH_JWT_SECRET: 'a'.repeat(32),
      DATABASE_URL: 'postgres://gateway@db.internal/gateway',
    };
    expect(loadConfig({}).rateLimitPerMinute).toBe(600);
    expect(loadConfig({ NODE_ENV: 'test' }).rateLimitPerMinute).toBe(600);
    expect(loadConfig({ AUTH_JWT_SECRET: 'a'.repeat(32) }).rateLimitPerMinute).toBe(30);
    expect(loadConfig({ AUTH_JWKS_URL: 'https://idp.test/jwks' }).rateLimitPerMinute).toBe(30);
    expect(loadConfig(production).rateLimitPerMinute).toBe(30);
    expect(loadConfig({ RATE_LIMIT_PER_MINUTE: '5' }).rateLimitPerMinute).toBe(5);
    expect(loadConfig({ ...production, RATE_LIMIT_PER_MINUTE: '0' }).rateLimitPerMinute).toBe(0);
  });

  it('reports every problem at once, one line each naming its variable', () => {
    let error: unknown;
    try {
      loadConfig({
        NODE_ENV: 'production',
        PORT: 'eighty',
        FLINKS_CUSTOMER_ID: 'toolbox',
        DATA_WAIT_MS: '-1',
      });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).problems).toEqual([
      'PORT: must be a whole number',
      'FLINKS_CUSTOMER_ID: must be a GUID',
      'DATA_WAIT_MS: must be at least 0',
      'FLINKS_BASE_URL: required in production (the simulator is for development)',
      'AUTH_JWT_SECRET: production needs caller authentication (AUTH_JWT_SECRET or AUTH_JWKS_URL)',
      expect.stringMatching(/^DATABASE_URL: required in production, /),
    ]);
    expect((error as Error).message.split('\n')).toEqual((error as ConfigError).problems);
  });

  it('turns trusted-documents mode on only for TRUSTED_DOCUMENTS=true', () => {
    expect(loadConfig({ TRUSTED_DOCUMENTS: 'true' }).trustedDocuments).toBe(true);
    expect(loadConfig({ TRUSTED_DOCUMENTS: 'false' }).trustedDocuments).toBe(false);
    expect(loadConfig({ TRUSTED_DOCUMENTS: '' }).trustedDocuments).toBe(false);
  });

  it('traces only when an OTLP endpoint is set, with the standard OTEL_* variables', () => {
    expect(loadConfig({}).tracing).toBeNull();
    expect(loadConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318/' }).tracing).toEqual({
      url: 'http://collector:4318/v1/traces',
      protocol: 'http/protobuf',
      serviceName: 'flinks-gateway',
      sampler: 'parentbased_always_on',
      samplerRatio: 1,
    });
    expect(
      loadConfig({
        OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318',
        OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'https://traces.example.com/otlp',
        OTEL_SERVICE_NAME: 'gateway-eu',
        OTEL_TRACES_SAMPLER: 'parentbased_traceidratio',
        OTEL_TRACES_SAMPLER_ARG: '0.25',
      }).tracing,
    ).toEqual({
      url: 'https://traces.example.com/otlp',
      protocol: 'http/protobuf',
      serviceName: 'gateway-eu',
      sampler: 'parentbased_traceidratio',
      samplerRatio: 0.25,
    });
    const endpoint = { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318' };
    expect(loadConfig({ ...endpoint, OTEL_SDK_DISABLED: 'true' }).tracing).toBeNull();
    expect(loadConfig({ ...endpoint, OTEL_TRACES_EXPORTER: 'none' }).tracing).toBeNull();
    // The specification's protocol variables: the traces one wins; protobuf by default.
    expect(
      loadConfig({ ...endpoint, OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json' }).tracing,
    ).toMatchObject({
      protocol: 'http/json',
    });
    expect(
      loadConfig({
        ...endpoint,
        OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
        OTEL_EXPORTER_OTLP_TRACES_PROTOCOL: 'http/protobuf',
      }).tracing,
    ).toMatchObject({ protocol: 'http/protobuf' });
    expect(() => loadConfig({ ...endpoint, OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc' })).toThrow(
      /^OTEL_EXPORTER_OTLP_PROTOCOL: must be http\/protobuf or http\/json \(grpc is not supported\)/,
    );
    expect(() => loadConfig({ ...endpoint, OTEL_TRACES_SAMPLER: 'sometimes' })).toThrow(
      /^OTEL_TRACES_SAMPLER: must be one of always_on/,
    );
  });

  it('reads a real Flinks instance', () => {
    const config = loadConfig({
      FLINKS_BASE_URL: 'https://toolbox-api.private.fin.ag/',
      FLINKS_SECRET_KEY: 'c4569c54-e167-4d34-8de6-f4113bc82414',
      FLINKS_HEADERS_TIMEOUT_MS: '90000',
      PORT: '0',
    });
    expect(config.flinks.baseUrl).toBe('https://toolbox-api.private.fin.ag');
    expect(config.flinks.timeouts.headersMs).toBe(90_000);
    expect(config.port).toBe(0);
  });

  it.each([
    [{ PORT: 'eighty' }, /^PORT: /],
    [{ PORT: '70000' }, /^PORT: must be at most 65535/],
    [{ FLINKS_BASE_URL: 'ftp://flinks', FLINKS_SECRET_KEY: 'abcdefghij' }, /^FLINKS_BASE_URL: /],
    [
      { FLINKS_BASE_URL: 'https://x.test/v3/x', FLINKS_SECRET_KEY: 'abcdefghij' },
      /^FLINKS_BASE_URL: must be an origin such as https:\/\/toolbox-api\.private\.fin\.ag, without a path/,
    ],
    [
      { FLINKS_BASE_URL: 'https://x.test?a=1', FLINKS_SECRET_KEY: 'abcdefghij' },
      /^FLINKS_BASE_URL: must be an origin/,
    ],
    [{ FLINKS_BASE_URL: 'https://x.test' }, /^FLINKS_SECRET_KEY: required/],
    [{ FLINKS_CUSTOMER_ID: 'toolbox' }, /^FLINKS_CUSTOMER_ID: must be a GUID/],
    [{ FLINKS_BODY_TIMEOUT_MS: '0' }, /^FLINKS_BODY_TIMEOUT_MS: must be at least 1/],
    [{ NODE_ENV: 'staging' }, /^NODE_ENV: /],
    [{ CORS_ORIGINS: 'https://app.example.com/path' }, /^CORS_ORIGINS: must be \* or/],
    [{ TRUSTED_DOCUMENTS: 'yes' }, /^TRUSTED_DOCUMENTS: must be true or false/],
    [{ DATABASE_URL: 'mysql://db' }, /^DATABASE_URL: must be a postgres:\/\/ URL$/],
    [{ GATEWAY_STORE: 'redis' }, /^GATEWAY_STORE: must be memory or postgres$/],
    [{ GATEWAY_STORE: 'postgres' }, /^DATABASE_URL: required when GATEWAY_STORE=postgres$/],
    [
      { GATEWAY_STORE: 'memory', DATABASE_URL: 'postgres://db/x' },
      /^GATEWAY_STORE: memory, yet DATABASE_URL is set/,
    ],
    [{ DATABASE_POOL_SIZE: '0' }, /^DATABASE_POOL_SIZE: must be at least 1$/],
    [{ DATABASE_TIMEOUT_MS: 'soon' }, /^DATABASE_TIMEOUT_MS: must be a whole number$/],
    [{ MEMORY_STORE_MAX_MB: '0' }, /^MEMORY_STORE_MAX_MB: must be at least 1$/],
    [
      {
        NODE_ENV: 'production',
        FLINKS_BASE_URL: 'https://x.test',
        FLINKS_SECRET_KEY: 'abcdefghij',
        GATEWAY_STORE: 'memory',
      },
      /^AUTH_JWT_SECRET: /,
    ],
    [
      { NODE_ENV: 'production', AUTH_JWT_SECRET: 'a'.repeat(32), GATEWAY_STORE: 'memory' },
      /^FLINKS_BASE_URL: required in production/,
    ],
  ])('refuses %o with one line naming the variable', (env, message) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(message);
    expect(() => loadConfig(env)).not.toThrow(/\n/);
  });

  it('reads the PostgreSQL store and its pool settings', () => {
    const url = 'postgres://gateway:pw@db.internal:5432/gateway';
    expect(
      loadConfig({ DATABASE_URL: url, DATABASE_POOL_SIZE: '25', DATABASE_TIMEOUT_MS: '1500' })
        .store,
    ).toEqual({ kind: 'postgres', url, poolSize: 25, timeoutMs: 1500 });
    expect(loadConfig({ DATABASE_URL: url }).store).toEqual({
      kind: 'postgres',
      url,
      poolSize: 10,
      timeoutMs: 2000,
    });
    expect(loadConfig({ MEMORY_STORE_MAX_MB: '8' }).store).toEqual({
      kind: 'memory',
      maxBytes: 8 * 1024 * 1024,
      explicit: false,
    });
  });

  it('needs DATABASE_URL in production, unless the memory store is chosen by name', () => {
    const production = {
      NODE_ENV: 'production',
      FLINKS_BASE_URL: 'https://x.test',
      FLINKS_SECRET_KEY: 'abcdefghij',
      AUTH_JWT_SECRET: 'a'.repeat(32),
    };
    expect(() => loadConfig(production)).toThrow(
      /^DATABASE_URL: required in production, .*GATEWAY_STORE=memory chooses a single instance/,
    );
    expect(loadConfig({ ...production, GATEWAY_STORE: 'memory' }).store).toMatchObject({
      kind: 'memory',
      explicit: true,
    });
    expect(loadConfig({ ...production, DATABASE_URL: 'postgresql://db/x' }).store.kind).toBe(
      'postgres',
    );
  });

  it('reports every problem at once, one line per variable', () => {
    try {
      loadConfig({ PORT: 'eighty', DATABASE_POOL_SIZE: '0', GATEWAY_STORE: 'redis' });
      expect.unreachable();
    } catch (error) {
      expect((error as ConfigError).problems).toEqual([
        'PORT: must be a whole number',
        'GATEWAY_STORE: must be memory or postgres',
        'DATABASE_POOL_SIZE: must be at least 1',
      ]);
    }
    try {
      loadConfig({ NODE_ENV: 'production' });
      expect.unreachable();
    } catch (error) {
      expect((error as ConfigError).problems.map((line) => line.split(':')[0])).toEqual([
        'FLINKS_BASE_URL',
        'AUTH_JWT_SECRET',
        'DATABASE_URL',
      ]);
    }
  });

  it('never repeats the database URL, which carries its password', () => {
    try {
      loadConfig({ DATABASE_URL: 'mysql://gateway:hunter2-secret@db/x' });
      expect.unreachable();
    } catch (error) {
      expect((error as Error).message).toBe('DATABASE_URL: must be a postgres:// URL');
    }
  });

  it('never repeats a secret value in its message', () => {
    try {
      loadConfig({ FLINKS_SECRET_KEY: 'short' });
      expect.unreachable();
    } catch (error) {
      expect((error as Error).message).toBe('FLINKS_SECRET_KEY: must be at least 8 characters');
    }
  });
});
