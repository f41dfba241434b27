/**
 * The rows of a chat: one per message and one per call with the peer (issue 16 item 3), in time order; the
 * first row of each day carries the day separator, so row keys are ids only (stable when older pages are
 * prepended, which keeps the scroll anchor valid). Messages sent inside a call are marked with it.
 */
import type { CallDto } from '#shared/domain/call.ts';
import type { MessageDto } from '#shared/domain/chat.ts';
import { dayKey, dayLabel } from '../../lib/format.ts';
import { joinSplitParts } from './split-parts.ts';

export type TimelineRow =
  | {
      readonly kind: 'message';
      readonly key: string;
      readonly message: MessageDto;
      /** "Today", "Yesterday", a date — set on the first row of a day */
      readonly day: string | null;
      /** the call this message was sent in, when that call is shown in this timeline */
      readonly inCall: boolean;
      /** a long message received in numbered parts, shown joined: the parts' ids (split-parts.ts) */
      readonly partIds?: readonly string[];
    }
  | { readonly kind: 'call'; readonly key: string; readonly call: CallDto; readonly day: string | null; readonly messagesInCall: number };

/**
 * `calls` are this conversation's calls; only those within the loaded history are placed (`complete`:
 * the oldest page is loaded, so older calls belong too).
 */
export function timelineRows(
  ids: readonly string[],
  messages: Readonly<Record<string, MessageDto>>,
  calls: readonly CallDto[] = [],
  complete = true,
  now: number = Date.now(),
): TimelineRow[] {
  const list: MessageDto[] = [];
  for (const id of ids) {
    const m = messages[id];
    if (m) list.push(m);
  }
  const from = complete ? -Infinity : (list[0]?.createdAt ?? Infinity);
  const shownCalls = calls.filter((c) => c.startedAt >= from).sort((a, b) => a.startedAt - b.startedAt);
  const callIds = new Set(shownCalls.map((c) => c.id as string));
  const perCall = new Map<string, number>();
  for (const m of list) if (m.callId !== null && callIds.has(m.callId)) perCall.set(m.callId, (perCall.get(m.callId) ?? 0) + 1);

  const rows: TimelineRow[] = [];
  let lastDay = '';
  const dayOf = (at: number) => {
    const day = dayKey(at);
    const label = day !== lastDay ? dayLabel(at, now) : null;
    lastDay = day;
    return label;
  };
  let c = 0;
  const pushCallsUntil = (at: number) => {
    for (let call = shownCalls[c]; call !== undefined && call.startedAt <= at; call = shownCalls[++c]) {
      rows.push({ kind: 'call', key: `call:${call.id}`, call, day: dayOf(call.startedAt), messagesInCall: perCall.get(call.id) ?? 0 });
    }
  };
  for (const { message: m, ids: parts } of joinSplitParts(list)) {
    pushCallsUntil(m.createdAt);
    rows.push({ kind: 'message', key: m.id, message: m, day: dayOf(m.createdAt), inCall: m.callId !== null, ...(parts.length > 1 ? { partIds: parts } : {}) });
  }
  pushCallsUntil(Infinity);
  return rows;
}

/** the key of the row that shows message `id` (a joined long message shows several) */
export function rowKeyOf(rows: readonly TimelineRow[], id: string): string | null {
  for (const row of rows) if (row.kind === 'message' && (row.key === id || row.partIds?.includes(id) === true)) return row.key;
  return null;
}

/** a first guess of a row's height before it is measured */
export function estimateRowHeight(row: TimelineRow): number {
  const day = row.day === null ? 0 : 36;
  if (row.kind === 'call') return day + 56;
  const lines = Math.ceil(row.message.body.length / 60) + (row.message.body.match(/\n/g)?.length ?? 0);
  return day + 52 + 20 * Math.max(1, lines);
}
