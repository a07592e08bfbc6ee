import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { simulatorLoginId } from '../../src/simulator/index.ts';
import { type ListeningGateway, startListeningGateway } from '../clients/listening-gateway.ts';
import { type Browser, launchChromium, TEST_OUTPUT } from './chromium.ts';

describe('GraphiQL in Chromium', () => {
  let gateway: ListeningGateway;
  let browser: Browser;
  beforeAll(async () => {
    [gateway, browser] = await Promise.all([startListeningGateway(), launchChromium()]);
  });
  afterAll(async () => {
    await browser?.close();
    await gateway?.close();
  });

  it('runs the ready CachedAuthorize operation and shows AuthorizeSuccess in the result pane', async () => {
    const page = await browser.context.newPage();
    const failed: string[] = [];
    page.on('requestfailed', (request) => failed.push(request.url()));
    await page.goto(gateway.url);

    await page.getByRole('button', { name: /Execute query/ }).click();
    await page.getByRole('menuitem', { name: 'CachedAuthorize' }).click();
    const pane = page.locator('.graphiql-response');
    await pane.getByText('"AuthorizeSuccess"').waitFor();
    await page.screenshot({ path: `${TEST_OUTPUT}graphiql-cached-authorize.png` });

    // The pane is a Monaco editor, which draws spaces as no-break spaces.
    const text = (await pane.innerText()).replaceAll('\u00a0', ' ');
    expect(JSON.parse(text)).toEqual({
      data: {
        authorize: {
          __typename: 'AuthorizeSuccess',
          requestId: expect.stringMatching(/^[0-9a-f-]{36}$/),
          institution: 'FlinksCapital',
          login: {
            id: simulatorLoginId('Greatday'),
            username: 'Greatday',
            lastRefresh: '2020-04-15T22:46:03.169Z',
          },
        },
      },
    });
    expect(gateway.simulator.countCalls('Authorize')).toBe(1);
    // GraphiQL's scripts come with the page: nothing is fetched from a CDN.
    expect(failed).toEqual([]);
  }, 60_000);
});
