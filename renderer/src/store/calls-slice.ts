import type { CallDto } from '#shared/domain/call.ts';
import { normalize, upsert, type Normalized } from './normalized.ts';
import type { SliceCreator } from './types.ts';

export interface CallsSlice {
  readonly calls: Normalized<CallDto>;
  callsLoaded(list: readonly CallDto[]): void;
  callChanged(call: CallDto): void;
}

/** newest call first */
const newestFirst = (a: CallDto, b: CallDto) => b.startedAt - a.startedAt || a.id.localeCompare(b.id);

export const initialCalls = { calls: { byId: {}, ids: [] } as Normalized<CallDto> };

export const createCallsSlice: SliceCreator<CallsSlice> = (set) => ({
  ...initialCalls,
  callsLoaded: (list) => set({ calls: normalize(list, (c) => c.id, newestFirst) }),
  callChanged: (call) => set((s) => ({ calls: upsert(s.calls, call, (c) => c.id, newestFirst) })),
});
