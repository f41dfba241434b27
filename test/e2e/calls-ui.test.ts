/**
 * Issue 16, end to end over the real services and Kamailio: alice is the renderer in Chromium (test host),
 * bob a second app instance in this process. Proves: the account saved in the form ends "online" (item 2),
 * the persistent call bar on every screen while a call rings or is up (item 1), "Call" on a peer already in
 * a call brings it forward instead of a second call, contact names everywhere a call appears.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import type { CallDto } from '#shared/domain/call.ts';
import { type Host } from '../host/server.ts';
import { saveScreenshot, type PageProblems } from '../support/e2e.ts';
import { type PeerApp } from '../support/e2e-peer.ts';
import { waitFor } from '../support/peers.ts';
import { startLab, type Lab } from '../support/e2e-lab.ts';

describe('issue 16: calls cannot get lost (call bar on every screen), names, registration after saving', () => {
  let lab: Lab;
  let host: Host;
  let bob: PeerApp;
  let page: Page;
  let problems: PageProblems;
  let sipPort: number;

  beforeAll(async () => {
    lab = await startLab({
      kamailioBase: 33_200,
      aliceAccount: false,
      media: true,
    });
    ({ host, bob, page, problems, sipPort } = lab);
  });
  afterAll(async () => {
    await lab?.stop();
  });

  const sidebar = () => page.getByRole('complementary', { name: 'Sidebar' });
  const nav = (name: string) => sidebar().getByRole('navigation', { name: 'Main' }).getByRole('button', { name }).click();
  const callBar = () => page.getByRole('region', { name: 'Ongoing calls' });
  const bobCalls = () => bob.of('calls:call-changed');
  const bobIncoming = () => [...new Set(bobCalls().filter((c) => c.direction === 'in').map((c) => c.id))];

  it('item 2: an account saved in the form shows "online" once REGISTER got its 200, without a reload', async () => {
    await page.getByRole('main').getByRole('button', { name: 'Add account' }).click();
    const form = page.getByRole('form', { name: 'Add account' });
    await form.getByLabel('SIP address', { exact: true }).fill('sip:alice@example.test');
    await form.getByLabel('Display name', { exact: true }).fill('Alice');
    await form.getByLabel('Password', { exact: true }).fill('alice-secret');
    await form.getByLabel('Outbound proxy', { exact: true }).fill(`sip:127.0.0.1:${sipPort}`);
    await form.getByLabel('Transport', { exact: true }).selectOption('udp');
    await form.getByRole('button', { name: 'Save' }).click();
    await sidebar().getByRole('button', { name: /^Account Alice ?: online/ }).waitFor();
    // main agrees: the page shows what main knows, not an older snapshot
    const regs = await host.services.handlers['accounts:list-registrations'](null);
    expect(regs.map((r) => r.registration.state)).toEqual(['registered']);
  });

  it('item 1: the call bar names the contact, survives navigation to every screen, mutes and returns to the call', async () => {
    await host.services.handlers['contacts:save']({ id: null, displayName: 'Bob Builder', address: 'sip:bob@example.test', note: '' });
    await nav('Contacts');
    await page.getByRole('button', { name: 'Call Bob Builder' }).click();
    // ringing: the call screen names bob as his contact, never the raw URI twice
    const callScreen = page.getByRole('region', { name: 'Call with Bob Builder' });
    await callScreen.getByRole('heading', { name: 'Bob Builder', exact: true }).waitFor();
    expect(await callScreen.getByText('sip:bob@example.test').count()).toBe(0);
    await waitFor(() => bobCalls().some((c) => c.state === 'incoming'), 'incoming call at bob', 15_000);
    // while it rings, other screens show the bar
    await nav('Contacts');
    await callBar().getByRole('group', { name: 'Call with Bob Builder' }).waitFor();
    await bob.call('calls:answer', { callId: bobIncoming()[0] as CallDto['id'] });
    await callBar().getByLabel('Call duration').waitFor();

    for (const screen of ['Contacts', 'Search', 'Accounts', 'Diagnostics']) {
      await nav(screen);
      await callBar().getByRole('group', { name: 'Call with Bob Builder' }).waitFor();
    }
    await saveScreenshot(page, 'issue16-call-bar-1280');
    // the timer runs
    const t1 = await callBar().getByLabel('Call duration').textContent();
    await expect.poll(() => callBar().getByLabel('Call duration').textContent(), { timeout: 10_000 }).not.toBe(t1);

    // mute from the bar: main's call is muted and the button says so (aria-pressed, not only its label)
    await callBar().getByRole('button', { name: 'Mute' }).click();
    await callBar().getByRole('button', { name: 'Unmute' }).waitFor();
    expect(await callBar().getByRole('button', { name: 'Unmute' }).getAttribute('aria-pressed')).toBe('true');
    const aliceCalls = await host.services.handlers['calls:list'](null);
    expect(aliceCalls.find((c) => c.state === 'connected')?.muted).toBe(true);

    // return to call
    await callBar().getByRole('button', { name: 'Return to call' }).click();
    await callScreen.getByRole('status').getByText('connected').waitFor();
    await expect.poll(() => callBar().count()).toBe(0);
  });

  it('item 1: "Call" in the chat with a peer already in a call brings that call forward; no second INVITE', async () => {
    await nav('Contacts');
    await page.getByRole('button', { name: 'Chat with Bob Builder' }).click();
    await page.getByRole('region', { name: 'Chat with Bob Builder' }).waitFor();
    await callBar().getByRole('group', { name: 'Call with Bob Builder' }).waitFor();
    const before = bobIncoming().length;
    await page.getByRole('region', { name: 'Chat with Bob Builder' }).getByRole('button', { name: 'Call Bob Builder' }).click();
    await page.getByRole('region', { name: 'Call with Bob Builder' }).getByRole('status').getByText('connected').waitFor();
    const calls = await host.services.handlers['calls:list'](null);
    expect(calls.filter((c) => c.state !== 'ended')).toHaveLength(1);
    expect(calls).toHaveLength(1);
    expect(bobIncoming().length).toBe(before);
  });

  it('item 1: a failed second call (to someone else) never hides the live call; hang up from the bar ends it everywhere', async () => {
    await nav('Calls');
    // the live call is in front; a call to an unknown user fails (404) and the screen stays on the live call
    await page.getByRole('region', { name: 'Call with Bob Builder' }).waitFor();
    await nav('Contacts');
    await page.getByRole('textbox', { name: 'SIP address to chat with or call' }).fill('nobody@example.test');
    await page.getByRole('button', { name: 'Call', exact: true }).click();
    await expect
      .poll(async () => (await host.services.handlers['calls:list'](null)).some((c) => c.peer.includes('nobody') && c.state === 'ended'), { timeout: 30_000 })
      .toBe(true);
    // the live call is in front again (held while the second call was tried, issue 13's one call in focus)
    await page.getByRole('region', { name: 'Call with Bob Builder' }).getByRole('status').getByText(/connected|on hold/).waitFor();
    await nav('Contacts');
    await callBar().getByRole('button', { name: 'Hang up Bob Builder' }).click();
    await waitFor(() => bobCalls().some((c) => c.state === 'ended'), 'bob sees the end', 15_000);
    await expect.poll(() => callBar().count(), { timeout: 10_000 }).toBe(0);
    // recent calls name bob as his contact and offer a call back
    await nav('Calls');
    const recent = page.getByRole('list', { name: 'Recent calls' });
    await recent.getByText('Bob Builder').waitFor();
    await recent.getByRole('button', { name: 'Call Bob Builder back' }).waitFor();
    expect(await recent.getByText('sip:bob@example.test').count()).toBe(0);
    expect(problems.pageErrors).toEqual([]);
    expect(await problems.cspViolations()).toEqual([]);
  });
});
