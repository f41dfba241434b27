/**
 * Message requests (issue 10; Signal's model) in Chromium over the real main services (test host):
 * a stranger's message waits under "Message requests" (not in the list, not counted as unread), where the
 * user accepts, blocks or deletes it; a blocked address is refused (403) and nothing is stored; contacts
 * can be blocked and unblocked; a contact's message is never affected.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import type { AccountId } from '#shared/domain/ids.ts';
import type { IncomingPagerMessage } from '../../main/services/chats/pager.ts';
import { startHost, type Host } from '../host/server.ts';
import { launchChromium, openPage, saveScreenshot, type E2eBrowser, type PageProblems } from '../support/e2e.ts';
import { seedAccount } from '../support/e2e-seed.ts';

let seq = 0;
function pager(from: string, body: string, name: string | null = null): IncomingPagerMessage {
  seq++;
  return { from, fromDisplayName: name, contentType: 'text/plain', body: Buffer.from(body), callId: `req-${String(seq)}@127.0.0.1`, cseq: 1, date: null, expiresSeconds: null, dialog: null };
}

describe('message requests in the UI (issue 10)', () => {
  let host: Host;
  let browser: E2eBrowser;
  let page: Page;
  let problems: PageProblems;
  let account: AccountId;
  const receive = (from: string, body: string, name: string | null = null) => host.services.chats.receive(account, pager(from, body, name));
  const sidebar = () => page.getByRole('complementary', { name: 'Sidebar' });
  const stored = async (peer: string) => {
    const c = (await host.services.handlers['chats:list-conversations'](null)).find((x) => x.peer === peer);
    return c === undefined ? [] : (await host.services.handlers['chats:page-messages']({ conversationId: c.id, before: null, limit: 50 })).messages.map((m) => m.body);
  };

  beforeAll(async () => {
    host = await startHost();
    account = (await seedAccount(host.services)).id;
    await host.services.handlers['contacts:save']({ id: null, displayName: 'Bob Builder', address: 'sip:bob@127.0.0.1', note: '' });
    browser = await launchChromium();
    ({ page, problems } = await openPage(browser, host.url));
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await host?.stop();
  });

  it('a stranger waits under Message requests (no unread count in the list); a contact goes to the list', async () => {
    expect(await receive('sip:dana@127.0.0.1', 'hi, Dana from the front desk', 'Dana')).toEqual({ status: 200 });
    expect(await receive('sip:dana@127.0.0.1', 'are you there?', 'Dana')).toEqual({ status: 200 });
    expect(await receive('sip:bob@127.0.0.1', 'lunch?')).toEqual({ status: 200 });
    await sidebar().getByRole('button', { name: 'Message requests, 1 waiting' }).waitFor({ timeout: 10_000 });
    await sidebar().getByRole('button', { name: /^Conversation with Bob Builder.*1 unread/ }).waitFor();
    expect(await sidebar().getByRole('list', { name: 'Conversation list' }).getByText('Dana').count()).toBe(0);
    // the tray/dock count is Bob's message only
    expect(host.services.unreadCount()).toBe(1);
    await saveScreenshot(page, 'issue10-requests-entry');
  });

  it('opening the request shows the messages and Accept / Block / Delete instead of the composer; Accept adds the contact', async () => {
    await sidebar().getByRole('button', { name: 'Message requests, 1 waiting' }).click();
    await page.getByRole('button', { name: /^Message request from Dana, sip:dana@127\.0\.0\.1/ }).click();
    const bar = page.getByRole('region', { name: 'Message request', exact: true });
    await bar.waitFor();
    await page.getByRole('region', { name: 'Messages' }).getByText('are you there?').waitFor();
    expect(await page.getByRole('textbox', { name: 'Message text' }).count()).toBe(0);
    await saveScreenshot(page, 'issue10-request-view');
    await bar.getByRole('button', { name: 'Accept' }).click();
    // Accept asks for the name first, prefilled with the one the sender gave (issue 16)
    const form = page.getByRole('dialog', { name: 'Add to contacts' });
    expect(await form.getByLabel('Name').inputValue()).toBe('Dana');
    expect(await form.getByLabel('SIP address').inputValue()).toBe('sip:dana@127.0.0.1');
    await form.getByRole('button', { name: 'Save' }).click();
    await page.getByRole('textbox', { name: 'Message text' }).waitFor({ timeout: 10_000 });
    await sidebar().getByRole('button', { name: /^Conversation with Dana/ }).waitFor();
    expect(await sidebar().getByRole('button', { name: /^Message requests/ }).count()).toBe(0);
    const contacts = await host.services.handlers['contacts:list'](null);
    expect(contacts.find((c) => c.address === 'sip:dana@127.0.0.1')).toMatchObject({ displayName: 'Dana', blocked: false });
  });

  it('Block refuses the sender from then on (403, nothing stored) and deletes the request; Unblock lets it in again', async () => {
    expect(await receive('sip:mallory@127.0.0.1', 'you won a prize', 'Mallory')).toEqual({ status: 200 });
    await sidebar().getByRole('button', { name: 'Message requests, 1 waiting' }).click();
    await page.getByRole('button', { name: /^Message request from Mallory/ }).click();
    const bar = page.getByRole('region', { name: 'Message request', exact: true });
    await bar.getByRole('button', { name: 'Block', exact: true }).click();
    await bar.getByRole('alert').getByText('Block Mallory?').waitFor();
    await saveScreenshot(page, 'issue10-request-block-confirm');
    await bar.getByRole('button', { name: 'Block Mallory' }).click();
    const blockedList = page.getByRole('list', { name: 'Blocked addresses' });
    await blockedList.getByText('sip:mallory@127.0.0.1').waitFor({ timeout: 10_000 });
    expect(await page.getByRole('list', { name: 'Message request list' }).count()).toBe(0);

    expect(await receive('sip:mallory@127.0.0.1', 'second prize')).toEqual({ status: 403 });
    expect(await receive('"M" <sips:mallory@127.0.0.1:5061;transport=tcp>', 'third prize')).toEqual({ status: 403 });
    expect(await stored('sip:mallory@127.0.0.1')).toEqual([]);
    // a contact's message is never affected
    expect(await receive('sip:bob@127.0.0.1', 'still there?')).toEqual({ status: 200 });
    await saveScreenshot(page, 'issue10-blocked-list');

    await blockedList.getByRole('button', { name: 'Unblock sip:mallory@127.0.0.1' }).click();
    await blockedList.waitFor({ state: 'detached', timeout: 10_000 });
    expect(await receive('sip:mallory@127.0.0.1', 'sorry')).toEqual({ status: 200 });
    await page.getByRole('button', { name: /^Message request from .*sip:mallory@127\.0\.0\.1$/ }).waitFor({ timeout: 10_000 });
  });

  it('Delete removes a request and its messages', async () => {
    await page.getByRole('button', { name: /^Message request from .*sip:mallory@127\.0\.0\.1$/ }).click();
    await page.getByRole('region', { name: 'Message request', exact: true }).getByRole('button', { name: 'Delete' }).click();
    await page.getByRole('heading', { name: 'No message requests' }).waitFor({ timeout: 10_000 });
    expect(await stored('sip:mallory@127.0.0.1')).toEqual([]);
  });

  it('a contact can be blocked and unblocked from Contacts', async () => {
    await page.keyboard.press('Alt+2');
    await page.getByRole('button', { name: 'Block Bob Builder' }).click();
    await page.getByRole('button', { name: 'Unblock Bob Builder' }).waitFor({ timeout: 10_000 });
    expect(await receive('sip:bob@127.0.0.1', 'blocked?')).toEqual({ status: 403 });
    await saveScreenshot(page, 'issue10-contact-blocked');
    await page.getByRole('button', { name: 'Unblock Bob Builder' }).click();
    await page.getByRole('button', { name: 'Block Bob Builder' }).waitFor({ timeout: 10_000 });
    expect(await receive('sip:bob@127.0.0.1', 'welcome back')).toEqual({ status: 200 });
    expect(await stored('sip:bob@127.0.0.1')).not.toContain('blocked?');
    expect(problems.pageErrors).toEqual([]);
    expect(await problems.cspViolations()).toEqual([]);
  });
});
