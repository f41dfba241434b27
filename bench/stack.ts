/**
 * `npm run bench:stack`: the headless SIP stack against baresip, in the same run, on loopback UDP.
 *
 * 1. Receiving: sipp sends out-of-dialog MESSAGEs straight to each UA at rising rates (the contestants
 *    alternate at every step); a rate passes when every MESSAGE got its 200 with no retransmission and
 *    no failure, in one of two tries in a row (the same for both). Printed: each step, the highest passing rate of each and ours / baresip, CPU µs per
 *    MESSAGE, and how much still got through one step past our knee (503 instead of collapse).
 * 2. Sending: our stack sends MESSAGEs one at a time (RFC 3428 §8) to one destination through Kamailio;
 *    the rate as a fraction of 1/RTT, RTT measured by sipp on the same path in the same run
 *    (bench/stack-send.ts).
 * 3. Memory: our process's RSS (main thread + storage worker) once its database holds 100,000 messages
 *    and it has loaded the conversation list and the newest page, after a full GC.
 *
 * Bounded: BENCH_STACK_SECONDS (default 10, as issue 18 measured) per step, at most TOTAL_BUDGET_S for the whole ladder. The
 * machine's other load shows up in every figure: compare the ratios, not the absolute rates.
 */
import { cpus, loadavg } from 'node:os';
import { runSippRate, startBaresip, startOurs, tempDir, type Contestant, type SippResult } from './stack-peers.ts';
import { measureSending } from './stack-send.ts';

const SECONDS = Number(process.env['BENCH_STACK_SECONDS'] ?? 10);
const RATES = [100, 250, 500, 1000, 1500, 2000, 3000, 4000, 6000, 8000, 12_000, 16_000, 24_000];
const TOTAL_BUDGET_S = 420;
const STORED_TARGET = 100_000;
const MB = 1024 * 1024;

interface Step {
  readonly rate: number;
  readonly result: SippResult;
  readonly cpuMicrosPerMessage: number;
  readonly passed: boolean;
}

const log = (line: string): void => {
  process.stdout.write(`${line}\n`);
};

async function step(c: Contestant, rate: number, cwd: string): Promise<Step> {
  const cpu0 = c.cpuSeconds();
  const result = await runSippRate(c.port, rate, SECONDS, cwd);
  const cpu = c.cpuSeconds() - cpu0;
  const passed = result.successful === result.sent && result.failed === 0 && result.retransmissions === 0;
  const cpuMicrosPerMessage = result.successful > 0 ? (cpu * 1e6) / result.successful : NaN;
  log(
    `  ${c.name.padEnd(8)} ${String(rate).padStart(6)}/s: ${String(result.successful)}/${String(result.sent)} answered 200, ` +
      `${String(result.failed)} failed, ${String(result.retransmissions)} retransmitted, ${cpuMicrosPerMessage.toFixed(0)} µs CPU/MESSAGE ` +
      `${passed ? 'pass' : 'FAIL'}`,
  );
  return { rate, result, cpuMicrosPerMessage, passed };
}

const started = performance.now();
const elapsed = (): number => (performance.now() - started) / 1000;
log(`bench:stack — ${String(SECONDS)} s per rate, sipp → UDP loopback; load average ${loadavg().map((l) => l.toFixed(1)).join(' ')} on ${String(cpus().length)} CPUs`);

