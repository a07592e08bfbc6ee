import { afterEach, describe, expect, it } from 'vitest';
import { simulatorLoginId } from '../../src/simulator/index.ts';
import { AUTHORIZE } from '../support/gateway.ts';
import { type HttpGateway, startHttpGateway } from '../support/http-gateway.ts';

const cached = { input: { cached: { loginId: simulatorLoginId('greatday_nomfa') } } };

let gw: HttpGateway | undefined;
afterEach(async () => {
  await gw?.close();
  gw = undefined;
});

describe('admission: a bounded number of requests inside the gateway', () => {
  it('serves the request waiting in line once a slot frees, and answers 503 OVERLOADED past the line', async () => {
    gw = await startHttpGateway(
      { HTTP_MAX_IN_FLIGHT: '1', HTTP_MAX_QUEUED: '1' },
      { faults: { latencyMs: 300 } },
    );
    const http = gw;
    const answers = await Promise.all(
      [0, 1, 2].map(async (i) => {
        await new Promise((resolve) => setTimeout(resolve, i * 50));
        return http.graphql(AUTHORIZE, cached);
      }),
    );
    const outcomes = answers.map(({ status, body }) =>
      status === 200
        ? body.data.authorize.__typename
        : `${status} ${body.errors[0].extensions.code}`,
    );
    expect(outcomes).toEqual(['AuthorizeSuccess', 'AuthorizeSuccess', '503 OVERLOADED']);
    // The line emptied: the next request is served.
    const { body } = await http.graphql(AUTHORIZE, cached);
    expect(body.data.authorize.__typename).toBe('AuthorizeSuccess');
  });
});
