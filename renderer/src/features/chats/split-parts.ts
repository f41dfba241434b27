/**
 * Joining a long message that arrived split (issue 16 item 7). A sender that may not put more than 1300
 * bytes in one MESSAGE over UDP (RFC 3428 §8) splits the text into numbered parts "(1/3) …", "(2/3) …",
 * "(3/3) …" (main/services/chats/split.ts; the prefix is the marker). The receiver shows a complete run of
 * such parts, arriving one after the other from the same peer, as one message; an incomplete run (a
 * part lost or still on its way) stays as separate bubbles, so nothing is hidden.
 */
import type { MessageDto } from '#shared/domain/chat.ts';

const MARKER = /^\((\d{1,3})\/(\d{1,3})\) /;
/** parts of one message are sent back to back; a part much later than the first belongs to no run */
export const PARTS_WITHIN_MS = 10 * 60_000;

export interface PartMarker {
  readonly index: number;
  readonly total: number;
  readonly text: string;
}

export function partMarker(body: string): PartMarker | null {
  const m = MARKER.exec(body);
  if (m === null) return null;
  const index = Number(m[1]);
  const total = Number(m[2]);
  if (total < 2 || index < 1 || index > total) return null;
  return { index, total, text: body.slice(m[0].length) };
}

/** one entry of a timeline: a message, or a joined run of parts (the first part's id and time) */
export interface JoinedMessage {
  readonly message: MessageDto;
  /** ids of the parts this entry stands for (one id for a plain message) */
  readonly ids: readonly string[];
}

/** Joins every complete run of received parts (1/n … n/n, consecutive, same peer) into one message. */
export function joinSplitParts(list: readonly MessageDto[]): JoinedMessage[] {
  const out: JoinedMessage[] = [];
  for (let i = 0; i < list.length; ) {
    const first = list[i] as MessageDto;
    const head = first.direction === 'in' ? partMarker(first.body) : null;
    if (head !== null && head.index === 1) {
      const texts = [head.text];
      let j = i + 1;
      for (; j < list.length && texts.length < head.total; j++) {
        const m = list[j] as MessageDto;
        const part = m.direction === 'in' && m.callId === first.callId ? partMarker(m.body) : null;
        if (part === null || part.total !== head.total || part.index !== texts.length + 1 || m.createdAt - first.createdAt > PARTS_WITHIN_MS) break;
        texts.push(part.text);
      }
      if (texts.length === head.total) {
        out.push({ message: { ...first, body: texts.join('') }, ids: list.slice(i, j).map((m) => m.id) });
        i = j;
        continue;
      }
    }
    out.push({ message: first, ids: [first.id] });
    i++;
  }
  return out;
}
