import type { CallDto } from '#shared/domain/call.ts';
import type { SnapshotMark } from './accounts-slice.ts';
import { normalize, upsert, type Normalized } from './normalized.ts';
import type { SliceCreator } from './types.ts';

export interface CallsSlice {
  readonly calls: Normalized<CallDto>;
  /** the store's event count at each call's last `calls:call-changed` (see SnapshotMark) */
  readonly callSeq: Readonly<Record<string, number>>;
  /** a snapshot (`calls:list`); calls changed by an event after `mark` keep the event's copy */
  callsLoaded(list: readonly CallDto[], mark?: SnapshotMark): void;
  callChanged(call: CallDto): void;
  /**
   * A reply to one of our requests (place, answer, mute): a copy taken when main answered. Applied only
   * when no event about that call arrived after `mark`, or the call is not known yet.
   */
  callReplied(call: CallDto, mark: SnapshotMark): void;
}

/** newest call first */
const newestFirst = (a: CallDto, b: CallDto) => b.startedAt - a.startedAt || a.id.localeCompare(b.id);

export const initialCalls = { calls: { byId: {}, ids: [] } as Normalized<CallDto>, callSeq: {} as Readonly<Record<string, number>> };

export const createCallsSlice: SliceCreator<CallsSlice> = (set) => ({
  ...initialCalls,
  callsLoaded: (list, mark = -1) =>
    set((s) => {
      const merged = list.map((c) => ((s.callSeq[c.id] ?? -1) > mark ? (s.calls.byId[c.id] ?? c) : c));
      for (const id of s.calls.ids) {
        const kept = s.calls.byId[id];
        if (kept !== undefined && (s.callSeq[id] ?? -1) > mark && !list.some((c) => c.id === id)) merged.push(kept);
      }
      return { calls: normalize(merged, (c) => c.id, newestFirst) };
    }),
  callChanged: (call) =>
    set((s) => {
      const seq = s.eventSeq + 1;
      return { eventSeq: seq, callSeq: { ...s.callSeq, [call.id]: seq }, calls: upsert(s.calls, call, (c) => c.id, newestFirst) };
    }),
  callReplied: (call, mark) =>
    set((s) => {
      if ((s.callSeq[call.id] ?? -1) > mark && s.calls.byId[call.id] !== undefined) return {};
      return { calls: upsert(s.calls, call, (c) => c.id, newestFirst) };
    }),
});
