import { type Config, loadConfig } from '../../src/config.ts';
import type { GatewayConfig } from '../../src/server.ts';

/** The gateway settings a test changes; `data` member by member. */
export type ConfigOverrides = Partial<Omit<GatewayConfig, 'data'>> & {
  data?: Partial<Config['data']>;
};

/**
 * The configuration of an empty environment (every default, as `loadConfig` sets it), without a
 * rate limit unless a test sets one, and with the overrides.
 */
export function testConfig(overrides: ConfigOverrides = {}): Config {
  const defaults = loadConfig({ NODE_ENV: 'test' });
  return {
    ...defaults,
    rateLimitPerMinute: 0,
    ...overrides,
    data: { ...defaults.data, ...overrides.data },
  };
}
