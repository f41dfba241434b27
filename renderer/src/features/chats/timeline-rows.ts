/**
 * The rows of a chat: one per message; the first message of each day carries the day separator, so row
 * keys are message ids only (stable when older pages are prepended, which keeps the scroll anchor valid).
 */
import type { MessageDto } from '#shared/domain/chat.ts';
import { dayKey, dayLabel } from '../../lib/format.ts';

export interface TimelineRow {
  readonly key: string;
  readonly message: MessageDto;
  /** "Today", "Yesterday", a date — set on the first message of a day */
  readonly day: string | null;
}

export function timelineRows(ids: readonly string[], messages: Readonly<Record<string, MessageDto>>, now: number = Date.now()): TimelineRow[] {
  const rows: TimelineRow[] = [];
  let lastDay = '';
  for (const id of ids) {
    const m = messages[id];
    if (!m) continue;
    const day = dayKey(m.createdAt);
    rows.push({ key: m.id, message: m, day: day !== lastDay ? dayLabel(m.createdAt, now) : null });
    lastDay = day;
  }
  return rows;
}

/** a first guess of a row's height before it is measured */
export function estimateRowHeight(row: TimelineRow): number {
  const lines = Math.ceil(row.message.body.length / 60) + (row.message.body.match(/\n/g)?.length ?? 0);
  return (row.day === null ? 0 : 36) + 52 + 20 * Math.max(1, lines);
}
