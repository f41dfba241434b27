import { afterEach, describe, expect, it } from 'vitest';
import {
  commitAll, hiddenIds, pendingStore, scheduleDelete, UNDO_MS, undoDelete, type Timers,
} from '../../../renderer/src/features/undo/pending-deletes.ts';

/** a hand-driven clock: timers run when the test advances time */
function fakeTimers() {
  let now = 0;
  const due: { at: number; fn: () => void; id: number }[] = [];
  let seq = 0;
  const timers: Timers = {
    set: (fn, ms) => {
      due.push({ at: now + ms, fn, id: ++seq });
      return seq;
    },
    clear: (h) => {
      const i = due.findIndex((d) => d.id === h);
      if (i >= 0) due.splice(i, 1);
    },
  };
  const advance = async (ms: number) => {
    now += ms;
    for (const d of due.filter((x) => x.at <= now)) {
      due.splice(due.indexOf(d), 1);
      d.fn();
    }
    await new Promise((r) => setTimeout(r, 0));
  };
  return { timers, advance, pending: () => due.length };
}

describe('delete with undo (issue 16 item 12)', () => {
  afterEach(async () => {
    await commitAll();
    pendingStore.setState({ pending: [], problem: null });
  });

  it('hides at once, deletes in main only after the undo time', async () => {
    const clock = fakeTimers();
    const calls: string[] = [];
    scheduleDelete({ kind: 'contact', id: 'k1', label: 'Contact Bob deleted' }, async () => (calls.push('k1'), { ok: true }), clock.timers);
    expect([...hiddenIds(pendingStore.getState().pending, 'contact')]).toEqual(['k1']);
    expect(hiddenIds(pendingStore.getState().pending, 'message').size).toBe(0);
    await clock.advance(UNDO_MS - 1);
    expect(calls).toEqual([]);
    await clock.advance(1);
    expect(calls).toEqual(['k1']);
    expect(pendingStore.getState().pending).toEqual([]);
  });

  it('Undo brings it back and nothing is ever deleted', async () => {
    const clock = fakeTimers();
    const calls: string[] = [];
    const key = scheduleDelete({ kind: 'message', id: 'm1', label: 'Message deleted' }, async () => (calls.push('m1'), { ok: true }), clock.timers);
    expect(undoDelete(key)).toBe(true);
    expect(pendingStore.getState().pending).toEqual([]);
    await clock.advance(UNDO_MS * 2);
    expect(calls).toEqual([]);
    expect(clock.pending()).toBe(0);
    expect(undoDelete(key)).toBe(false);
  });

  it('a delete main refuses shows the item again with the reason', async () => {
    const clock = fakeTimers();
    scheduleDelete({ kind: 'conversation', id: 'c1', label: 'Conversation with Bob deleted' }, async () => ({ ok: false, error: 'it is gone' }), clock.timers);
    await clock.advance(UNDO_MS);
    expect(pendingStore.getState().pending).toEqual([]);
    expect(pendingStore.getState().problem).toBe('Could not delete (conversation with bob deleted): it is gone');
  });

  it('closing the window deletes what is pending now; the same item twice is one delete', async () => {
    const clock = fakeTimers();
    const calls: string[] = [];
    const commit = async () => (calls.push('x'), { ok: true });
    scheduleDelete({ kind: 'contact', id: 'k2', label: 'Contact deleted' }, commit, clock.timers);
    scheduleDelete({ kind: 'contact', id: 'k2', label: 'Contact deleted' }, commit, clock.timers);
    await commitAll();
    expect(calls).toEqual(['x']);
    await clock.advance(UNDO_MS);
    expect(calls).toEqual(['x']);
  });
});
