import { beforeEach, describe, expect, it } from 'vitest';
import type { CallDto } from '#shared/domain/call.ts';
import type { CallId } from '#shared/domain/ids.ts';
import { timelineRows } from '../../../renderer/src/features/chats/timeline-rows.ts';
import { unseenMissedCalls } from '../../../renderer/src/features/calls/call-model.ts';
import { DRAFTS_KEY, loadDrafts } from '../../../renderer/src/store/drafts-slice.ts';
import { appStore, resetStore } from '../../../renderer/src/store/store.ts';
import { accountId, message } from './fixtures.ts';

const s = () => appStore.getState();
function call(id: string, startedAt: number, over: Partial<CallDto> = {}): CallDto {
  return {
    id: id as CallId, accountId, direction: 'out', peer: 'sip:bob@example.test', peerName: '', state: 'ended', muted: false, onHold: false,
    remoteHold: false, waiting: false, active: false, encrypted: false, codec: null, wideband: false, dtmfReceived: '', startedAt: startedAt as never, connectedAt: (startedAt + 1000) as never, endedAt: (startedAt + 353_000) as never, endReason: 'hung up', ...over,
  };
}

describe('conversation timeline with call rows (issue 16 item 3)', () => {
  const base = new Date(2024, 0, 10, 12).getTime();
  const msgs = {
    a: message('a', base),
    b: message('b', base + 5000, { callId: 'c1' as CallId }),
    c: message('c', base + 6000, { callId: 'c1' as CallId, direction: 'out', state: 'delivered' }),
    d: message('d', base + 400_000),
  };
  it('the call row sits at its start time, counts its in-call messages, and those are marked', () => {
    const rows = timelineRows(['a', 'b', 'c', 'd'], msgs, [call('c1', base + 1000)], true, base);
    expect(rows.map((r) => r.key)).toEqual(['a', 'call:c1', 'b', 'c', 'd']);
    const callRow = rows[1];
    expect(callRow?.kind === 'call' && callRow.messagesInCall).toBe(2);
    expect(rows.filter((r) => r.kind === 'message' && r.inCall).map((r) => r.key)).toEqual(['b', 'c']);
    expect(rows.filter((r) => r.day !== null)).toHaveLength(1);
  });
  it('calls older than the loaded page wait until that page is loaded; calls after the last message go last', () => {
    const rows = timelineRows(['b', 'c'], msgs, [call('old', base - 1000), call('late', base + 500_000)], false, base);
    expect(rows.map((r) => r.key)).toEqual(['b', 'c', 'call:late']);
    expect(timelineRows(['b', 'c'], msgs, [call('old', base - 1000)], true, base)[0]?.key).toBe('call:old');
  });
});

describe('missed-call badge (issue 16 item 5)', () => {
  beforeEach(() => resetStore());
  it('counts missed incoming calls until the Calls screen is visited; declined and answered calls are not missed', () => {
    const now = Date.now();
    s().callChanged(call('m1', now - 5000, { direction: 'in', connectedAt: null, endReason: 'cancelled (487)', endedAt: (now - 4000) as never }));
    s().callChanged(call('d1', now - 5000, { direction: 'in', connectedAt: null, endReason: 'declined (603)' }));
    s().callChanged(call('a1', now - 5000, { direction: 'in' }));
    expect(unseenMissedCalls(s())).toBe(1);
    s().navigated('calls');
    expect(unseenMissedCalls(s())).toBe(0);
    s().navigated('contacts');
    expect(unseenMissedCalls(s())).toBe(0);
  });
});

/** the page's localStorage, in memory (unit tests run in Node) */
function memoryStorage(): Storage {
  const m = new Map<string, string>();
  return {
    get length() {
      return m.size;
    },
    clear: () => m.clear(),
    getItem: (k) => m.get(k) ?? null,
    key: (i) => [...m.keys()][i] ?? null,
    removeItem: (k) => void m.delete(k),
    setItem: (k, v) => void m.set(k, String(v)),
  };
}

describe('drafts per conversation (issue 16 item 10)', () => {
  const localStorage = memoryStorage();
  beforeEach(() => {
    Reflect.set(globalThis, 'localStorage', localStorage);
    localStorage.clear();
    resetStore();
  });
  it('each conversation keeps its draft; drafts persist and an empty one is dropped', () => {
    s().draftChanged('conv-a', 'half a thought');
    s().draftChanged('conv-b', 'other');
    s().draftChanged('conv-b', '');
    expect(s().drafts).toEqual({ 'conv-a': 'half a thought' });
    expect(loadDrafts()).toEqual({ 'conv-a': 'half a thought' });
  });
  it('damaged storage loads as no drafts, never as a crash', () => {
    localStorage.setItem(DRAFTS_KEY, '{not json');
    expect(loadDrafts()).toEqual({});
    localStorage.setItem(DRAFTS_KEY, JSON.stringify({ a: 5, b: 'ok' }));
    expect(loadDrafts()).toEqual({ b: 'ok' });
    Reflect.deleteProperty(globalThis, 'localStorage');
  });
});
