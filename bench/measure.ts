/**
 * Fair throughput measurement for benchmarks that compare implementations in one process:
 * every contestant runs the same inputs, is warmed up first, and then the contestants take turns
 * in interleaved, time-boxed rounds (the starting contestant rotates each round), so a burst of
 * load from elsewhere on the machine hits all of them alike. Results are medians over the rounds.
 */
export interface Contestant {
  readonly name: string;
  /** one unit of work on one input; the result is consumed so it cannot be optimised away */
  run(input: Buffer): unknown;
}

export interface MeasureOptions {
  readonly rounds: number;
  readonly roundMs: number;
  readonly warmupMs: number;
}

export interface Measured {
  readonly name: string;
  /** ops per CPU-second of each round, in round order */
  readonly rates: readonly number[];
  readonly median: number;
}

let sink = 0;

/**
 * ops per CPU-second of one contestant over the inputs for about `ms` of wall time (whole passes).
 * CPU time of this process (all its threads, GC included) rather than wall time: on a shared machine
 * the time this process spends descheduled would otherwise land on whichever contestant was running.
 */
function timed(c: Contestant, inputs: readonly Buffer[], ms: number): number {
  const end = performance.now() + ms;
  const cpu0 = process.cpuUsage();
  let n = 0;
  do {
    for (let i = 0; i < inputs.length; i++) if (c.run(inputs[i] as Buffer)) sink++;
    n += inputs.length;
  } while (performance.now() < end);
  const cpu = process.cpuUsage(cpu0);
  return (n * 1e6) / Math.max(1, cpu.user + cpu.system);
}

export function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 === 1 ? (s[mid] ?? 0) : ((s[mid - 1] ?? 0) + (s[mid] ?? 0)) / 2;
}

/** Warm-up, then `rounds` interleaved rounds; one Measured per contestant, in the given order. */
export function measure(contestants: readonly Contestant[], inputs: readonly Buffer[], opts: MeasureOptions): Measured[] {
  for (const c of contestants) timed(c, inputs, opts.warmupMs);
  const rates: number[][] = contestants.map(() => []);
  for (let r = 0; r < opts.rounds; r++) {
    for (let k = 0; k < contestants.length; k++) {
      const idx = (r + k) % contestants.length;
      (rates[idx] as number[]).push(timed(contestants[idx] as Contestant, inputs, opts.roundMs));
    }
  }
  if (sink < 0) console.log(sink);
  return contestants.map((c, i) => ({ name: c.name, rates: rates[i] ?? [], median: median(rates[i] ?? []) }));
}

/**
 * Median over the rounds of ours / best peer in the same round: a steadier ratio than the ratio of
 * medians when the machine is shared, as both sides of each quotient saw the same load.
 */
export function medianRatio(ours: Measured, peers: readonly Measured[]): number {
  const ratios = ours.rates.map((rate, r) => rate / Math.max(...peers.map((p) => p.rates[r] ?? 0)));
  return median(ratios);
}
