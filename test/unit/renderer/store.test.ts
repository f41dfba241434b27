import { beforeEach, describe, expect, it, vi } from 'vitest';
import { appStore, resetStore } from '../../../renderer/src/store/store.ts';
import { TRACE_CAP, TRACE_CHARS_CAP } from '../../../renderer/src/store/diagnostics-slice.ts';
import type { TraceEntryDto } from '#shared/domain/trace.ts';
import { account, conversation, conversationId, message } from './fixtures.ts';

const s = () => appStore.getState();

describe('renderer store (zustand slices, actions named as events)', () => {
  beforeEach(() => resetStore());

  it('resetStore returns to the first state and keeps the actions', () => {
    s().conversationChanged(conversation('a', 1));
    s().navigated('diagnostics');
    resetStore();
    expect(s().conversations.ids).toEqual([]);
    expect(s().screen).toBe('home');
    expect(typeof s().messageReceived).toBe('function');
  });

  it('conversations are ordered by last activity, most recent first, and move up on change', () => {
    s().conversationsLoaded([conversation('a', 10), conversation('b', 30), conversation('c', 20)]);
    expect(s().conversations.ids).toEqual(['b', 'c', 'a']);
    s().conversationChanged(conversation('a', 40, { unread: 2 }));
    expect(s().conversations.ids).toEqual(['a', 'b', 'c']);
    expect(s().conversations.byId.a?.unread).toBe(2);
    s().conversationChanged(conversation('d', 25));
    expect(s().conversations.ids).toEqual(['a', 'b', 'd', 'c']);
  });

  it('the newest page fills the timeline oldest → newest; older pages go in front without duplicates', () => {
    s().messagesPaged(conversationId, { messages: [message('m4', 4), message('m3', 3)], nextCursor: 'c1', total: 4 }, false);
    expect(s().timelines[conversationId]?.ids).toEqual(['m3', 'm4']);
    s().messagesPaged(conversationId, { messages: [message('m3', 3), message('m2', 2), message('m1', 1)], nextCursor: null, total: 4 }, true);
    expect(s().timelines[conversationId]).toEqual({ ids: ['m1', 'm2', 'm3', 'm4'], nextCursor: null, total: 4 });
  });

  it('messageReceived inserts in time order into a loaded timeline and counts it', () => {
    s().messagesPaged(conversationId, { messages: [message('m1', 1), message('m3', 3)], nextCursor: null, total: 2 }, false);
    s().messageReceived(message('m2', 2));
    s().messageReceived(message('m4', 4));
    expect(s().timelines[conversationId]?.ids).toEqual(['m1', 'm2', 'm3', 'm4']);
    expect(s().timelines[conversationId]?.total).toBe(4);
  });

  it('messageReceived for a conversation that is not loaded only stores the message', () => {
    s().messageReceived(message('m1', 1));
    expect(s().messages.m1?.body).toBe('body m1');
    expect(s().timelines[conversationId]).toBeUndefined();
  });

  it('messageChanged replaces the state in place and does not add the message twice', () => {
    s().messagesPaged(conversationId, { messages: [message('m1', 1, { direction: 'out', state: 'sending' })], nextCursor: null, total: 1 }, false);
    s().messageChanged(message('m1', 1, { direction: 'out', state: 'failed', code: 408, reason: 'no answer' }));
    expect(s().timelines[conversationId]?.ids).toEqual(['m1']);
    expect(s().messages.m1?.state).toBe('failed');
  });

  it('messageDeleted removes the message from the store and the timeline', () => {
    s().messagesPaged(conversationId, { messages: [message('m1', 1), message('m2', 2)], nextCursor: null, total: 2 }, false);
    s().messageDeleted({ id: message('m1', 1).id, conversationId });
    expect(s().timelines[conversationId]).toEqual({ ids: ['m2'], nextCursor: null, total: 1 });
    expect(s().messages.m1).toBeUndefined();
  });

  it('accountsChanged keeps the registration state of remaining accounts only', () => {
    s().accountsChanged([account('x', 'sip:x@example.test'), account('y', 'sip:a@example.test')]);
    expect(s().accounts.ids).toEqual(['y', 'x']);
    s().registrationChanged({ accountId: account('x', '').id, registration: { state: 'registered', until: 99 } });
    s().registrationChanged({ accountId: account('y', '').id, registration: { state: 'registering' } });
    s().accountsChanged([account('x', 'sip:x@example.test')]);
    expect(s().registrations).toEqual({ x: { state: 'registered', until: 99 } });
  });

  it('the trace is newest first, ignores repeats and is capped', () => {
    const entry = (seq: number): TraceEntryDto => ({
      seq, accountId: null, at: seq, direction: 'sent', transport: 'udp', remote: '127.0.0.1:5060', callId: `c${seq}`, summary: 'MESSAGE', text: 'MESSAGE sip:x SIP/2.0',
    });
    s().traceLoaded([entry(1), entry(3), entry(2)]);
    s().traceAppended(entry(4));
    s().traceAppended(entry(4));
    expect(s().trace.map((t) => t.seq)).toEqual([4, 3, 2, 1]);
    s().traceLoaded(Array.from({ length: TRACE_CAP + 10 }, (_, i) => entry(i)));
    expect(s().trace.length).toBe(TRACE_CAP);
    expect(s().trace[0]?.seq).toBe(TRACE_CAP + 9);
    // issue 10: bounded in characters too, newest kept
    const long = (seq: number): TraceEntryDto => ({ ...entry(seq), text: 'x'.repeat(8192) });
    s().traceLoaded(Array.from({ length: TRACE_CAP }, (_, i) => long(i)));
    const chars = s().trace.reduce((n, t) => n + t.text.length, 0);
    expect(chars).toBeLessThanOrEqual(TRACE_CHARS_CAP);
    expect(s().trace.length).toBe(Math.floor(TRACE_CHARS_CAP / 8192));
    expect(s().trace[0]?.seq).toBe(TRACE_CAP - 1);
  });

  it('issue 18: live entries are inserted in place (no sort of the list), in any order, within both caps', () => {
    const entry = (seq: number, text = 'MESSAGE sip:x SIP/2.0'): TraceEntryDto => ({
      seq, accountId: null, at: seq, direction: 'sent', transport: 'udp', remote: '127.0.0.1:5060', callId: `c${seq}`, summary: 'MESSAGE', text,
    });
    s().traceLoaded(Array.from({ length: TRACE_CAP }, (_, i) => entry(2 * i)));
    const sort = vi.spyOn(Array.prototype, 'sort');
    try {
      for (const seq of [2 * TRACE_CAP + 1, 2 * TRACE_CAP + 5, 2 * TRACE_CAP + 3, 7, 2 * TRACE_CAP + 5, 1]) s().traceAppended(entry(seq));
      expect(sort).not.toHaveBeenCalled();
    } finally {
      sort.mockRestore();
    }
    const seqs = s().trace.map((t) => t.seq);
    expect(seqs.length).toBe(TRACE_CAP);
    expect(seqs.slice(0, 3)).toEqual([2 * TRACE_CAP + 5, 2 * TRACE_CAP + 3, 2 * TRACE_CAP + 1]);
    expect(seqs).toContain(7); // newer than the oldest kept: inserted in its place
    expect(seqs).not.toContain(1); // older than everything in a full list: dropped
    expect(seqs).toEqual([...seqs].sort((a, b) => b - a));
    // the characters are counted as entries come and go: the newest kept within TRACE_CHARS_CAP
    const big = 'x'.repeat(8192);
    for (let n = 1; n <= 600; n++) s().traceAppended(entry(10 * TRACE_CAP + n, big));
    const chars = s().trace.reduce((n, t) => n + t.text.length, 0);
    expect(s().traceChars).toBe(chars);
    expect(chars).toBeLessThanOrEqual(TRACE_CHARS_CAP);
    expect(s().trace.length).toBe(Math.floor(TRACE_CHARS_CAP / 8192));
    expect(s().trace[0]?.seq).toBe(10 * TRACE_CAP + 600);
  });

  it('addressOpened shows that conversation; callFocused shows the call screen', () => {
    s().addressOpened({ conversationId });
    expect([s().screen, s().openConversationId]).toEqual(['chat', conversationId]);
    s().callFocused(null);
    expect(s().screen).toBe('chat');
  });

  it('callChanged upserts calls newest first', () => {
    const call = (id: string, startedAt: number, state: 'dialing' | 'ended') => ({
      id, accountId: account('x', '').id, direction: 'out', peer: 'sip:b@example.test', peerName: '', state, muted: false, onHold: false,
      remoteHold: false, waiting: false, active: false, encrypted: false, codec: null, wideband: false, dtmfReceived: '', startedAt, connectedAt: null, endedAt: null, endReason: null,
    }) as Parameters<ReturnType<typeof s>['callChanged']>[0];
    s().callChanged(call('c1', 1, 'dialing'));
    s().callChanged(call('c2', 2, 'dialing'));
    s().callChanged(call('c1', 1, 'ended'));
    expect(s().calls.ids).toEqual(['c2', 'c1']);
    expect(s().calls.byId.c1?.state).toBe('ended');
  });
});
