/**
 * A conversation with 100,000 stored messages opens in Chromium showing the newest message with only the
 * visible rows in the DOM, through the test host over the real main services (storage worker, keyset
 * paging, IPC contract over the bridge). Open times (median of 5) and seeding time are PRINTED, not
 * asserted: an absolute budget fails on a busy machine without a bug; the DOM row count is the behaviour.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHost, type Host } from '../host/server.ts';
import { launchChromium, openPage, saveScreenshot, type E2eBrowser } from '../support/e2e.ts';
import { medianOf, timeOneOpen, timeOpens } from '../support/e2e-open-timing.ts';
import { seedBulkHistory, type BulkHistory } from '../support/e2e-seed.ts';

const COUNT = 100_000;
const body = (i: number) => `history line ${i}${i % 7 === 1 ? '\nsecond line' : ''}`;

describe(`a ${COUNT.toLocaleString('en')}-message conversation in Chromium`, () => {
  let history: BulkHistory;
  let host: Host;
  let browser: E2eBrowser;

  beforeAll(async () => {
    history = await seedBulkHistory(COUNT, body);
    console.log(`seeded ${COUNT} messages in ${Math.round(history.insertMs)} ms`);
    host = await startHost({ dataDir: history.dataDir, secrets: history.secrets });
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await host?.stop();
    await history?.dispose();
  });

  it('opens showing the newest message with only the visible rows in the DOM (median of 5 opens printed)', async () => {
    const { page, problems } = await openPage(browser, host.url);
    const label = /^Conversation with history@127\.0\.0\.1/;
    const last = body(COUNT - 1);
    await timeOneOpen(page, label, last); // warm-up: the storage worker's page cache, Chromium's code cache
    const times = await timeOpens(page, host.url, label, last, 5);
    const median = medianOf(times);
    console.log(`open ${COUNT}-message conversation: ${Math.round(median)} ms median (${times.map((t) => Math.round(t)).join(', ')})`);

    const messages = page.getByRole('region', { name: 'Messages' });
    await messages.getByText(last, { exact: true }).waitFor();
    const rows = await page.locator('.vlist-row').count();
    expect(rows).toBeGreaterThan(3);
    expect(rows).toBeLessThan(80);
    // the timeline scrolls (older history above the newest page)
    expect(await messages.evaluate((el) => el.scrollHeight > el.clientHeight)).toBe(true);
    await saveScreenshot(page, 'chat-100k-history');
    expect(problems.pageErrors).toEqual([]);
    expect(await problems.cspViolations()).toEqual([]);
    await page.close();
  });
});
