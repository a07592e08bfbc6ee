import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type HttpGateway, startHttpGateway } from '../support/http-gateway.ts';

let gw: HttpGateway;
beforeAll(async () => {
  gw = await startHttpGateway({ AUTH_MAX_TOKEN_LIFETIME_SECONDS: '600' });
});
afterAll(async () => {
  await gw.close();
});

async function statusWith(token: string) {
  const response = await fetch(`${gw.origin}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ query: '{ __typename }' }),
  });
  return { status: response.status, body: await response.json() };
}

const now = () => Math.floor(Date.now() / 1000);

describe('caller tokens: lifetime claims', () => {
  it('accepts a token within the lifetime, and one whose nbf/iat are within the clock tolerance', async () => {
    expect((await statusWith(await gw.token('alice'))).status).toBe(200);
    expect(
      (await statusWith(await gw.token('alice', { nbf: now() + 2, iat: now() + 2 }))).status,
    ).toBe(200);
  });

  it.each([
    ['without exp', { exp: null }, 'The token has no expiry (exp).'],
    [
      'living longer than the maximum',
      { exp: now() + 3_600 },
      'The token lives longer than allowed.',
    ],
    [
      'without iat, expiring past the maximum lifetime from now',
      { iat: null, exp: now() + 3_600 },
      'The token lives longer than allowed.',
    ],
    [
      'not valid before a minute from now (nbf)',
      { nbf: now() + 60 },
      'The token is not valid yet.',
    ],
    [
      'issued a minute in the future (iat)',
      { iat: now() + 60, exp: now() + 300 },
      'The token is not valid yet.',
    ],
  ])('refuses a token %s with 401', async (_name, claims, message) => {
    const { status, body } = await statusWith(await gw.token('alice', claims));
    expect(status).toBe(401);
    expect(body).toEqual({ errors: [{ message, extensions: { code: 'UNAUTHENTICATED' } }] });
  });
});
