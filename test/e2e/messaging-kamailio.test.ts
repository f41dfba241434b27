/**
 * Issue 7, end to end: the renderer in Chromium (test host over the real main services) as alice, a second
 * app instance in the test process as bob, both registered to a real Kamailio. Everything alice does goes
 * through the UI; RFC 3428 pager mode over real SIP.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { startHost, type Host } from '../host/server.ts';
import { startKamailioOnFreePorts } from '../integration/register-kit.ts';
import { launchChromium, openPage, saveScreenshot, type E2eBrowser, type PageProblems } from '../support/e2e.ts';
import { labAccount, startPeerApp, type PeerApp } from '../support/e2e-peer.ts';
import type { RunningKamailio } from '../support/kamailio.ts';
import { waitFor } from '../support/peers.ts';

const HOSTILE = '<img src=x onerror=alert(1)>';
const REPLY = 'yes — ünïcödé reply ✓';

describe('issue 7: chat through Kamailio from the UI in Chromium (RFC 3428 pager mode)', () => {
  let kamailio: RunningKamailio;
  let sipPort: number;
  let host: Host;
  let bob: PeerApp;
  let browser: E2eBrowser;
  let page: Page;
  let problems: PageProblems;
  const dialogs: string[] = [];

  beforeAll(async () => {
    ({ kamailio, sipPort } = await startKamailioOnFreePorts(26400, 200));
    host = await startHost({ sip: { bindAddress: '127.0.0.1' } });
    bob = await startPeerApp();
    await bob.register(labAccount('bob', sipPort));
    browser = await launchChromium();
    ({ page, problems } = await openPage(browser, host.url));
    page.setDefaultTimeout(15_000);
    page.on('dialog', (d) => {
      dialogs.push(d.message());
      void d.dismiss();
    });
  });
  afterAll(async () => {
    await browser?.close();
    await host?.stop();
    await bob?.stop();
    await kamailio?.stop();
  });

  const sidebar = () => page.getByRole('complementary', { name: 'Sidebar' });
  const messages = () => page.getByRole('region', { name: 'Messages' });

  it('adds an account in the form: a wrong password tests as "wrong password (401)", the right one registers and the sidebar says online', async () => {
    await page.getByRole('main').getByRole('button', { name: 'Add account' }).click();
    const form = page.getByRole('form', { name: 'Add account' });
    await form.getByLabel('SIP address', { exact: true }).fill('sip:alice@example.test');
    await form.getByLabel('Display name', { exact: true }).fill('Alice');
    await form.getByLabel('Password', { exact: true }).fill('not-alice-secret');
    await form.getByLabel('Outbound proxy', { exact: true }).fill(`sip:127.0.0.1:${sipPort}`);
    await form.getByLabel('Transport', { exact: true }).selectOption('udp');
    await form.getByRole('button', { name: 'Test registration' }).click();
    await form.getByRole('status').getByText('Registration test: wrong password (401)').waitFor();
    await saveScreenshot(page, 'issue7-account-test-wrong-password');

    await form.getByLabel('Password', { exact: true }).fill('alice-secret');
    await form.getByRole('button', { name: 'Test registration' }).click();
    await form.getByRole('status').getByText('Registration test: registered').waitFor();
    await form.getByRole('button', { name: 'Save' }).click();
    await sidebar().getByRole('button', { name: /^Account Alice ?: online/ }).waitFor({ timeout: 15_000 });
    await saveScreenshot(page, 'issue7-registered');
  });

  it('sends a message to bob: it shows "delivered" (icon with its tooltip), and bob received it over SIP', async () => {
    await page.keyboard.press('Alt+2');
    await page.getByRole('textbox', { name: 'SIP address to chat with or call' }).fill('bob@example.test');
    await page.getByRole('button', { name: 'Chat', exact: true }).click();
    const text = page.getByRole('textbox', { name: 'Message text' });
    await text.fill('hello bob ☕');
    await text.press('Enter');
    const delivered = messages().getByRole('img', { name: 'delivered to the device' });
    await delivered.waitFor({ timeout: 15_000 });
    expect(await delivered.getAttribute('title')).toBe('delivered to the device');
    expect(await text.inputValue()).toBe('');
    await waitFor(() => bob.of('chats:message-received').some((m) => m.body === 'hello bob ☕'), 'bob got it', 10_000);
    expect(bob.of('chats:message-received').find((m) => m.body === 'hello bob ☕')?.expiresAt).toBeNull();
    // a validity chosen in the composer travels as Expires (RFC 3428 §7) and bob knows when it expires
    await page.getByRole('combobox', { name: 'Message valid for' }).selectOption({ label: '1 hour' });
    await text.fill('only for the next hour');
    await text.press('Enter');
    await waitFor(() => bob.of('chats:message-received').some((m) => m.body === 'only for the next hour'), 'bob got the second', 10_000);
    const timed = bob.of('chats:message-received').find((m) => m.body === 'only for the next hour');
    expect((timed?.expiresAt ?? 0) - (timed?.dateHeader ?? timed?.createdAt ?? 0)).toBeGreaterThan(3_500_000);
    await saveScreenshot(page, 'issue7-chat-delivered');
  });

  it('a reply from bob appears live with the unread badge; opening the chat reads it; a hostile body shows as text', async () => {
    await page.keyboard.press('Alt+4'); // away from the chat, so the reply stays unread
    expect(await bob.send('sip:alice@example.test', REPLY)).toMatchObject({ state: 'delivered', code: 200 });
    const conversation = sidebar().getByRole('button', { name: /^Conversation with bob@example\.test ?, 1 unread/ });
    await conversation.waitFor({ timeout: 10_000 });
    expect(await conversation.textContent()).toContain(REPLY);
    await saveScreenshot(page, 'issue7-unread-badge');

    await conversation.click();
    await messages().getByText(REPLY, { exact: true }).waitFor();
    // read: the name no longer says "unread" (it goes on with the time and the last message shown)
    await sidebar().getByRole('button', { name: /^Conversation with bob@example\.test (?! ?, ?\d+ unread)/ }).waitFor();

    // while the chat is open: arrives live, rendered as text, never as HTML
    expect(await bob.send('sip:alice@example.test', HOSTILE)).toMatchObject({ state: 'delivered' });
    await messages().getByText(HOSTILE, { exact: true }).waitFor({ timeout: 10_000 });
    expect(await page.locator('.bubble-body').last().textContent()).toBe(HOSTILE);
    expect(await page.locator('main img, aside img').count()).toBe(0);
    expect(dialogs).toEqual([]);
    await saveScreenshot(page, 'issue7-chat-live-reply');
  });

  it('a message to sip:nobody@example.test fails with "no such user (404)"; retry fails again, delete removes it', async () => {
    await page.keyboard.press('Alt+2');
    await page.getByRole('textbox', { name: 'SIP address to chat with or call' }).fill('sip:nobody@example.test');
    await page.getByRole('button', { name: 'Chat', exact: true }).click();
    const text = page.getByRole('textbox', { name: 'Message text' });
    await text.fill('anyone there?');
    await text.press('Enter');
    const failed = messages().getByRole('img', { name: 'failed: no such user (404)' });
    await failed.waitFor({ timeout: 15_000 });
    expect(await failed.getAttribute('title')).toBe('failed: no such user (404)');
    await saveScreenshot(page, 'issue7-failed-404');

    // the retry must fail anew: the message leaves 'failed' (sending), a new MESSAGE goes out, Kamailio
    // answers it 404, and only then is the message failed again (not the icon that was already there)
    const trace = () => host.services.sip.listTrace({ accountId: null, callId: null, limit: 2000 });
    const seqBefore = Math.max(0, ...trace().map((t) => t.seq));
    const states: string[] = [];
    const stop = host.services.events.on('chats:message-changed', (m) => {
      if (m.body === 'anyone there?') states.push(`${m.state}:${String(m.code)}`);
    });
    try {
      await messages().getByRole('button', { name: 'Retry sending' }).click();
      await waitFor(() => states.some((s) => s.startsWith('failed:')), 'the retried message failed again', 15_000);
    } finally {
      stop();
    }
    expect(states[0]).not.toMatch(/^failed:/);
    expect(states.at(-1)).toBe('failed:404');
    const after = trace().filter((t) => t.seq > seqBefore);
    const retry = after.find((t) => t.direction === 'sent' && t.summary.startsWith('MESSAGE'));
    if (!retry?.callId) throw new Error('the retry never went out');
    const answer = after.find((t) => t.direction === 'received' && t.callId === retry.callId && t.summary.startsWith('404'));
    expect(answer, 'Kamailio answered the retried MESSAGE 404').toBeDefined();
    await failed.waitFor({ timeout: 15_000 });
    expect(await messages().getByRole('img', { name: /^failed/ }).count()).toBe(1);
    await messages().getByRole('button', { name: 'Delete message' }).click();
    await failed.waitFor({ state: 'detached' });
    expect(await messages().getByText('anyone there?').count()).toBe(0);
    await page.getByText('No messages yet. Say hello below.').waitFor();
  });

  it('finds history by full-text search (Ctrl+F; Ctrl+K is the quick switcher, issue 16) and opens the conversation from a hit', async () => {
    await page.keyboard.press('Control+f');
    const box = page.getByRole('searchbox', { name: 'Search all messages' });
    await box.fill('ünïcödé');
    await box.press('Enter');
    const hits = page.getByRole('list', { name: 'Search results' }).getByRole('button');
    await hits.first().waitFor();
    expect(await hits.count()).toBe(1);
    expect(await hits.first().textContent()).toContain('bob@example.test');
    await saveScreenshot(page, 'issue7-search');
    await hits.first().click();
    await messages().getByText(REPLY, { exact: true }).waitFor();
  });

  it('diagnostics: the SIP trace filters by Call-ID and shows the full message; the self test explains the outcome', async () => {
    await page.keyboard.press('Alt+5');
    const trace = page.getByRole('list', { name: 'SIP messages, newest first' });
    await trace.getByRole('listitem').first().waitFor();
    const all = await trace.getByRole('listitem').count();
    const message = host.services.sip.listTrace({ accountId: null, callId: null, limit: 2000 }).find((t) => t.summary.startsWith('MESSAGE') && t.callId !== null);
    if (!message?.callId) throw new Error('no MESSAGE in the trace');
    await page.getByRole('searchbox', { name: 'Filter by Call-ID' }).fill(message.callId);
    const filtered = trace.getByRole('listitem');
    await expect.poll(() => filtered.count()).toBeLessThan(all);
    const shown = await filtered.count();
    expect(shown).toBeGreaterThanOrEqual(2); // the MESSAGE and its response share the Call-ID
    for (let i = 0; i < shown; i++) expect(await filtered.nth(i).textContent()).toContain(message.callId);
    await filtered.last().getByRole('button').click();
    const full = trace.locator('pre').first();
    expect(await full.textContent()).toContain(`Call-ID: ${message.callId}`);
    expect(await full.textContent()).not.toContain('alice-secret');
    await saveScreenshot(page, 'issue7-diagnostics-trace');

    await page.getByRole('button', { name: 'Send a test message to myself' }).click();
    await page.getByRole('status').getByText('Your PBX routed the message back to this device (200): sending and receiving messages works.', { exact: true }).waitFor({ timeout: 15_000 });
    await saveScreenshot(page, 'issue7-diagnostics-self-test');
    // issue 18: the open view watches: the self test's own MESSAGE arrives in the list live, without a reload
    const selfTest = host.services.sip.listTrace({ accountId: null, callId: null, limit: 2000 }).findLast((t) => t.summary.startsWith('MESSAGE') && t.callId !== null);
    if (!selfTest?.callId || selfTest.callId === message.callId) throw new Error('no self-test MESSAGE in the trace');
    await page.getByRole('searchbox', { name: 'Filter by Call-ID' }).fill(selfTest.callId);
    await expect.poll(() => filtered.count()).toBeGreaterThanOrEqual(2);

    // issue 10: the protection counters, per connected account, as plain numbers with words
    await page.getByRole('button', { name: 'Refresh counters' }).click();
    const protection = page.getByRole('region', { name: /^Protection counters for / }).first();
    await protection.waitFor();
    expect(await protection.textContent()).toMatch(/Requests not from your PBX, ignored\s*0 from 0 senders/);
    expect(await protection.textContent()).toMatch(/of at most 2.?048/);
    await page.getByText(/incoming messages? led to \d+ notifications?/).waitFor();
    expect(await problems.cspViolations()).toEqual([]);
    expect(problems.pageErrors).toEqual([]);
    expect(problems.console).toEqual([]);
  });
});
