/**
 * Message notifications coalesced per conversation and rate-limited (issue 10, "bounded cost"), on the
 * fake clock: one notice per interval, named as the user named the sender; message requests (unknown
 * senders) never notified at all; nothing while the window has focus; text is plain text.
 */
import { describe, expect, it } from 'vitest';
import type { ConversationDto } from '#shared/domain/chat.ts';
import type { ContactDto } from '#shared/domain/contact.ts';
import { NoticeGate, type MessageNotice } from '../../../../main/services/notices/notice-gate.ts';
import { composeNotice, plainNoticeText } from '../../../../main/services/notices/notice-text.ts';
import { FakeClock } from '../../../support/fake-clock.ts';
import { conversation, message } from '../../renderer/fixtures.ts';

const contacts: ContactDto[] = [{ id: 'k' as never, displayName: 'Bob Builder', address: 'sip:bob@example.test', note: '', createdAt: 0 as never, blocked: false }];
const bob = conversation('bob', 1, { peer: 'sip:bob@example.test', title: 'bob@example.test' });
const carol = conversation('carol', 1, { title: 'Carol' });
const dan = conversation('dan', 1, { title: 'Dan' });
const stranger = (n: number): ConversationDto => conversation(`s${String(n)}`, 1, { title: `s${String(n)}`, unknownSender: true });

function setup(options: { interval?: number; maxPending?: number } = {}) {
  const clock = new FakeClock();
  const gate = new NoticeGate({ clock, minIntervalMs: options.interval ?? 5000, ...(options.maxPending !== undefined ? { maxPending: options.maxPending } : {}) });
  const shown: MessageNotice[] = [];
  gate.onNotice((n) => shown.push(n));
  let seq = 0;
  const receive = (c: ConversationDto, body = 'hi', over = {}) => gate.received({ ...message(`m${String(++seq)}`, 1, { body, ...over }), conversationId: c.id }, c, contacts);
  return { clock, gate, shown, receive };
}

describe('NoticeGate (issue 10: coalesced, rate-limited notifications)', () => {
  it('the first message is shown at once, named as the contact, with its text', () => {
    const { clock, shown, receive } = setup();
    receive(bob, 'lunch?');
    clock.advance(0);
    expect(shown).toEqual([{ title: 'Bob Builder', body: 'lunch?', conversationId: 'bob' }]);
  });

  it('a burst in one conversation is one notice now and one "N new messages" notice after the interval', () => {
    const { clock, gate, shown, receive } = setup();
    receive(bob, 'one');
    clock.advance(0);
    for (let i = 0; i < 11; i++) receive(bob, `more ${String(i)}`);
    clock.advance(4999);
    expect(shown).toHaveLength(1);
    clock.advance(1);
    expect(shown).toHaveLength(2);
    expect(shown[1]).toEqual({ title: 'Bob Builder', body: '11 new messages: more 10', conversationId: 'bob' });
    expect(gate.counters()).toEqual({ messages: 12, notices: 2, whileFocused: 0, requests: 0 });
  });

  it('several people: "12 new messages from 3 people" with their names, newest first', () => {
    const { clock, shown, receive } = setup();
    receive(dan, 'x');
    clock.advance(0);
    for (let i = 0; i < 5; i++) receive(bob);
    for (let i = 0; i < 4; i++) receive(carol);
    for (let i = 0; i < 3; i++) receive(dan);
    clock.advance(5000);
    expect(shown.at(-1)).toEqual({ title: '12 new messages from 3 people', body: 'Dan, Carol and Bob Builder', conversationId: null });
  });

  it('a flood costs one notice per interval, however many messages and people', () => {
    const { clock, gate, shown, receive } = setup({ maxPending: 50 });
    for (let second = 0; second < 60; second++) {
      for (let i = 0; i < 300; i++) receive(conversation(`p${String(i)}`, 1, { title: `P${String(i)}` }));
      clock.advance(1000);
    }
    clock.advance(5000);
    // 60 s at one notice per 5 s: 12, plus the first at once
    expect(shown.length).toBeLessThanOrEqual(13);
    expect(gate.counters().messages).toBe(18_000);
    expect(shown[1]?.title).toMatch(/^\d+ new messages from \d+ people$/);
    expect(shown[1]?.body).toMatch(/ and \d+ more$/);
  });

  it('message requests (unknown senders) are never notified, however many: they wait in the requests list', () => {
    const { clock, gate, shown, receive } = setup();
    for (let i = 0; i < 2000; i++) {
      receive(stranger(i), `<b>buy</b> now ${String(i)}`);
      if (i % 100 === 0) clock.advance(1000);
    }
    clock.advance(3_600_000);
    expect(shown).toEqual([]);
    expect(clock.pending()).toHaveLength(0);
    expect(gate.counters()).toMatchObject({ messages: 2000, requests: 2000, notices: 0 });
  });

  it('a known sender is shown as usual amid requests, and the notice says nothing of them', () => {
    const { clock, shown, receive } = setup();
    receive(stranger(1), 'spam');
    receive(bob, 'hello');
    receive(stranger(2), 'spam');
    clock.advance(600_000);
    expect(shown).toEqual([{ title: 'Bob Builder', body: 'hello', conversationId: 'bob' }]);
  });

  it('nothing is shown or gathered while the window has focus', () => {
    const { clock, gate, shown, receive } = setup();
    let focused = true;
    gate.setSuppressed(() => focused);
    receive(bob);
    receive(stranger(1));
    clock.advance(10_000);
    expect(shown).toEqual([]);
    focused = false;
    receive(carol, 'now');
    clock.advance(0);
    expect(shown).toEqual([{ title: 'Carol', body: 'now', conversationId: 'carol' }]);
    expect(gate.counters().whileFocused).toBe(2);
  });

  it('outgoing messages are not notified; an in-call message says so', () => {
    const { clock, shown, receive } = setup();
    receive(bob, 'mine', { direction: 'out' });
    clock.advance(10_000);
    expect(shown).toEqual([]);
    receive(bob, 'in call', { callId: 'c1' });
    clock.advance(0);
    expect(shown[0]?.body).toBe('(in the call) in call');
  });
});

describe('notice text', () => {
  it('is plain text on Linux: markup the notification daemon would render is escaped', () => {
    expect(plainNoticeText('<b>x</b> & <a href="http://e">y</a>', 'linux')).toBe('&lt;b&gt;x&lt;/b&gt; &amp; &lt;a href="http://e"&gt;y&lt;/a&gt;');
    expect(plainNoticeText('&amp;', 'linux')).toBe('&amp;amp;');
    // macOS and Windows show the text as given
    expect(plainNoticeText('<b>x</b> &', 'darwin')).toBe('<b>x</b> &');
    expect(plainNoticeText('<b>x</b> &', 'win32')).toBe('<b>x</b> &');
  });

  it('composes one notice, or none when there is nothing to say', () => {
    expect(composeNotice([], { people: 0, messages: 0 })).toBeNull();
    const peer = { name: 'Bob', count: 1, lastBody: 'a\n\nb', inCall: false };
    expect(composeNotice([peer], { people: 1, messages: 1 })).toEqual({ title: 'Bob', body: 'a b' });
    expect(composeNotice([peer, { ...peer, name: 'Carol' }], { people: 2, messages: 2 })).toEqual({ title: '2 new messages from 2 people', body: 'Bob and Carol' });
  });
});
