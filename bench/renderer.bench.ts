/**
 * Renderer benchmark (run by `npm run bench`, or alone: `node bench/renderer.bench.ts`): opening a
 * conversation with 100,000 stored messages in Chromium, through the renderer test host over the real
 * main services. Builds the test renderer, seeds the history in one transaction, then measures click →
 * newest message on screen (in-page performance.now(), see test/support/e2e-open-timing.ts), one warm-up
 * then the median of 5 cold opens (page reloaded before each).
 */
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { startHost } from '../test/host/server.ts';
import { launchChromium, openPage } from '../test/support/e2e.ts';
import { medianOf, timeOneOpen, timeOpens } from '../test/support/e2e-open-timing.ts';
import { seedBulkHistory } from '../test/support/e2e-seed.ts';
import { requirePeer } from '../test/support/peers.ts';

const COUNT = 100_000;
const RUNS = 5;
const BUDGET_MS = 150;

const root = fileURLToPath(new URL('..', import.meta.url));

function buildTestRenderer(): void {
  const vite = fileURLToPath(new URL('../node_modules/vite/bin/vite.js', import.meta.url));
  execFileSync(process.execPath, [vite, 'build', '--config', '.config/vite.renderer-test.config.ts'], { cwd: root, stdio: 'pipe' });
}

/**
 * bench/run.ts starts each benchmark with `node --input-type=module -e ...`; the storage worker inherits
 * process.execArgv and Node refuses `--input-type` outside --eval, so the flag is dropped here first.
 */
function dropEvalOnlyFlags(): void {
  const kept = process.execArgv.filter((a) => !a.startsWith('--input-type'));
  process.execArgv.splice(0, process.execArgv.length, ...kept);
}

export async function run(): Promise<string[]> {
  requirePeer('chromium');
  dropEvalOnlyFlags();
  buildTestRenderer();
  const history = await seedBulkHistory(COUNT, (i) => `history line ${i}`);
  const host = await startHost({ dataDir: history.dataDir, secrets: history.secrets });
  const browser = await launchChromium();
  try {
    const { page } = await openPage(browser, host.url);
    const label = /^Conversation with history@127\.0\.0\.1/;
    const last = `history line ${COUNT - 1}`;
    await timeOneOpen(page, label, last);
    const times = await timeOpens(page, host.url, label, last, RUNS);
    const median = medianOf(times);
    const verdict = median < BUDGET_MS ? `budget ${BUDGET_MS} ms` : `OVER budget ${BUDGET_MS} ms`;
    return [
      `renderer: open ${COUNT.toLocaleString('en')}-message conversation: ${Math.round(median)} ms median (${RUNS} runs: ${times.map((t) => Math.round(t)).join(', ')} ms), ${verdict}`,
      `renderer: seeded ${COUNT.toLocaleString('en')} messages in ${Math.round(history.insertMs)} ms (one transaction)`,
    ];
  } finally {
    await browser.close();
    await host.stop();
    await history.dispose();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  for (const line of await run()) console.log(line);
}
