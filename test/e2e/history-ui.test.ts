/**
 * Issue 16, end to end over the real services and Kamailio (alice = the page in Chromium, bob = a second
 * app instance): names everywhere, call rows and in-call marks in the conversation after hang-up, the
 * missed-call badge and call back, drafts kept per conversation (and across a reload), focus on opening
 * a chat.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import type { CallDto } from '#shared/domain/call.ts';
import { type Host } from '../host/server.ts';
import { saveScreenshot, type PageProblems } from '../support/e2e.ts';
import { type PeerApp } from '../support/e2e-peer.ts';
import { waitFor } from '../support/peers.ts';
import { startLab, type Lab } from '../support/e2e-lab.ts';

describe('issue 16: history that tells the story (names, call rows, missed calls, drafts)', () => {
  let lab: Lab;
  let host: Host;
  let bob: PeerApp;
  let page: Page;
  let problems: PageProblems;

  beforeAll(async () => {
    lab = await startLab({
      kamailioBase: 33_600,
      contacts: [{ displayName: 'Bob Builder', address: 'sip:bob@example.test' }],
      media: true,
    });
    ({ host, bob, page, problems } = lab);
  });
  afterAll(async () => {
    await lab?.stop();
  });

  const sidebar = () => page.getByRole('complementary', { name: 'Sidebar' });
  const nav = (name: string) => sidebar().getByRole('navigation', { name: 'Main' }).getByRole('button', { name }).click();
  const conversations = () => sidebar().getByRole('list', { name: 'Conversation list' });
  const timeline = () => page.getByRole('region', { name: 'Messages' });
  const liveCall = async (): Promise<CallDto | undefined> => (await host.services.handlers['calls:list'](null)).find((c) => c.state !== 'ended');

  it('a message from bob is listed under his contact name; opening the chat puts the cursor in the composer', async () => {
    await bob.send('sip:alice@example.test', 'hello from bob');
    await conversations().getByRole('button', { name: /^Conversation with Bob Builder/ }).click();
    await page.getByRole('region', { name: 'Chat with Bob Builder' }).getByRole('heading', { name: 'Bob Builder' }).waitFor();
    await timeline().getByText('hello from bob').waitFor();
    await expect.poll(() => page.evaluate(() => document.activeElement?.getAttribute('aria-label'))).toBe('Message text');
  });

  it('drafts stay with their conversation when switching, show in the list, and survive a reload', async () => {
    await page.keyboard.type('half a thought for bob');
    await nav('Contacts');
    await page.getByRole('textbox', { name: 'SIP address to chat with or call' }).fill('carol@example.test');
    await page.getByRole('button', { name: 'Chat', exact: true }).click();
    await page.getByRole('region', { name: 'Chat with carol@example.test' }).waitFor();
    expect(await page.getByRole('textbox', { name: 'Message text' }).inputValue()).toBe('');
    await conversations().getByRole('button', { name: /^Conversation with Bob Builder ?, draft/ }).getByText('half a thought for bob').waitFor();
    await page.reload();
    await conversations().getByRole('button', { name: /^Conversation with Bob Builder/ }).click();
    await expect.poll(() => page.getByRole('textbox', { name: 'Message text' }).inputValue()).toBe('half a thought for bob');
    await page.getByRole('textbox', { name: 'Message text' }).fill('');
  });

  it('a call with in-call chat leaves a call row with its duration, and the in-call messages are marked', async () => {
    await page.getByRole('region', { name: 'Chat with Bob Builder' }).getByRole('button', { name: 'Call Bob Builder' }).click();
    await waitFor(() => bob.of('calls:call-changed').some((c) => c.state === 'incoming'), 'incoming call at bob', 15_000);
    const atBob = bob.of('calls:call-changed').find((c) => c.state === 'incoming') as CallDto;
    await bob.call('calls:answer', { callId: atBob.id });
    const callChat = page.getByRole('complementary', { name: 'In-call chat' });
    await callChat.getByRole('heading', { name: 'Chat with Bob Builder during this call' }).waitFor();
    await page.getByRole('region', { name: 'Call with Bob Builder' }).getByLabel('Call duration').waitFor();
    await callChat.getByRole('textbox', { name: 'Message text' }).fill('agenda is in the doc');
    await callChat.getByRole('textbox', { name: 'Message text' }).press('Enter');
    await waitFor(() => bob.of('chats:message-received').some((m) => m.body === 'agenda is in the doc'), 'in-call message at bob', 10_000);
    await bob.call('calls:send-message', { callId: atBob.id, body: 'got it' });
    await callChat.getByText('got it').waitFor();
    await saveScreenshot(page, 'issue16-call-screen-1280');
    await page.getByRole('region', { name: 'Call with Bob Builder' }).getByRole('button', { name: 'Hang up' }).click();
    await waitFor(() => bob.of('calls:call-changed').some((c) => c.id === atBob.id && c.state === 'ended'), 'bob sees the end', 10_000);

    await conversations().getByRole('button', { name: /^Conversation with Bob Builder/ }).click();
    const row = timeline().getByRole('group', { name: /^Outgoing call · 0:\d\d at / });
    await row.waitFor();
    await row.getByText('2 messages in this call').waitFor();
    await timeline().getByRole('article', { name: 'Sent message in the call' }).getByText('agenda is in the doc').waitFor();
    await timeline().getByRole('article', { name: 'Received message in the call' }).getByText('got it').waitFor();
    expect(await timeline().getByRole('article', { name: 'Received message', exact: true }).getByText('hello from bob').count()).toBe(1);
    await saveScreenshot(page, 'issue16-chat-with-call-row-1280');
  });

  it('a call bob gives up on is a missed call: badge on Calls, a row in the chat with "Call back" that calls him', async () => {
    const placed = await bob.call('calls:place', { accountId: null, peer: 'sip:alice@example.test' });
    await page.getByRole('alertdialog', { name: /Incoming call/ }).waitFor();
    await waitFor(() => bob.of('calls:call-changed').some((c) => c.id === placed.id && c.state === 'ringing'), 'bob hears ringing', 10_000);
    await bob.call('calls:hang-up', { callId: placed.id });
    await sidebar().getByRole('button', { name: /Calls.*1 missed/ }).waitFor();
    await timeline().getByRole('group', { name: /^Missed call at / }).waitFor();
    await conversations().getByRole('button', { name: /^Conversation with Bob Builder.*missed call/ }).waitFor();
    await saveScreenshot(page, 'issue16-missed-call-1280');

    const before = bob.of('calls:call-changed').filter((c) => c.state === 'incoming').length;
    await timeline().getByRole('group', { name: /^Missed call at / }).getByRole('button', { name: 'Call Bob Builder back' }).click();
    await waitFor(() => bob.of('calls:call-changed').filter((c) => c.state === 'incoming').length > before, 'the call back rings at bob', 15_000);
    const back = await liveCall();
    expect(back?.peer).toBe('sip:bob@example.test');
    // the Calls screen lists it by name with the missed call, and visiting it clears the badge
    await page.getByRole('region', { name: 'Call with Bob Builder' }).getByRole('button', { name: 'Hang up' }).click();
    await expect.poll(async () => (await liveCall()) === undefined, { timeout: 10_000 }).toBe(true);
    await nav('Calls');
    await page.getByRole('list', { name: 'Recent calls' }).getByText('Missed call', { exact: false }).first().waitFor();
    await nav('Contacts');
    expect(await sidebar().getByRole('button', { name: /missed/ }).count()).toBe(0);
    expect(problems.pageErrors).toEqual([]);
    expect(await problems.cspViolations()).toEqual([]);
  });
});
