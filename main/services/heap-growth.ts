/**
 * How far V8 lets the old generation grow past its live size before the next full GC (issue 10, "bounded
 * cost": the peak of a flood). By default V8 picks a factor between 1.1 and 4 from how cheap its GCs have
 * been; with the main process's small live heap (20-45 MB) it picks ~3.4, so during a flood of MESSAGEs the
 * garbage promoted out of the young generation (each message's request, transaction and commit wait outlive
 * a scavenge) piles up to 170-220 MB before it is collected, and the RSS follows (+270-300 MB).
 * A fixed factor of 1.2 collects it sooner: measured in the flood test, in alternating runs on the same
 * machine, peak heapUsed 89-92 MB instead of 186-223 MB and peak RSS 319-326 MB instead of 423-443 MB, at the
 * same CPU per MESSAGE (340-345 µs against 324-370 µs). Set at run time (V8 reads this flag at every GC),
 * since Electron's main process takes no V8 flags from its command line; process-wide, so the storage
 * worker gets it too.
 */
import { setFlagsFromString } from 'node:v8';

export const HEAP_GROWING_PERCENT = 20;

let applied = false;

export function limitHeapGrowth(percent = HEAP_GROWING_PERCENT): void {
  if (applied) return;
  applied = true;
  setFlagsFromString(`--heap-growing-percent=${String(Math.max(1, Math.round(percent)))}`);
}
