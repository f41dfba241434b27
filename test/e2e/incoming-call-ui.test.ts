/**
 * Issue 16 item 8, end to end over the real services and Kamailio (alice = the page in Chromium, bob = a
 * second app instance): the incoming call panel names the caller as alice's contact, takes focus on a
 * green Answer, declines with Ctrl+Shift+D (focus goes back to the draft alice was typing) and answers
 * with Enter (the focused Answer) or Ctrl+Shift+A.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import type { CallDto } from '#shared/domain/call.ts';
import { type Host } from '../host/server.ts';
import { saveScreenshot, type PageProblems } from '../support/e2e.ts';
import { type PeerApp } from '../support/e2e-peer.ts';
import { waitFor } from '../support/peers.ts';
import { startLab, type Lab } from '../support/e2e-lab.ts';

describe('issue 16 item 8: the incoming call panel takes focus and answers with the keyboard', () => {
  let lab: Lab;
  let host: Host;
  let bob: PeerApp;
  let page: Page;
  let problems: PageProblems;

  beforeAll(async () => {
    lab = await startLab({
      kamailioBase: 36_200,
      contacts: [{ displayName: 'Bob Builder', address: 'sip:bob@example.test' }],
      media: true,
    });
    ({ host, bob, page, problems } = lab);
  });
  afterAll(async () => {
    await lab?.stop();
  });

  const panel = () => page.getByRole('alertdialog', { name: 'Incoming call' });
  const focusedLabel = () => page.evaluate(() => document.activeElement?.getAttribute('aria-label') ?? document.activeElement?.tagName);
  const bobState = (id: string) => bob.of('calls:call-changed').filter((c) => c.id === id).at(-1)?.state;
  const ring = async (): Promise<CallDto> => {
    const placed = await bob.call('calls:place', { accountId: null, peer: 'sip:alice@example.test' });
    await panel().waitFor();
    return placed;
  };

  it('names the caller as the contact, focuses a green Answer; Ctrl+Shift+D declines and gives focus back to the draft', async () => {
    await page.getByRole('complementary', { name: 'Sidebar' }).getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Contacts' }).click();
    await page.getByRole('button', { name: 'Chat with Bob Builder' }).click();
    const composer = page.getByRole('textbox', { name: 'Message text' });
    await composer.fill('half a thought');
    await composer.focus();
    const placed = await ring();
    await panel().getByRole('group', { name: 'Call from Bob Builder' }).waitFor();
    expect(await panel().getByText('sip:bob@example.test').count()).toBe(0);
    await expect.poll(focusedLabel).toBe('Answer call from Bob Builder');
    // green: the solid "ok" token, white text (AA on it: 6.4:1)
    const colours = await panel().getByRole('button', { name: 'Answer call from Bob Builder' }).evaluate((b) => {
      const s = getComputedStyle(b);
      return [s.backgroundColor, s.color];
    });
    expect(colours).toEqual(['rgb(23, 107, 72)', 'rgb(255, 255, 255)']);
    await saveScreenshot(page, 'issue16-incoming-call-1280');

    await page.keyboard.press('Control+Shift+D');
    await waitFor(() => bobState(placed.id) === 'ended', 'bob hears the decline', 15_000);
    await expect.poll(() => panel().count()).toBe(0);
    await expect.poll(focusedLabel).toBe('Message text');
    expect(await composer.inputValue()).toBe('half a thought');
  });

  it('Enter on the focused Answer answers; a second call is answered from the composer with Ctrl+Shift+A', async () => {
    const first = await ring();
    await expect.poll(focusedLabel).toBe('Answer call from Bob Builder');
    await page.keyboard.press('Enter');
    await waitFor(() => bobState(first.id) === 'connected', 'bob connected', 15_000);
    await expect.poll(() => panel().count()).toBe(0);
    await bob.call('calls:hang-up', { callId: first.id });
    await waitFor(() => bobState(first.id) === 'ended', 'first call ended', 15_000);
    await expect.poll(async () => (await host.services.handlers['calls:list'](null)).every((c) => c.state === 'ended'), { timeout: 10_000 }).toBe(true);

    // from anywhere: the shortcut acts on the ringing call even while focus is in a text box
    await page.getByRole('complementary', { name: 'Sidebar' }).getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Contacts' }).click();
    const second = await ring();
    await page.getByRole('textbox', { name: 'SIP address to chat with or call' }).focus();
    await page.keyboard.press('Control+Shift+A');
    await waitFor(() => bobState(second.id) === 'connected', 'bob connected (second call)', 15_000);
    await bob.call('calls:hang-up', { callId: second.id });
    await waitFor(() => bobState(second.id) === 'ended', 'second call ended', 15_000);
    expect(problems.pageErrors).toEqual([]);
    expect(await problems.cspViolations()).toEqual([]);
  });
});
