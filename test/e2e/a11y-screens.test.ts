/**
 * Issue 16: axe-core on every screen in light and dark (no serious or critical violation, every rule on,
 * label-content-name-mismatch included), and a screenshot of every screen at 1280×800 and 900×600
 * (test-results/screenshots, gitignored) for review; at 200 % zoom of a 1280×800 window (640×400 CSS
 * pixels) no screen scrolls sideways and nothing in it is cut off. The page runs over the real services
 * with a registered account, a contact and a conversation.
 */
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { startHost, type Host } from '../host/server.ts';
import { launchChromium, openPage, saveScreenshot, type E2eBrowser } from '../support/e2e.ts';
import { seedAccount, seedConversation, seedIncoming } from '../support/e2e-seed.ts';

const SCREENS = [
  { name: 'home', key: 'Alt+1' },
  { name: 'contacts', key: 'Alt+2' },
  { name: 'calls', key: 'Alt+3' },
  { name: 'accounts', key: 'Alt+4' },
  { name: 'diagnostics', key: 'Alt+5' },
  { name: 'settings', key: 'Alt+6' },
  { name: 'search', key: 'Control+f' },
] as const;

interface AxeResult {
  readonly violations: readonly { readonly id: string; readonly impact: string | null; readonly nodes: readonly { readonly target: readonly string[] }[] }[];
}

describe('issue 16: accessibility (axe-core) and screenshots of every screen, light and dark, two window sizes', () => {
  let host: Host;
  let browser: E2eBrowser;
  let axeSource: string;

  beforeAll(async () => {
    axeSource = await readFile(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
    host = await startHost();
    await seedAccount(host.services);
    await host.services.handlers['contacts:save']({ id: null, displayName: 'Bob Builder', address: 'sip:bob@127.0.0.1', note: '' });
    const bob = await seedConversation(host.services, 'sip:bob@127.0.0.1');
    await seedIncoming(host.services, bob, 5, Date.now(), (i) => `message number ${i} from bob`);
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await host?.stop();
  });

  /** serious and critical violations, with where they are */
  const audit = async (page: Page): Promise<string[]> => {
    // evaluated over the DevTools protocol: the page's CSP (script-src 'self') does not apply
    await page.evaluate(axeSource);
    const result = (await page.evaluate(() => (Reflect.get(window, 'axe') as { run: (c: unknown, o: unknown) => Promise<unknown> }).run(document, { resultTypes: ['violations'] }))) as AxeResult;
    return result.violations.filter((v) => (v.impact === 'serious' || v.impact === 'critical')).map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ') + ' ' + (n as { html?: string }).html).join(', ')}`);
  };

  for (const scheme of ['light', 'dark'] as const) {
    it(`${scheme}: every screen has no serious or critical axe violation; screenshots at 1280×800 and 900×600`, async () => {
      const { page, problems } = await openPage(browser, host.url);
      await page.emulateMedia({ colorScheme: scheme });
      page.setDefaultTimeout(15_000);
      const found: string[] = [];
      for (const size of [{ width: 1280, height: 800 }, { width: 900, height: 600 }]) {
        await page.setViewportSize(size);
        await page.getByRole('complementary', { name: 'Sidebar' }).getByRole('button', { name: /^Conversation with Bob Builder/ }).click();
        await page.getByRole('region', { name: 'Messages' }).getByText('message number 4 from bob').waitFor();
        for (const v of await audit(page)) found.push(`chat: ${v}`);
        await saveScreenshot(page, `issue16-${scheme}-chat-${size.width}x${size.height}`);
        for (const screen of SCREENS) {
          await page.locator('body').press('Escape');
          await page.keyboard.press(screen.key);
          await page.waitForFunction(() => document.querySelector('main') !== null);
          for (const v of await audit(page)) found.push(`${screen.name}: ${v}`);
          await saveScreenshot(page, `issue16-${scheme}-${screen.name}-${size.width}x${size.height}`);
        }
      }
      console.log(`${scheme}: ${found.length} serious/critical axe violations${found.length ? `\n${found.join('\n')}` : ''}`);
      expect(found).toEqual([]);
      expect(problems.pageErrors).toEqual([]);
      await page.close();
    });
  }

  /** what does not fit at this zoom: sideways scrolling, and controls or text boxes outside the window */
  const overflow = (page: Page) =>
    page.evaluate(() => {
      const out: string[] = [];
      const doc = document.scrollingElement ?? document.documentElement;
      if (doc.scrollWidth > window.innerWidth + 1) out.push(`page scrolls sideways: ${String(doc.scrollWidth)} > ${String(window.innerWidth)}`);
      for (const el of document.querySelectorAll('main button, main input, main select, main textarea, main h2, aside button')) {
        const r = el.getBoundingClientRect();
        if (r.width === 0 || r.height === 0 || el.closest('dialog:not([open])') || el.classList.contains('sr-only')) continue;
        if (r.left < -1 || r.right > window.innerWidth + 1) out.push(`cut off: ${el.tagName.toLowerCase()} "${(el.getAttribute('aria-label') ?? el.textContent ?? '').trim().slice(0, 40)}" ${String(Math.round(r.left))}..${String(Math.round(r.right))}`);
        // a box narrower than its own text is cut off too (a button whose label does not fit)
        if ((el.tagName === 'BUTTON' || el.tagName === 'H2') && el.scrollWidth > el.clientWidth + 1 && getComputedStyle(el).overflowX !== 'visible') {
          out.push(`text cut: ${el.tagName.toLowerCase()} "${(el.textContent ?? '').trim().slice(0, 40)}"`);
        }
      }
      return out;
    });

  it('200 % zoom (640×400 CSS pixels): no screen scrolls sideways, nothing is cut off, the conversations stay in reach', async () => {
    const { page, problems } = await openPage(browser, host.url);
    page.setDefaultTimeout(15_000);
    await page.setViewportSize({ width: 640, height: 400 });
    const found: string[] = [];
    await page.getByRole('complementary', { name: 'Sidebar' }).getByRole('button', { name: /^Conversation with Bob Builder/ }).click();
    await page.getByRole('region', { name: 'Messages' }).getByText('message number 4 from bob').waitFor();
    for (const v of await overflow(page)) found.push(`chat: ${v}`);
    // the composer and its Send button are on screen
    const send = await page.getByRole('button', { name: 'Send message' }).boundingBox();
    expect(send !== null && send.y + send.height <= 400 && send.x + send.width <= 640).toBe(true);
    await saveScreenshot(page, 'issue16-zoom200-chat');
    for (const screen of SCREENS) {
      await page.locator('body').press('Escape');
      await page.keyboard.press(screen.key);
      await page.waitForFunction(() => document.querySelector('main') !== null);
      for (const v of await overflow(page)) found.push(`${screen.name}: ${v}`);
      await saveScreenshot(page, `issue16-zoom200-${screen.name}`);
    }
    console.log(`200 % zoom: ${String(found.length)} problems${found.length ? `\n${found.join('\n')}` : ''}`);
    expect(found).toEqual([]);
    expect(problems.pageErrors).toEqual([]);
    await page.close();
  });
});
