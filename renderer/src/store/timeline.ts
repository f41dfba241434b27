/** The loaded part of one conversation's history: message ids oldest → newest plus the paging cursor. */
import type { MessageDto, MessagePage } from '#shared/domain/chat.ts';
import { insertionIndex } from './normalized.ts';

export interface Timeline {
  /** oldest → newest */
  readonly ids: readonly string[];
  /** cursor of the next older page; null when the oldest message is loaded */
  readonly nextCursor: string | null;
  /** messages in the conversation, as main counts them */
  readonly total: number;
}

/** chronological order: created time, then id (the same order main pages in, reversed) */
export function compareMessages(a: MessageDto, b: MessageDto): number {
  return a.createdAt - b.createdAt || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

export function insertIntoTimeline(
  timeline: Timeline,
  message: MessageDto,
  lookup: (id: string) => MessageDto | undefined,
): Timeline {
  if (timeline.ids.includes(message.id)) return timeline;
  const at = insertionIndex(timeline.ids, (id) => {
    const other = lookup(id);
    return other === undefined ? 0 : compareMessages(message, other);
  });
  const ids = [...timeline.ids];
  ids.splice(at, 0, message.id);
  return { ...timeline, ids, total: timeline.total + 1 };
}

/** The newest page replaces what is loaded; an older page goes in front (main pages newest first). */
export function applyPage(timeline: Timeline | undefined, page: MessagePage, older: boolean): Timeline {
  const chronological = [...page.messages].sort(compareMessages).map((m) => m.id);
  if (!older || timeline === undefined) return { ids: chronological, nextCursor: page.nextCursor, total: page.total };
  const known = new Set(timeline.ids);
  const fresh = chronological.filter((id) => !known.has(id));
  return { ids: [...fresh, ...timeline.ids], nextCursor: page.nextCursor, total: page.total };
}
