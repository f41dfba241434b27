/**
 * Step 2 of `npm run bench:stack` alone (bench/stack-send.ts): our app sending to one destination through
 * Kamailio, as a fraction of 1/RTT. `npm run bench:stack:send`; BENCH_SEND_RUNS (default 1) repeats it.
 */
import { measureSending } from './stack-send.ts';

const log = (line: string): void => {
  process.stdout.write(`${line}\n`);
};
const runs = Number(process.env['BENCH_SEND_RUNS'] ?? 1);
for (let i = 0; i < runs; i++) {
  const s = await measureSending(log);
  log(`send: ${s.rate.toFixed(0)} MESSAGE/s to one destination through Kamailio = ${s.fraction.toFixed(2)} × 1/RTT (RTT ${s.rttMs.toFixed(2)} ms), ${s.cpuMicrosPerMessage.toFixed(0)} µs CPU per MESSAGE`);
}
