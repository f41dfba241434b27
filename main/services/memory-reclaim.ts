/**
 * Memory back to the OS after a flood (issue 10, "bounded cost": RSS growth after GC under 50 MB).
 *
 * What a flood leaves behind was measured (test/integration/messaging-flood.test.ts; /proc/<pid>/smaps and
 * --trace-gc in the app's process): the live heap stays small (the server-transaction cap and the group
 * commit bound it: +26 MB at the peak of 20,000 MESSAGEs), but V8 sizes its heap for the allocation rate —
 * the young generation grows to its maximum (2 × 64 MB semi-spaces without pointer compression), promoted
 * garbage piles up in the old generation (heap-growth.ts limits that), and pages freed by a GC stay in V8's
 * page pool, resident: an ordinary full GC right after the flood left +260-280 MB. V8's own memory reducer
 * gives the main isolate's part back only once it sees a low allocation rate, 8-16 s after the load (399 →
 * 172 MB in one run), and never the storage worker's (its reducer kept reporting "high alloc"), while a
 * memory-reducing GC of both brings the process back to its start (419 → 143 MB, start 138 MB).
 *
 * So: every `intervalMs` the RSS is compared with its baseline (the lowest seen, or what the last reclaim
 * left); when it has grown by more than `thresholdBytes` and the SIP edge is quiet (the flood is over),
 * one memory-reducing GC runs for the main isolate and the storage worker (`reclaim`), at most once per
 * `minGapMs`. Never while busy: a GC that shrinks the young generation during load only makes it grow again.
 */
import type { Clock, TimerHandle } from '../sip/transaction/index.ts';

export interface MemoryReclaimOptions {
  readonly clock: Clock;
  /** resident set size now, bytes (process.memoryUsage.rss) */
  readonly rss: () => number;
  /** true when nothing is being worked on (no flood in progress); asked at every look */
  readonly quiet: () => boolean;
  /** a memory-reducing GC of every isolate of the process; resolves when done */
  readonly reclaim: () => Promise<void>;
  /** how often to look; default 10 s */
  readonly intervalMs?: number;
  /** growth over the baseline that is worth a GC; default 32 MB (the issue bounds growth at 50 MB) */
  readonly thresholdBytes?: number;
  /** least time between two reclaims; default 60 s */
  readonly minGapMs?: number;
}

export interface MemoryReclaimCounters {
  /** memory-reducing GCs run */
  readonly reclaims: number;
  /** RSS given back by them, bytes (before − after, summed) */
  readonly releasedBytes: number;
}

export class MemoryReclaimer {
  readonly #o: Required<MemoryReclaimOptions>;
  #baseline: number | null = null;
  #lastReclaim = -Infinity;
  #timer: TimerHandle | null = null;
  #running = false;
  #stopped = false;
  #reclaims = 0;
  #released = 0;

  constructor(options: MemoryReclaimOptions) {
    this.#o = { intervalMs: 10_000, thresholdBytes: 32 * 1024 * 1024, minGapMs: 60_000, ...options };
  }

  start(): void {
    if (this.#stopped || this.#timer !== null) return;
    this.#timer = this.#o.clock.setTimeout(() => void this.#tick(), this.#o.intervalMs);
  }

  stop(): void {
    this.#stopped = true;
    if (this.#timer !== null) this.#o.clock.clearTimeout(this.#timer);
    this.#timer = null;
  }

  counters(): MemoryReclaimCounters {
    return { reclaims: this.#reclaims, releasedBytes: this.#released };
  }

  /** one look (the timer's; public for tests): reclaims when grown, quiet and not too soon */
  async check(): Promise<boolean> {
    if (this.#running) return false;
    // asked every time, so that a rate it measures covers one interval
    const quiet = this.#o.quiet();
    const rss = this.#o.rss();
    this.#baseline = Math.min(this.#baseline ?? rss, rss);
    const now = this.#o.clock.now();
    if (!quiet || rss - this.#baseline <= this.#o.thresholdBytes || now - this.#lastReclaim < this.#o.minGapMs) return false;
    this.#running = true;
    try {
      await this.#o.reclaim();
    } finally {
      this.#running = false;
    }
    const after = this.#o.rss();
    this.#lastReclaim = this.#o.clock.now();
    this.#reclaims++;
    this.#released += Math.max(0, rss - after);
    // what stays after a reducing GC is live: the next reclaim waits for new growth on top of it
    this.#baseline = after;
    return true;
  }

  async #tick(): Promise<void> {
    this.#timer = null;
    try {
      await this.check();
    } catch {
      // a failed GC request changes nothing; look again next time
    }
    this.start();
  }
}
