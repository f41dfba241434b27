import type { TraceEntryDto } from '#shared/domain/trace.ts';
import type { SliceCreator } from './types.ts';

/** how many wire messages the diagnostics view keeps in memory */
export const TRACE_CAP = 2000;
/** and at most this many characters of message text (issue 10: main cuts each entry to 8 KB already) */
export const TRACE_CHARS_CAP = 4 * 1024 * 1024;

/** newest first in; keeps the newest entries within both caps */
function bounded(list: readonly TraceEntryDto[]): readonly TraceEntryDto[] {
  let chars = 0;
  let n = 0;
  for (const e of list) {
    if (n >= TRACE_CAP || (n > 0 && chars + e.text.length > TRACE_CHARS_CAP)) break;
    chars += e.text.length;
    n++;
  }
  return n === list.length ? list : list.slice(0, n);
}

export interface DiagnosticsSlice {
  /** newest first */
  readonly trace: readonly TraceEntryDto[];
  traceLoaded(list: readonly TraceEntryDto[]): void;
  traceAppended(entry: TraceEntryDto): void;
}

const newestFirst = (a: TraceEntryDto, b: TraceEntryDto) => b.seq - a.seq;

export const initialDiagnostics = { trace: [] as readonly TraceEntryDto[] };

export const createDiagnosticsSlice: SliceCreator<DiagnosticsSlice> = (set) => ({
  ...initialDiagnostics,
  traceLoaded: (list) => set({ trace: bounded([...list].sort(newestFirst)) }),
  traceAppended: (entry) =>
    set((s) => {
      if (s.trace.some((t) => t.seq === entry.seq)) return {};
      return { trace: bounded([entry, ...s.trace].sort(newestFirst)) };
    }),
});
