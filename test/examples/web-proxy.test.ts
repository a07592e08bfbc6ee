import { createServer, type ViteDevServer } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gatewayOrigin } from '../../examples/web/gateway-origin.ts';
import { loadConfig } from '../../src/config.ts';
import { type ListeningGateway, startListeningGateway } from '../support/listening-gateway.ts';

const EXAMPLE = new URL('../../examples/web/', import.meta.url).pathname;

describe('the web example finds the gateway from PORT and HOST, as npm start does', () => {
  it('uses the defaults of the gateway’s own configuration', () => {
    for (const env of [{}, { PORT: '4100' }, { PORT: '4100', HOST: '127.0.0.2' }]) {
      const { host, port } = loadConfig(env);
      expect(gatewayOrigin(env)).toBe(`http://${host}:${port}`);
    }
    expect(gatewayOrigin({ HOST: '0.0.0.0', PORT: '4100' })).toBe('http://127.0.0.1:4100');
    expect(gatewayOrigin({ HOST: '::1' })).toBe('http://[::1]:4000');
  });

  describe('vite’s dev server with PORT set to where the gateway listens', () => {
    let gateway: ListeningGateway;
    let vite: ViteDevServer;
    let previousPort: string | undefined;
    beforeAll(async () => {
      gateway = await startListeningGateway();
      previousPort = process.env.PORT;
      process.env.PORT = new URL(gateway.origin).port;
      vite = await createServer({
        configFile: `${EXAMPLE}vite.config.ts`,
        logLevel: 'silent',
        server: { port: 0, host: '127.0.0.1' },
      });
      await vite.listen();
    }, 60_000);
    afterAll(async () => {
      if (previousPort === undefined) delete process.env.PORT;
      else process.env.PORT = previousPort;
      await vite?.close();
      await gateway?.close();
    });

    it('proxies /graphql to the gateway', async () => {
      const address = vite.httpServer?.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      const response = await fetch(`http://127.0.0.1:${port}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          query: `mutation { authorize(input: { credentials: { institution: "FlinksCapital", username: "greatday_nomfa", password: "Everyday" } }) { __typename } }`,
        }),
      });
      expect(response.status).toBe(200);
      expect(await response.json()).toEqual({
        data: { authorize: { __typename: 'AuthorizeSuccess' } },
      });
    });
  });
});
