/**
 * Issue 18: main keeps its bounded wire trace always, but emits `diagnostics:trace-appended` only while the
 * diagnostics view watches; watching returns the current trace; closing the view, the window, a reload or
 * a dead renderer stops the feed. (Before, every SIP message's entry went to the renderer, watched or not.)
 */
import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import type { AccountId } from '#shared/domain/ids.ts';
import type { EventName } from '#shared/ipc/contract.ts';
import type { Emit } from '../../../main/ipc/event-bus.ts';
import { TraceFeed } from '../../../main/services/trace-feed.ts';
import { unwatchTraceWithWindow } from '../../../main/app/trace-watch.ts';
import type { WireTraceEvent } from '../../../main/sip/transport/index.ts';

const A = 'acc-a' as AccountId;
const ALL = { accountId: null, callId: null, limit: 5000 };

function event(n: number): WireTraceEvent {
  const text = `MESSAGE sip:bob@example.test SIP/2.0\r\nCall-ID: c${String(n)}\r\nCSeq: ${String(n)} MESSAGE\r\nContent-Length: 0\r\n\r\n`;
  return {
    kind: 'message',
    direction: 'out',
    raw: Buffer.from(text),
    at: 1000 + n,
    remote: { protocol: 'udp', address: '127.0.0.1', port: 5060 },
    local: { protocol: 'udp', address: '127.0.0.1', port: 5062 },
  } as WireTraceEvent;
}

function feedWithLog(enabled?: boolean): { feed: TraceFeed; emitted: { name: EventName; seq: number }[] } {
  const emitted: { name: EventName; seq: number }[] = [];
  const emit: Emit = (name, payload) => emitted.push({ name, seq: (payload as { seq: number }).seq });
  return { feed: new TraceFeed(emit, { capacity: 100, enabled }), emitted };
}

describe('TraceFeed (the wire trace to the diagnostics view)', () => {
  it('unwatched: keeps every entry, emits nothing to the renderer', () => {
    const { feed, emitted } = feedWithLog();
    for (let n = 1; n <= 20; n++) feed.record(A, event(n));
    feed.note(A, 5, 'c1', 'MESSAGE: challenge refused');
    expect(emitted).toEqual([]);
    expect(feed.watching).toBe(false);
    expect(feed.buffer.list(ALL)).toHaveLength(21);
  });

  it('watch returns the current trace, then entries flow until unwatch', () => {
    const { feed, emitted } = feedWithLog();
    for (let n = 1; n <= 3; n++) feed.record(A, event(n));
    expect(feed.watch(ALL).map((e) => e.seq)).toEqual([1, 2, 3]);
    feed.record(A, event(4));
    feed.note(A, 5, null, 'a note');
    expect(emitted).toEqual([
      { name: 'diagnostics:trace-appended', seq: 4 },
      { name: 'diagnostics:trace-appended', seq: 5 },
    ]);
    feed.unwatch();
    feed.record(A, event(6));
    expect(emitted).toHaveLength(2);
    expect(feed.buffer.list(ALL).map((e) => e.seq)).toEqual([1, 2, 3, 4, 5, 6]);
    // keep-alives are not entries: nothing to emit
    feed.watch(ALL);
    feed.record(A, { ...event(7), kind: 'keepalive' } as unknown as WireTraceEvent);
    expect(emitted).toHaveLength(2);
  });

  it('emitTrace: false never emits, even while watched', () => {
    const { feed, emitted } = feedWithLog(false);
    feed.watch(ALL);
    feed.record(A, event(1));
    expect(emitted).toEqual([]);
    expect(feed.buffer.list(ALL)).toHaveLength(1);
  });

  it.each(['closed', 'did-navigate', 'render-process-gone'] as const)('the window (%s) stops the feed', (what) => {
    const { feed, emitted } = feedWithLog();
    const window = Object.assign(new EventEmitter(), { webContents: new EventEmitter() });
    unwatchTraceWithWindow(window, () => feed.unwatch());
    feed.watch(ALL);
    feed.record(A, event(1));
    (what === 'closed' ? window : window.webContents).emit(what);
    feed.record(A, event(2));
    expect(emitted.map((e) => e.seq)).toEqual([1]);
    expect(feed.watching).toBe(false);
  });
});
