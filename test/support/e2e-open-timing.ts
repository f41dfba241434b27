/**
 * How long opening a conversation takes in Chromium, measured inside the page: from the click on the
 * conversation in the sidebar (a capture-phase listener, before React sees it) to the frame after the
 * newest message's text is in the DOM (a MutationObserver, then requestAnimationFrame: the frame that
 * shows it). Each run reloads the page first, so nothing is cached in the renderer's store: every open
 * pages the newest messages from main over the bridge and renders them.
 */
import type { Page } from 'playwright-core';

const PROBE_KEY = '__openProbe';

interface Probe {
  clickedAt: number | null;
  shownAt: number | null;
}

/** ms from click to the frame showing `lastText`, for one open (page already loaded) */
export async function timeOneOpen(page: Page, conversationLabel: RegExp, lastText: string): Promise<number> {
  const button = page.getByRole('button', { name: conversationLabel });
  await button.waitFor();
  await page.evaluate(
    ({ key, text }) => {
      const probe: Probe = { clickedAt: null, shownAt: null };
      Reflect.set(window, key, probe);
      document.addEventListener('click', () => (probe.clickedAt ??= performance.now()), { capture: true, once: true });
      const found = () => Array.from(document.querySelectorAll('.bubble-body')).some((el) => el.textContent === text);
      const observer = new MutationObserver(() => {
        if (probe.clickedAt === null || !found()) return;
        observer.disconnect();
        requestAnimationFrame(() => (probe.shownAt = performance.now()));
      });
      observer.observe(document.body, { childList: true, subtree: true, characterData: true });
    },
    { key: PROBE_KEY, text: lastText },
  );
  await button.click();
  const handle = await page.waitForFunction((key) => {
    const p = Reflect.get(window, key) as Probe | undefined;
    return p && p.shownAt !== null && p.clickedAt !== null ? p.shownAt - p.clickedAt : null;
  }, PROBE_KEY);
  return (await handle.jsonValue()) as number;
}

/** `runs` opens, each after a reload (cold renderer store); returns the times in run order */
export async function timeOpens(page: Page, url: string, conversationLabel: RegExp, lastText: string, runs: number): Promise<number[]> {
  const times: number[] = [];
  for (let r = 0; r < runs; r++) {
    await page.goto(url);
    times.push(await timeOneOpen(page, conversationLabel, lastText));
  }
  return times;
}

export function medianOf(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 === 1 ? (s[mid] ?? 0) : ((s[mid - 1] ?? 0) + (s[mid] ?? 0)) / 2;
}
