import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AUTHORIZE, credentials } from '../support/gateway.ts';
import { type HttpGateway, startHttpGateway } from '../support/http-gateway.ts';

let gw: HttpGateway;
beforeAll(async () => {
  gw = await startHttpGateway();
});
afterAll(async () => {
  await gw.close();
});

describe('a client that goes away', () => {
  it('is one info line with its request id, not error lines', async () => {
    const requestId = 'client-gone-1';
    const controller = new AbortController();
    const sent = fetch(`${gw.origin}/graphql`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: `Bearer ${await gw.token('alice')}`,
        'x-request-id': requestId,
      },
      body: JSON.stringify({ query: AUTHORIZE, variables: credentials('test_slow') }),
      signal: controller.signal,
    });
    await new Promise((resolve) => setTimeout(resolve, 500));
    controller.abort();
    await expect(sent).rejects.toThrow();
    // The simulator's test_slow answers after 3 s: by 4 s the gateway has logged whatever it will.
    await new Promise((resolve) => setTimeout(resolve, 3_500));
    const lines = gw.logs.map((line) => JSON.parse(line));
    const mine = lines.filter((line) => line.requestId === requestId);
    expect(lines.filter((line) => line.level >= 40)).toEqual([]);
    expect(mine.filter((line) => line.level >= 30)).toEqual([
      expect.objectContaining({ level: 30, requestId, msg: 'client went away before the answer' }),
    ]);
  });
});
