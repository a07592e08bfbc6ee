import { afterEach, describe, expect, it } from 'vitest';
import { simulatorLoginId } from '../../src/simulator/index.ts';
import { AUTHORIZE, credentials } from '../support/gateway.ts';
import { type HttpGateway, startHttpGateway } from '../support/http-gateway.ts';

const NOMFA = simulatorLoginId('greatday_nomfa');
const cached = (loginId: string) => ({ input: { cached: { loginId } } });

let gw: HttpGateway | undefined;
afterEach(async () => {
  await gw?.close();
  gw = undefined;
});

async function get(path: string) {
  const response = await fetch(`${(gw as HttpGateway).origin}${path}`);
  return { status: response.status, text: await response.text() };
}

const circuitState = async () =>
  Number(/^flinks_circuit_state (\d)/m.exec((await get('/metrics')).text)?.[1]);

describe('one caller’s failing bank stays that caller’s problem', () => {
  it('keeps the Flinks breaker closed and /readiness 200 while one principal’s logins keep failing', async () => {
    gw = await startHttpGateway();
    const failing = [
      'test_server_error',
      'test_aggregation_error',
      'test_service_unavailable',
      'test_disabled_institution',
    ];
    for (let round = 0; round < 6; round++) {
      for (const username of failing) {
        const { body } = await gw.graphql(AUTHORIZE, credentials(username), 'mallory');
        expect(body.data.authorize).toMatchObject({
          __typename: 'InstitutionUnavailableError',
          retryable: true,
        });
      }
    }
    expect(await get('/readiness')).toMatchObject({ status: 200 });
    expect(await circuitState()).toBe(0);

    const before = gw.running.simulator.countCalls('Authorize');
    const { body } = await gw.graphql(AUTHORIZE, cached(NOMFA), 'alice');
    expect(body.data.authorize.__typename).toBe('AuthorizeSuccess');
    expect(gw.running.simulator.countCalls('Authorize')).toBe(before + 1);
  });

  it('answers a Flinks outage per request, reports it in /metrics and /health, and stays ready', async () => {
    gw = await startHttpGateway({ FLINKS_BREAKER_OPEN_MS: '1000' });
    expect(JSON.parse((await get('/health')).text)).toEqual({
      status: 'ok',
      flinks: 'available',
    });
    await gw.running.stop();
    for (const principal of ['alice', 'bob', 'carol', 'alice', 'bob']) {
      const { body } = await gw.graphql(AUTHORIZE, cached(NOMFA), principal);
      expect(body.data.authorize).toMatchObject({
        __typename: 'InstitutionUnavailableError',
        retryable: true,
      });
    }
    expect(await circuitState()).toBe(2);
    expect(await get('/health')).toEqual({
      status: 200,
      text: JSON.stringify({ status: 'ok', flinks: 'unavailable' }),
    });
    expect(await get('/readiness')).toMatchObject({ status: 200 });
    const { body } = await gw.graphql(AUTHORIZE, cached(NOMFA), 'dave');
    expect(body.data.authorize).toMatchObject({
      __typename: 'InstitutionUnavailableError',
      retryable: true,
      retryAfterSeconds: 1,
    });

    await gw.running.start();
    // Half-open after 1 s lets one probe through (a token prefetch may be it): a few tries.
    let typename = '';
    for (let i = 0; i < 10 && typename !== 'AuthorizeSuccess'; i++) {
      await new Promise((resolve) => setTimeout(resolve, 300));
      typename = (await gw.graphql(AUTHORIZE, cached(NOMFA), 'dave')).body.data.authorize
        .__typename;
    }
    expect(typename).toBe('AuthorizeSuccess');
    // The token endpoint's breaker closes on its own probe (a prefetch, say): within seconds.
    let flinks = '';
    for (let i = 0; i < 20 && flinks !== 'available'; i++) {
      flinks = JSON.parse((await get('/health')).text).flinks;
      if (flinks !== 'available') {
        await new Promise((resolve) => setTimeout(resolve, 250));
        await gw.graphql(AUTHORIZE, cached(NOMFA), 'dave');
      }
    }
    expect(flinks).toBe('available');
  });
});
