/**
 * E2E harness: Debian's Chromium driven by playwright-core (never `npx playwright install`), opening the
 * renderer served by the test host (test/host) over the real main services.
 */
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type BrowserContext, type Page } from 'playwright-core';

/** Debian's Chromium; on Windows/macOS point CHROME_PATH at a Chrome or Chromium executable. */
export const CHROMIUM = process.env['CHROME_PATH'] || '/usr/bin/chromium';
export const SCREENSHOTS = fileURLToPath(new URL('../../test-results/screenshots', import.meta.url));

const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];

export interface E2eBrowser {
  readonly context: BrowserContext;
  close(): Promise<void>;
}

/** A fresh Chromium profile (temp user-data dir) per launch. */
export async function launchChromium(
  options: { readonly colorScheme?: 'light' | 'dark'; /** extra Chromium switches, e.g. a fake microphone */ readonly args?: readonly string[] } = {},
): Promise<E2eBrowser> {
  const userDataDir = await mkdtemp(join(tmpdir(), 'sip-messenger-chromium-'));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM,
    headless: true,
    args: [...ARGS, ...(options.args ?? [])],
    viewport: { width: 1100, height: 720 },
    colorScheme: options.colorScheme ?? 'light',
  });
  return {
    context,
    async close() {
      await context.close();
      await rm(userDataDir, { recursive: true, force: true });
    },
  };
}

/** Everything the page complained about: console errors, uncaught errors, CSP violations. */
export interface PageProblems {
  readonly console: string[];
  readonly pageErrors: string[];
  cspViolations(): Promise<string[]>;
}

const CSP_PROBE = `
  window.__cspViolations = [];
  document.addEventListener('securitypolicyviolation', (e) => {
    window.__cspViolations.push(e.violatedDirective + ' ' + (e.blockedURI || '') + ' ' + (e.sourceFile || '') + ':' + e.lineNumber);
  });
`;

/** Opens a page that records its problems (the CSP probe is injected by the driver, not by the page). */
export async function openPage(browser: E2eBrowser, url: string): Promise<{ readonly page: Page; readonly problems: PageProblems }> {
  const page = await browser.context.newPage();
  const consoleErrors: string[] = [];
  const pageErrors: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'warning') consoleErrors.push(`${m.type()}: ${m.text()}`);
  });
  page.on('pageerror', (e) => pageErrors.push(e.message));
  await page.addInitScript({ content: CSP_PROBE });
  await page.goto(url);
  // 'load' can fire before React's first render (createRoot renders in a later task): a key pressed then
  // reaches no listener. Ready = the shell is on screen and the effects of that render (its keyboard
  // shortcuts) ran, which React does after the frame that shows it.
  await page.getByRole('complementary', { name: 'Sidebar' }).waitFor();
  await page.evaluate(() => new Promise<void>((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0))));
  return {
    page,
    problems: {
      console: consoleErrors,
      pageErrors,
      cspViolations: async () => page.evaluate(() => (Reflect.get(window, '__cspViolations') as string[] | undefined) ?? []),
    },
  };
}

export async function saveScreenshot(page: Page, name: string): Promise<string> {
  await mkdir(SCREENSHOTS, { recursive: true });
  const path = join(SCREENSHOTS, `${name}.png`);
  await page.screenshot({ path, fullPage: false });
  return path;
}
