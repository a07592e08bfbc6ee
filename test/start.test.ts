import { describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.ts';
import {
  SIMULATOR_API_KEY,
  SIMULATOR_CUSTOMER_ID,
  SIMULATOR_SECRET_KEY,
  startSimulator,
} from '../src/simulator/index.ts';
import { startGateway } from '../src/start.ts';
import { capturedLogger } from './support/gateway.ts';

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
