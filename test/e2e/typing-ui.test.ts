/**
 * Issue 16, end to end over the real services and Kamailio (alice = the page, bob = a second app): delivery
 * states in words (a failure shows its reason and Retry under the bubble and marks the conversation),
 * the Ctrl+K quick switcher, Alt+↑/↓, Esc, Ctrl+F search with the words highlighted and a jump to a
 * message far back in its timeline, and the settings screen.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { type Host } from '../host/server.ts';
import { saveScreenshot, type PageProblems } from '../support/e2e.ts';
import { type PeerApp } from '../support/e2e-peer.ts';
import { seedConversation, seedIncoming } from '../support/e2e-seed.ts';
import { startLab, type Lab } from '../support/e2e-lab.ts';

const HISTORY = 600;
const TARGET = 37; // far older than the newest page (200)

describe('issue 16: typing and finding (delivery words, quick switcher, keyboard, search jump, settings)', () => {
  let lab: Lab;
  let host: Host;
  let bob: PeerApp;
  let page: Page;
  let problems: PageProblems;

  beforeAll(async () => {
    lab = await startLab({
      kamailioBase: 34_000,
      contacts: [{ displayName: 'Bob Builder', address: 'sip:bob@example.test' }, { displayName: 'Dave Archive', address: 'sip:dave@example.test' }],
      before: async ({ host, bob }) => {
        const dave = await seedConversation(host.services, 'sip:dave@example.test');
        await seedIncoming(host.services, dave, HISTORY, Date.now() - 3_600_000, (i) => (i === TARGET ? 'the zebracrossing plan is ready' : `old note ${i}`));
        await bob.send('sip:alice@example.test', 'hi from bob');
      },
    });
    ({ host, bob, page, problems } = lab);
  });
  afterAll(async () => {
    await lab?.stop();
  });

  const sidebar = () => page.getByRole('complementary', { name: 'Sidebar' });
  const conversations = () => sidebar().getByRole('list', { name: 'Conversation list' });
  const timeline = () => page.getByRole('region', { name: 'Messages' });
  const heading = async () => (await page.getByRole('main').locator('section.chat h2').textContent())?.trim();

  it('a message that fails says why in words with Retry under the bubble, and the conversation list marks it', async () => {
    await page.keyboard.press('Alt+2');
    await page.getByRole('textbox', { name: 'SIP address to chat with or call' }).fill('nobody@example.test');
    await page.getByRole('button', { name: 'Chat', exact: true }).click();
    await page.getByRole('textbox', { name: 'Message text' }).fill('are you there?');
    await page.getByRole('textbox', { name: 'Message text' }).press('Enter');
    const bubble = timeline().getByRole('article', { name: 'Sent message' });
    await bubble.getByText('Not delivered: no such user (404)').waitFor();
    await bubble.getByRole('button', { name: 'Retry sending' }).waitFor({ state: 'visible' });
    await conversations().getByRole('button', { name: /^Conversation with nobody@example\.test.*last message not delivered/ }).getByText('Not delivered:').waitFor();
    await saveScreenshot(page, 'issue16-failed-message-1280');
    const tries = () => bob.of('chats:message-received').length; // bob is never involved: the 404 comes from Kamailio
    const before = tries();
    await bubble.getByRole('button', { name: 'Retry sending' }).click();
    await bubble.getByText('Not delivered: no such user (404)').waitFor();
    expect(tries()).toBe(before);
  });

  it('Ctrl+K opens the quick switcher: type, Enter opens the chat; Esc closes it and leaves the page as it was', async () => {
    await page.keyboard.press('Control+k');
    const switcher = page.getByRole('dialog', { name: 'Go to conversation' });
    await switcher.waitFor();
    await expect.poll(() => page.evaluate(() => document.activeElement?.getAttribute('role'))).toBe('combobox');
    await page.keyboard.type('build');
    await switcher.getByRole('option', { name: /Bob Builder/, selected: true }).waitFor();
    await page.keyboard.press('Enter');
    await switcher.waitFor({ state: 'detached' });
    await expect.poll(heading).toBe('Bob Builder');
    await expect.poll(() => page.evaluate(() => document.activeElement?.getAttribute('aria-label'))).toBe('Message text');
    await page.keyboard.press('Control+k');
    await switcher.waitFor();
    await page.keyboard.press('Escape');
    await switcher.waitFor({ state: 'detached' });
    await expect.poll(heading).toBe('Bob Builder');
  });

  it('Alt+↓/↑ step through the conversations in list order; Esc on another screen returns to the chat', async () => {
    const names = await conversations().locator('.conversation-title').allTextContents();
    const at = names.indexOf('Bob Builder');
    expect(at).toBeGreaterThanOrEqual(0);
    await page.keyboard.press('Alt+ArrowDown');
    await expect.poll(heading).toBe(names[Math.min(at + 1, names.length - 1)]);
    await page.keyboard.press('Alt+ArrowUp');
    await expect.poll(heading).toBe('Bob Builder');
    await page.keyboard.press('Alt+5');
    await page.getByRole('region', { name: 'Diagnostics' }).or(page.getByRole('heading', { name: 'Diagnostics' })).first().waitFor();
    await page.keyboard.press('Escape');
    await expect.poll(heading).toBe('Bob Builder');
  });

  it('Ctrl+F searches all messages with the words marked, and a hit jumps to the message 560 messages back', async () => {
    await page.keyboard.press('Control+f');
    const input = page.getByRole('searchbox', { name: 'Search all messages' });
    await expect.poll(() => page.evaluate(() => document.activeElement?.getAttribute('aria-label'))).toBe('Search all messages');
    await input.fill('zebracrossing');
    await input.press('Enter');
    const hit = page.getByRole('list', { name: 'Search results' }).getByRole('button').first();
    await hit.locator('mark', { hasText: 'zebracrossing' }).waitFor();
    await hit.click();
    await expect.poll(heading).toBe('Dave Archive');
    const mark = timeline().locator('mark', { hasText: 'zebracrossing' });
    await mark.waitFor({ timeout: 20_000 });
    // in view: inside the timeline's visible box
    await expect
      .poll(async () => {
        const box = await mark.boundingBox();
        const view = await timeline().boundingBox();
        return box !== null && view !== null && box.y >= view.y && box.y + box.height <= view.y + view.height;
      }, { timeout: 10_000 })
      .toBe(true);
    await saveScreenshot(page, 'issue16-search-jump-1280');
  });

  it('settings: audio devices with a test tone, privacy, appearance (dark theme applies at once)', async () => {
    await page.keyboard.press('Alt+6');
    const settings = page.getByRole('region', { name: 'Settings' });
    await settings.getByRole('combobox', { name: 'Microphone' }).waitFor();
    await settings.getByRole('combobox', { name: 'Ringer (incoming calls)' }).waitFor();
    await settings.getByRole('button', { name: 'Play test tone' }).first().click();
    await expect.poll(() => page.evaluate(() => (Reflect.get(window, '__toneStats') as { peakRms: number } | undefined)?.peakRms ?? 0), { timeout: 10_000 }).toBeGreaterThan(0.01);
    await settings.getByRole('combobox', { name: 'Theme' }).selectOption('dark');
    await expect.poll(() => page.evaluate(() => getComputedStyle(document.body).backgroundColor)).toBe('rgb(21, 24, 29)');
    await saveScreenshot(page, 'issue16-settings-dark-1280');
    await settings.getByRole('combobox', { name: 'Theme' }).selectOption('system');
    await settings.getByRole('checkbox', { name: 'Tell people when I am typing' }).click();
    await expect.poll(async () => (await host.services.handlers['settings:get-privacy'](null)).sendTyping).toBe(false);
    expect(problems.pageErrors).toEqual([]);
    expect(await problems.cspViolations()).toEqual([]);
  });
});