const ours = await startOurs();
const baresip = await startBaresip();
const cwd = tempDir('sipp');
const steps = new Map<string, Step[]>([
  ['ours', []],
  ['baresip', []],
]);
try {
  // a short warm-up for both (JIT, SQLite page cache), not counted
  await runSippRate(ours.port, 200, 1, cwd);
  await runSippRate(baresip.port, 200, 1, cwd);

  const climbing = new Set<Contestant>([ours, baresip]);
  log('receiving (out-of-dialog MESSAGE, 200 expected):');
  for (const [i, rate] of RATES.entries()) {
    if (climbing.size === 0 || elapsed() > TOTAL_BUDGET_S) break;
    // alternate who goes first at each step
    const order = i % 2 === 0 ? [ours, baresip] : [baresip, ours];
    for (const c of order) {
      if (!climbing.has(c)) continue;
      let s = await step(c, rate, cwd);
      // a rate fails only when it fails twice in a row, for both alike: other jobs on a shared machine
      // stall either contestant now and then, and one stall past T1 is a retransmission
      if (!s.passed) s = await step(c, rate, cwd);
      steps.get(c.name)?.push(s);
      if (!s.passed) climbing.delete(c);
    }
  }
  if (elapsed() > TOTAL_BUDGET_S) log(`  (ladder stopped: ${String(TOTAL_BUDGET_S)} s budget spent)`);

  const best = (name: string): Step | undefined => steps.get(name)?.filter((s) => s.passed).at(-1);
  const knee = (name: string): Step | undefined => steps.get(name)?.find((s) => !s.passed);
  const oursBest = best('ours');
  const baresipBest = best('baresip');

  // past the knee: twice our best rate, to show what is still delivered (503 with Retry-After for the rest)
  let past: Step | null = null;
  if (oursBest !== undefined && elapsed() < TOTAL_BUDGET_S + 60) {
    log('past our knee:');
    past = await step(ours, oursBest.rate * 2, cwd);
  }
  const stats = await ours.command('stats');

  log('sending (one destination through Kamailio, one MESSAGE at a time, RFC 3428 §8):');
  const sending = await measureSending(log).catch((e: unknown) => {
    log(`  sending: FAILED ${e instanceof Error ? e.message : String(e)}`);
    return null;
  });

  log(`memory: filling our database to ${String(STORED_TARGET)} messages, then starting the stack again on it ...`);
  const afterFill = await ours.command(`fill ${String(STORED_TARGET)}`);
  await ours.stop();
  // what a user has: the app started on a database of 100,000 messages, showing its conversations
  const reopened = await startOurs(ours.database);
  let filled: Record<string, number>;
  try {
    filled = await reopened.command('load');
  } finally {
    await reopened.stop();
  }

  const ratio = oursBest !== undefined && baresipBest !== undefined ? oursBest.rate / baresipBest.rate : NaN;
  const goodput = (s: Step | null | undefined): string => (s == null ? 'n/a' : `${(s.result.successful / SECONDS).toFixed(0)}/s`);
  log('');
  log(`receive: ours ${String(oursBest?.rate ?? 0)}/s, baresip ${String(baresipBest?.rate ?? 0)}/s with 0 failed and 0 retransmitted (${String(SECONDS)} s per rate)`);
  log(`receive CPU per MESSAGE at the highest passing rate: ours ${oursBest?.cpuMicrosPerMessage.toFixed(0) ?? 'n/a'} µs, baresip ${baresipBest?.cpuMicrosPerMessage.toFixed(0) ?? 'n/a'} µs`);
  log(`past the knee: offered ${String(knee('ours')?.rate ?? 0)}/s → ${goodput(knee('ours'))} answered 200; offered ${String(past?.rate ?? 0)}/s → ${goodput(past)} answered 200; ${String(stats['refused'] ?? 0)} refused with 503 in all; group commit: ${String(stats['batches'] ?? 0)} transactions for ${String(stats['committed'] ?? 0)} messages, largest ${String(stats['largestBatch'] ?? 0)}`);
  if (sending !== null) log(`send: ${sending.rate.toFixed(0)} MESSAGE/s to one destination through Kamailio = ${sending.fraction.toFixed(2)} × 1/RTT (RTT ${sending.rttMs.toFixed(2)} ms)`);
  log(`memory: ours RSS ${((filled['rss'] ?? 0) / MB).toFixed(0)} MB started on ${String(filled['stored'] ?? 0)} stored messages, conversation list and newest page loaded (heap ${((filled['heapUsed'] ?? 0) / MB).toFixed(0)} MB; ${((afterFill['rss'] ?? 0) / MB).toFixed(0)} MB right after storing them)`);
  log(`stack: ${Number.isFinite(ratio) ? ratio.toFixed(2) : 'n/a'}x baresip (highest MESSAGE/s received with 0 failed, 0 retransmitted; same run, ${elapsed().toFixed(0)} s)`);
} finally {
  await ours.stop();
  await baresip.stop();
}
