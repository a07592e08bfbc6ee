import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { build } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RED_SECURITY_IMAGE } from '../../src/simulator/images.ts';
import { simulatorLoginId } from '../../src/simulator/index.ts';
import { type Browser, launchChromium, TEST_OUTPUT } from '../support/chromium.ts';
import { type ListeningGateway, startListeningGateway } from '../support/listening-gateway.ts';

const EXAMPLE = new URL('../../examples/web/', import.meta.url).pathname;

describe('the reference web page (examples/web), built with Vite, in Chromium', () => {
  let outDir: string;
  let gateway: ListeningGateway;
  let browser: Browser;
  // The simulator's clock, moved on to end CARD_IN_USE (it lasts a minute here) when a test says.
  let skewMs = 0;
  beforeAll(async () => {
    outDir = await mkdtemp(join(tmpdir(), 'web-example-'));
    await build({
      configFile: `${EXAMPLE}vite.config.ts`,
      logLevel: 'warn',
      build: { outDir, emptyOutDir: true },
    });
    // The gateway's own server serves the built page, so the page calls /graphql on its origin.
    [gateway, browser] = await Promise.all([
      // Flinks' 10 s between polls of pending detail would only slow the accounts test down.
      startListeningGateway({
        staticDir: outDir,
        simulator: { now: () => Date.now() + skewMs, cardInUseMs: 60_000 },
        config: { data: { deferPollIntervalMs: 100 } },
      }),
      launchChromium(),
    ]);
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await gateway?.close();
    if (outDir) await rm(outDir, { recursive: true, force: true });
  });

  async function logIn(username: string): Promise<Page> {
    const page = await browser.context.newPage();
    await page.goto(gateway.origin);
    await page.getByLabel('Username').fill(username);
    await page.getByLabel('Password').fill('Everyday');
    await page.getByRole('button', { name: 'Connect', exact: true }).click();
    return page;
  }

  it('walks mfa_image through a question and the image grid to the success screen', async () => {
    const page = await logIn('mfa_image');

    // isVisible() does not wait: wait for the step to render (waitFor fails on timeout).
    await page.getByRole('group', { name: 'What city were you born in?' }).waitFor();
    await page.getByLabel('Your answer').fill('Montreal');
    await page.getByRole('button', { name: 'Continue' }).click();

    const grid = page.getByRole('group', {
      name: 'Select your security image (hint: the red one)',
    });
    await grid.waitFor();
    const images = grid.getByRole('img');
    expect(await images.count()).toBe(16);
    // Every image was drawn from its data: URL (naturalWidth is 0 for an image that failed).
    // Decoding is asynchronous: wait for each image before reading its width.
    const widths = await images.evaluateAll((imgs) =>
      Promise.all(
        imgs.map(async (img) => {
          const image = img as unknown as { naturalWidth: number; decode(): Promise<void> };
          await image.decode().catch(() => {});
          return image.naturalWidth;
        }),
      ),
    );
    expect(widths.every((width) => width > 0)).toBe(true);
    await page.screenshot({ path: `${TEST_OUTPUT}web-image-selection.png`, fullPage: true });

    await grid.locator(`label:has(input[value="${RED_SECURITY_IMAGE}"])`).click();
    await page.getByRole('button', { name: 'Continue' }).click();

    await page.getByRole('heading', { name: 'Your bank is connected' }).waitFor();
    await page.screenshot({ path: `${TEST_OUTPUT}web-success.png`, fullPage: true });
    expect((await page.locator('main').innerText()).split(/\n+/).slice(0, 4)).toEqual([
      'Your bank is connected',
      'FlinksCapital is connected.',
      `Login ${simulatorLoginId('mfa_image')}`,
      'Your bank connections',
    ]);
  }, 60_000);

  it('shows Greatday’s accounts at once, then the transactions Flinks prepared, from one request', async () => {
    const graphqlRequests: string[] = [];
    const page = await logIn('Greatday');
    page.on('request', (request) => {
      if (request.url().endsWith('/graphql')) graphqlRequests.push(request.postData() ?? '');
    });
    await page.getByRole('group', { name: 'What city were you born in?' }).waitFor();
    await page.getByLabel('Your answer').fill('Montreal');
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.getByRole('group', { name: 'What shape do people like most?' }).waitFor();
    await page.getByLabel('Your answer').fill('Triangle');
    await page.getByRole('button', { name: 'Continue' }).click();

    // Greatday's first GetAccountsDetail is 202 for detailDelayMs (1.5 s): the accounts are
    // drawn while the transactions are still on their way.
    const accounts = page.getByRole('list', { name: 'Accounts' });
    await page.getByText('Your transactions are on their way…').waitFor();
    const titles = await accounts.locator(':scope > li > strong').allInnerTexts();
    expect(titles.length).toBeGreaterThan(0);
    expect(await page.getByRole('list', { name: /^Transactions of / }).count()).toBe(0);
    await page.screenshot({ path: `${TEST_OUTPUT}web-accounts-first.png`, fullPage: true });

    await page.getByText('All transactions loaded.').waitFor({
      timeout: 30_000,
    });
    const lists = page.getByRole('list', { name: /^Transactions of / });
    expect(await lists.count()).toBeGreaterThan(0);
    const counts = await lists.evaluateAll((uls) => uls.map((ul) => ul.children.length));
    // @stream(initialCount: 5): the rest of each page of 20 came in later payloads.
    expect(Math.max(...counts)).toBe(20);
    await page.screenshot({ path: `${TEST_OUTPUT}web-accounts-transactions.png`, fullPage: true });
    // One request for the accounts and their transactions: no polling.
    expect(graphqlRequests.filter((body) => body.includes('SessionAccountsDeferred'))).toHaveLength(
      1,
    );
    expect(graphqlRequests.filter((body) => body.includes('accountsDetail'))).toHaveLength(1);
  }, 60_000);

  it('walks mfa_text_or_call through a phone choice and a code box to the success screen', async () => {
    const page = await logIn('mfa_text_or_call');

    const phones = page.getByRole('group', { name: 'Choose a phone number' });
    await phones.waitFor();
    const numbers = await phones
      .getByRole('radio')
      .evaluateAll((inputs) =>
        inputs.map((input) => (input as unknown as { value: string }).value),
      );
    expect(numbers.slice(-2)).toEqual(['Text', 'Call']);
    expect(numbers.length).toBeGreaterThan(2);
    await phones.getByRole('radio').first().check();
    await phones.getByLabel('Text me').check();
    await page.screenshot({ path: `${TEST_OUTPUT}web-text-or-call.png`, fullPage: true });
    await page.getByRole('button', { name: 'Continue' }).click();

    await page.getByRole('group', { name: 'Enter the security code' }).waitFor();
    await page.getByLabel('Your answer').fill('123456');
    await page.getByRole('button', { name: 'Continue' }).click();

    await page.getByRole('heading', { name: 'Your bank is connected' }).waitFor();
  }, 60_000);

  it('walks mfa_scotia through radio buttons, checkboxes and picked questions', async () => {
    const page = await logIn('mfa_scotia');

    await page
      .getByRole('group', { name: 'Choose one of the following:' })
      .getByLabel('None of the above')
      .check();
    const purchases = page.getByRole('group', {
      name: 'What purchases did you make over the last 10 days?',
    });
    expect(await purchases.getByRole('checkbox').count()).toBeGreaterThan(2);
    await purchases.getByLabel('Purchase 1').check();
    await purchases.getByLabel('Purchase 3').check();
    await page.screenshot({ path: `${TEST_OUTPUT}web-multiple-choice.png`, fullPage: true });
    await page.getByRole('button', { name: 'Continue' }).click();

    // Three challenges keyed by a question picked from the same list, a different one each.
    const questions = page.getByRole('combobox', { name: 'Question' });
    await questions.first().waitFor();
    expect(await questions.count()).toBe(3);
    const picked = await questions.evaluateAll((selects) =>
      selects.map((select) => (select as unknown as { value: string }).value),
    );
    expect(new Set(picked).size).toBe(3);
    for (const answer of await page.getByLabel('Your answer').all()) await answer.fill('Blue');
    await page.screenshot({ path: `${TEST_OUTPUT}web-picked-questions.png`, fullPage: true });
    await page.getByRole('button', { name: 'Continue' }).click();

    await page.getByRole('heading', { name: 'Your bank is connected' }).waitFor();
  }, 60_000);

  it('waits for mfa_trusted_device to be approved on the device', async () => {
    const page = await logIn('mfa_trusted_device');

    await page.getByText('Waiting for your device').waitFor();
    await page.screenshot({ path: `${TEST_OUTPUT}web-waiting-for-device.png`, fullPage: true });
    await page.getByRole('button', { name: 'I approved it' }).click();

    await page.getByRole('heading', { name: 'Your bank is connected' }).waitFor();
  }, 60_000);

  it('shows a wrong answer as the gateway wrote it, and asks the question again', async () => {
    const page = await logIn('Greatday');
    await page.getByLabel('Your answer').fill('Toronto');
    await page.getByRole('button', { name: 'Continue' }).click();

    const alert = page.getByRole('alert');
    await alert.waitFor();
    await page.screenshot({ path: `${TEST_OUTPUT}web-wrong-answer.png`, fullPage: true });
    expect(await alert.innerText()).toBe('The answer was not accepted. Check it and answer again.');
    expect(await page.getByRole('group', { name: 'What city were you born in?' }).count()).toBe(1);

    await page.getByLabel('Your answer').fill('Montreal');
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.getByRole('group', { name: 'What shape do people like most?' }).waitFor();
  }, 60_000);

  it('shows refused credentials on the credentials screen', async () => {
    const page = await logIn('test_invalid_login');
    const alert = page.getByRole('alert');
    await alert.waitFor();
    expect(await alert.innerText()).toBe('The login is not valid for this institution.');
    expect(await page.getByRole('button', { name: 'Connect', exact: true }).isVisible()).toBe(true);
  }, 60_000);

  it('lists the bank connections and disconnects one: busy right after connecting, then deleted', async () => {
    const page = await logIn('greatday_nomfa');
    await page.getByRole('heading', { name: 'Your bank is connected' }).waitFor();
    await page.getByRole('button', { name: 'Your bank connections' }).click();

    await page.getByRole('heading', { name: 'Your bank connections' }).waitFor();
    // The page's caller is the development principal, who connected the other tests' banks too.
    const item = page.locator('.connection', { hasText: 'greatday_nomfa' });
    expect(await item.locator('strong').innerText()).toBe('FlinksCapital · greatday_nomfa');
    const disconnect = page.getByRole('button', {
      name: 'Disconnect FlinksCapital · greatday_nomfa',
    });

    // Flinks still processes the account right after an authorize: CARD_IN_USE, with the wait.
    const deletes = gateway.simulator.countCalls('DeleteCard');
    await disconnect.click();
    const alert = page.getByRole('alert');
    await alert.waitFor();
    expect(await alert.innerText()).toBe(
      'Your bank is still processing this connection. Try again in a few seconds. (retry after 5 s)',
    );
    expect(gateway.simulator.countCalls('DeleteCard')).toBe(deletes + 1);
    expect(await item.count()).toBe(1);
    await page.screenshot({ path: `${TEST_OUTPUT}web-connections-busy.png`, fullPage: true });

    skewMs += 60_000;
    await disconnect.click();
    const status = page.getByRole('status');
    await status.waitFor();
    expect(await status.innerText()).toBe(
      'FlinksCapital · greatday_nomfa is disconnected. Its data was deleted.',
    );
    expect(gateway.simulator.countCalls('DeleteCard')).toBe(deletes + 2);
    expect(await item.count()).toBe(0);
    await page.screenshot({ path: `${TEST_OUTPUT}web-connections-deleted.png`, fullPage: true });

    // Read again from the gateway after a reload, it stays gone.
    await page.reload();
    await page.getByRole('button', { name: 'Your bank connections' }).click();
    await page.getByRole('heading', { name: 'Your bank connections' }).waitFor();
    expect(await item.count()).toBe(0);
    expect(await page.getByRole('button', { name: /^Disconnect / }).count()).toBeGreaterThan(0);
  }, 60_000);
});
