import type { TraceEntryDto } from '#shared/domain/trace.ts';
import type { SliceCreator } from './types.ts';

/** how many wire messages the diagnostics view keeps in memory */
export const TRACE_CAP = 2000;

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
  traceLoaded: (list) => set({ trace: [...list].sort(newestFirst).slice(0, TRACE_CAP) }),
  traceAppended: (entry) =>
    set((s) => {
      if (s.trace.some((t) => t.seq === entry.seq)) return {};
      return { trace: [entry, ...s.trace].sort(newestFirst).slice(0, TRACE_CAP) };
    }),
});
