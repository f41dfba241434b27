import type { TraceEntryDto } from '#shared/domain/trace.ts';
import type { SliceCreator } from './types.ts';

/** how many wire messages the diagnostics view keeps in memory */
export const TRACE_CAP = 2000;
/** and at most this many characters of message text (issue 10: main cuts each entry to 8 KB already) */
export const TRACE_CHARS_CAP = 4 * 1024 * 1024;

/** newest first in; the newest entries within both caps, and their characters */
function bounded(list: TraceEntryDto[]): { readonly trace: readonly TraceEntryDto[]; readonly traceChars: number } {
  let chars = 0;
  let n = 0;
  for (const e of list) {
    if (n >= TRACE_CAP || (n > 0 && chars + e.text.length > TRACE_CHARS_CAP)) break;
    chars += e.text.length;
    n++;
  }
  if (n < list.length) list.length = n;
  return { trace: list, traceChars: chars };
}

/** newest first: the index where an entry of `seq` goes (the first entry older than it) */
function insertionIndex(list: readonly TraceEntryDto[], seq: number): number {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((list[mid]?.seq ?? 0) > seq) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

export interface DiagnosticsSlice {
  /** newest first */
  readonly trace: readonly TraceEntryDto[];
  /** the characters of `trace`'s texts (kept so an append needs no pass over the list) */
  readonly traceChars: number;
  /** a snapshot from main replaces the list */
  traceLoaded(list: readonly TraceEntryDto[]): void;
  traceAppended(entry: TraceEntryDto): void;
}

const newestFirst = (a: TraceEntryDto, b: TraceEntryDto) => b.seq - a.seq;

export const initialDiagnostics = { trace: [] as readonly TraceEntryDto[], traceChars: 0 };

export const createDiagnosticsSlice: SliceCreator<DiagnosticsSlice> = (set) => ({
  ...initialDiagnostics,
  // main answers watch-trace synchronously, before any later entry is emitted, and one channel carries both
  // in order: a snapshot never misses an event that overtook it
  traceLoaded: (list) => set(bounded([...list].sort(newestFirst))),
  // issue 18: one binary search and one copy per entry, never a sort of the whole list
  traceAppended: (entry) =>
    set((s) => {
      const at = insertionIndex(s.trace, entry.seq);
      if (s.trace[at]?.seq === entry.seq) return {};
      if (at >= TRACE_CAP) return {};
      const next = s.trace.slice();
      next.splice(at, 0, entry);
      let chars = s.traceChars + entry.text.length;
      while (next.length > TRACE_CAP || (next.length > 1 && chars > TRACE_CHARS_CAP)) {
        chars -= next.pop()?.text.length ?? 0;
      }
      return { trace: next, traceChars: chars };
    }),
});
