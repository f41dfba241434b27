import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RENDERER_TEST_BUILD, startHost, type Host } from '../host/server.ts';
import { launchChromium, openPage, saveScreenshot, type E2eBrowser } from '../support/e2e.ts';

describe('app shell in Chromium over the real main services (test host)', () => {
  let host: Host;
  let browser: E2eBrowser;

  beforeAll(async () => {
    if (!existsSync(join(RENDERER_TEST_BUILD, 'index.html'))) throw new Error('run `npm run build:renderer-test` first');
    host = await startHost();
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await host?.stop();
  });

  it('a new user sees the sidebar and the empty state telling them to add an account, with no console errors or CSP violations', async () => {
    const { page, problems } = await openPage(browser, host.url);
    await page.getByRole('complementary', { name: 'Sidebar' }).waitFor();
    await page.getByRole('heading', { name: 'Add your PBX account to start' }).waitFor();
    expect(await page.getByRole('navigation', { name: 'Main' }).getByRole('button').allTextContents()).toEqual([
      'Contacts',
      'Calls',
      'Search',
      'Accounts',
      'Diagnostics',
      'Settings',
    ]);
    expect(await page.getByRole('region', { name: 'Conversations' }).textContent()).toContain('Your conversations will appear here.');
    await saveScreenshot(page, 'app-shell-empty-light');
    expect(await problems.cspViolations()).toEqual([]);
    expect(problems.pageErrors).toEqual([]);
    expect(problems.console).toEqual([]);
    await page.close();
  });

  it('the theme follows the OS: dark colour scheme changes the CSS variables', async () => {
    const { page, problems } = await openPage(browser, host.url);
    await page.getByRole('heading', { name: 'Add your PBX account to start' }).waitFor();
    const light = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    await page.emulateMedia({ colorScheme: 'dark' });
    const dark = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    expect(dark).not.toBe(light);
    await saveScreenshot(page, 'app-shell-empty-dark');
    expect(problems.console).toEqual([]);
    await page.close();
  });

  it('an error from main is shown in plain words (chat before any account exists)', async () => {
    const { page, problems } = await openPage(browser, host.url);
    await page.getByRole('heading', { name: 'Add your PBX account to start' }).waitFor();
    await page.keyboard.press('Alt+2'); // keyboard shortcut to Contacts
    await page.getByRole('textbox', { name: 'SIP address to chat with or call' }).fill('bob@127.0.0.1');
    await page.getByRole('button', { name: 'Chat', exact: true }).click();
    await page.getByRole('alert').getByText('Add your PBX account first.').waitFor();
    await saveScreenshot(page, 'contacts-error-no-account');
    expect(problems.pageErrors).toEqual([]);
    await page.close();
  });

  it('the account form validates on the client, then saving a valid account shows it in the sidebar', async () => {
    const { page, problems } = await openPage(browser, host.url);
    await page.getByRole('main').getByRole('button', { name: 'Add account' }).click();
    const form = page.getByRole('form', { name: 'Add account' });
    await form.getByRole('button', { name: 'Save' }).click();
    await form.getByText('Enter your SIP address, e.g. sip:alice@pbx.example.com.').waitFor();
    await form.getByText('Enter the password your PBX gave you.').waitFor();
    await form.getByLabel('SIP address', { exact: true }).fill('not an address');
    await form.getByLabel('Port', { exact: true }).fill('70000');
    await form.getByRole('button', { name: 'Save' }).click();
    await form.getByText('A SIP address looks like sip:alice@pbx.example.com.').waitFor();
    await form.getByText('The port is a number from 1 to 65535').waitFor();
    await saveScreenshot(page, 'account-form-errors');

    await form.getByLabel('SIP address', { exact: true }).fill('sip:alice@127.0.0.1');
    await form.getByLabel('Password', { exact: true }).fill('secret');
    await form.getByLabel('Port', { exact: true }).fill('');
    await form.getByRole('button', { name: 'Save' }).click();
    // nothing answers REGISTER on 127.0.0.1:5060: the state is any of these, depending on timing
    await page.getByRole('button', { name: /^Account sip:alice@127\.0\.0\.1 ?: ?(not registered|connecting…|failed: .+|offline — .+)$/ }).waitFor();
    await saveScreenshot(page, 'account-form-after-save');
    expect(await problems.cspViolations()).toEqual([]);
    expect(problems.pageErrors).toEqual([]);
    await page.close();
  });
});
