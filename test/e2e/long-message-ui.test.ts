/**
 * Issue 16 item 7, end to end over the real services and Kamailio (alice = the page in Chromium on a UDP
 * account, bob = a second app instance on UDP): one byte count (the composer counter and the dialog show
 * main's count of the whole request), "Send whole over TCP" delivers the text as ONE MESSAGE (RFC 3261
 * §18.1.1), "Split" sends numbered parts, and a long message bob sends in parts shows joined at alice.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { type Host } from '../host/server.ts';
import { saveScreenshot, type PageProblems } from '../support/e2e.ts';
import { type PeerApp } from '../support/e2e-peer.ts';
import { waitFor } from '../support/peers.ts';
import { startLab, type Lab } from '../support/e2e-lab.ts';

describe('issue 16 item 7: long messages (one count, TCP or split, joined on receipt)', () => {
  let lab: Lab;
  let host: Host;
  let bob: PeerApp;
  let page: Page;
  let problems: PageProblems;

  beforeAll(async () => {
    lab = await startLab({
      kamailioBase: 36_400,
      contacts: [{ displayName: 'Bob Builder', address: 'sip:bob@example.test' }],
    });
    ({ host, bob, page, problems } = lab);
    await page.getByRole('complementary', { name: 'Sidebar' }).getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Contacts' }).click();
    await page.getByRole('button', { name: 'Chat with Bob Builder' }).click();
  });
  afterAll(async () => {
    await lab?.stop();
  });

  const composer = () => page.getByRole('textbox', { name: 'Message text' });
  const counter = () => page.getByLabel('Message size');
  const dialog = () => page.getByRole('dialog', { name: 'This message is too long to send in one piece' });
  const atBob = () => bob.of('chats:message-received').map((m) => m.body);

  /** types a long text, reads the counter's count, sends, and checks the dialog shows the same count */
  const sendLong = async (text: string): Promise<number> => {
    await composer().fill(text);
    await expect.poll(() => counter().textContent()).toMatch(/too long for one message/);
    const shown = Number(/^(\d+) \/ 1300 bytes/.exec((await counter().textContent()) ?? '')?.[1]);
    // main's count of the whole request: the text plus a few hundred bytes of start line and headers
    expect(shown).toBeGreaterThan(Buffer.byteLength(text, 'utf8') + 200);
    await composer().press('Enter');
    await dialog().getByText(`It is ${String(shown)} bytes`).waitFor();
    return shown;
  };

  it('the counter and the dialog show the same whole-request count; "Send whole over TCP" delivers ONE message', async () => {
    const text = `TCP story: ${'all of it in one piece. '.repeat(70)}end.`;
    const shown = await sendLong(text);
    const tcp = await host.services.handlers['chats:measure-message']({ conversationId: (await host.services.handlers['chats:list-conversations'](null))[0]!.id, body: text });
    expect(tcp.bytes).toBe(shown);
    await saveScreenshot(page, 'issue16-long-message-dialog-1280');
    await dialog().getByRole('button', { name: 'Send whole over TCP' }).click();
    await waitFor(() => atBob().includes(text), 'bob got the whole text in one message', 15_000);
    expect(atBob().filter((b) => b.startsWith('TCP story'))).toHaveLength(1);
    // on the wire: alice's one MESSAGE with the text went over TCP although her account is on UDP
    const trace = await host.services.handlers['diagnostics:list-trace']({ accountId: null, callId: null, limit: 5000 });
    const sent = trace.filter((e) => e.direction === 'sent' && e.summary.startsWith('MESSAGE') && e.text.includes('TCP story'));
    expect(sent.length).toBeGreaterThanOrEqual(1);
    expect(sent.map((e) => e.transport.toLowerCase())).toEqual(sent.map(() => 'tcp'));
    await page.getByRole('article', { name: 'Sent message' }).filter({ hasText: 'TCP story' }).getByRole('img', { name: 'delivered to the device' }).waitFor();
  });

  it('"Split" sends the announced number of numbered parts, each arriving at bob', async () => {
    const text = `Split story: ${'in several parts, please. '.repeat(70)}end.`;
    await sendLong(text);
    const label = (await dialog().getByRole('button', { name: /^Split into \d+ parts$/ }).textContent()) ?? '';
    const n = Number(/(\d+)/.exec(label)?.[1]);
    expect(n).toBeGreaterThanOrEqual(2);
    await dialog().getByRole('button', { name: label }).click();
    await waitFor(() => atBob().filter((b) => /^\(\d+\/\d+\) /.test(b)).length === n, `bob got ${String(n)} parts`, 15_000);
    const joined = atBob().filter((b) => /^\(\d+\/\d+\) /.test(b)).map((b) => b.replace(/^\(\d+\/\d+\) /, '')).join('');
    expect(joined).toBe(text);
  });

  it('a long message bob sends in parts shows at alice as one bubble, marked as arrived in parts', async () => {
    const conversation = await bob.call('chats:open-conversation', { accountId: null, peer: 'sip:alice@example.test' });
    const text = `Bob's report: ${'figures and more figures. '.repeat(80)}the end.`;
    const outcome = await bob.call('chats:send-message', { conversationId: conversation.id, body: text, expiresInSeconds: null, oversize: 'split' });
    const count = outcome.kind === 'queued' ? outcome.messages.length : 0;
    expect(count).toBeGreaterThanOrEqual(2);
    const bubble = page.getByRole('article', { name: 'Received message' }).filter({ hasText: "Bob's report" });
    await bubble.getByText(`arrived in ${String(count)} parts`).waitFor();
    expect(await bubble.count()).toBe(1);
    expect(await bubble.locator('.bubble-body').textContent()).toBe(text);
    await saveScreenshot(page, 'issue16-long-message-joined-1280');
    expect(problems.pageErrors).toEqual([]);
    expect(await problems.cspViolations()).toEqual([]);
  });
});
