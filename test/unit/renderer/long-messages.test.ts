import { describe, expect, it } from 'vitest';
import type { MessageDto } from '#shared/domain/chat.ts';
import { joinSplitParts, partMarker, PARTS_WITHIN_MS } from '../../../renderer/src/features/chats/split-parts.ts';
import { rowKeyOf, timelineRows } from '../../../renderer/src/features/chats/timeline-rows.ts';
import { sameDraft, sizeWords, showCounter } from '../../../renderer/src/features/chats/useMessageSize.ts';
import { message } from './fixtures.ts';

const parts = (texts: string[], at = 1000, over: Partial<MessageDto> = {}) =>
  texts.map((t, i) => message(`p${i + 1}`, at + i, { body: `(${i + 1}/${texts.length}) ${t}`, ...over }));

describe('long messages received in parts are shown joined (issue 16 item 7)', () => {
  it('reads the "(i/n) " marker our sender puts on parts', () => {
    expect(partMarker('(2/3) rest')).toEqual({ index: 2, total: 3, text: 'rest' });
    expect(partMarker('(1/1) alone')).toBeNull();
    expect(partMarker('(4/3) nope')).toBeNull();
    expect(partMarker('(1/3)no space')).toBeNull();
    expect(partMarker('plain')).toBeNull();
  });
  it('a complete run becomes one message with the first part\'s id and time, the text whole again', () => {
    const list = [message('a', 0), ...parts(['Hello, ', 'long ', 'world.']), message('z', 5000)];
    const joined = joinSplitParts(list);
    expect(joined.map((j) => j.message.id)).toEqual(['a', 'p1', 'z']);
    expect(joined[1]?.message.body).toBe('Hello, long world.');
    expect(joined[1]?.message.createdAt).toBe(1000);
    expect(joined[1]?.ids).toEqual(['p1', 'p2', 'p3']);
  });
  it('an incomplete run, parts out of order, our own parts, or a part far later stay separate', () => {
    expect(joinSplitParts(parts(['a', 'b', 'c']).slice(0, 2))).toHaveLength(2);
    const [p1, p2, p3] = parts(['a', 'b', 'c']) as [MessageDto, MessageDto, MessageDto];
    expect(joinSplitParts([p1, p3, p2])).toHaveLength(3);
    expect(joinSplitParts(parts(['a', 'b'], 0, { direction: 'out', state: 'delivered' }))).toHaveLength(2);
    const late = { ...p2, createdAt: p1.createdAt + PARTS_WITHIN_MS + 1 };
    expect(joinSplitParts([p1, late])).toHaveLength(2);
    // a run interrupted by another message is not joined across it
    expect(joinSplitParts([p1, message('x', 1000), p2])).toHaveLength(3);
  });
  it('the timeline shows one row for the run, and a search hit on a later part finds that row', () => {
    const list = parts(['one ', 'two']);
    const rows = timelineRows(list.map((m) => m.id), Object.fromEntries(list.map((m) => [m.id, m])), [], true, 2000);
    expect(rows).toHaveLength(1);
    const row = rows[0];
    expect(row?.kind === 'message' && row.message.body).toBe('one two');
    expect(row?.kind === 'message' && row.partIds).toEqual(['p1', 'p2']);
    expect(rowKeyOf(rows, 'p2')).toBe('p1');
    expect(rowKeyOf(rows, 'nope')).toBeNull();
  });
});

describe('the composer counter says what the sender counts (issue 16 item 7)', () => {
  it('a count stays while the same draft is edited, never for another text', () => {
    const draft = 'Dear Bob, '.repeat(80);
    expect(sameDraft(draft, `${draft}x`)).toBe(true);
    expect(sameDraft(draft, draft.slice(0, -5))).toBe(true);
    expect(sameDraft(draft, `Another message ${draft}`)).toBe(false);
    expect(sameDraft(draft, `${draft}${'y'.repeat(500)}`)).toBe(false);
  });
  it('shows from 1000 bytes of whole request, with the choices in words', () => {
    expect(showCounter(null)).toBe(false);
    expect(showCounter({ bytes: 999, limit: 1300, fits: true, canStream: false, parts: 1 })).toBe(false);
    expect(sizeWords({ bytes: 1200, limit: 1300, fits: true, canStream: false, parts: 1 })).toBe('1200 / 1300 bytes');
    expect(sizeWords({ bytes: 2121, limit: 1300, fits: false, canStream: true, parts: 2 })).toBe(
      '2121 / 1300 bytes: too long for one message; send it whole over TCP or split into 2 parts',
    );
    expect(sizeWords({ bytes: 2121, limit: 1300, fits: false, canStream: false, parts: 3 })).toBe(
      '2121 / 1300 bytes: too long for one message; it can be split into 3 parts',
    );
    expect(sizeWords({ bytes: 5000, limit: 1300, fits: true, canStream: false, parts: 1 })).toMatch(/sent whole/);
  });
});
