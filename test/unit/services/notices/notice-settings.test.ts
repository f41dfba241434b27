/**
 * Settings → Notifications (issue 16) applied by the notice gate, on the fake clock: message notices off
 * → nothing shown (also for what was gathered before the switch); text off → the notice says who wrote
 * and how many, never a word of the text; message requests stay silent whatever the settings; the
 * settings are kept in the settings table and a damaged value falls back field by field.
 */
import { describe, expect, it } from 'vitest';
import type { ConversationDto } from '#shared/domain/chat.ts';
import type { ContactDto } from '#shared/domain/contact.ts';
import { DEFAULT_NOTIFICATIONS, type NotificationSettings } from '#shared/domain/notifications.ts';
import { NoticeGate, type MessageNotice } from '../../../../main/services/notices/notice-gate.ts';
import { NotificationSettingsService, parseNotificationSettings } from '../../../../main/services/notification-settings.ts';
import { FakeClock } from '../../../support/fake-clock.ts';
import { conversation, message } from '../../renderer/fixtures.ts';

const contacts: ContactDto[] = [{ id: 'k' as never, displayName: 'Bob Builder', address: 'sip:bob@example.test', note: '', createdAt: 0 as never, blocked: false }];
const bob = conversation('bob', 1, { peer: 'sip:bob@example.test', title: 'bob@example.test' });
const carol = conversation('carol', 1, { title: 'Carol' });
const stranger = conversation('s1', 1, { title: 's1', unknownSender: true });

function setup(initial: NotificationSettings) {
  const clock = new FakeClock();
  let settings = initial;
  const gate = new NoticeGate({ clock, minIntervalMs: 5000, settings: () => settings });
  const shown: MessageNotice[] = [];
  gate.onNotice((n) => shown.push(n));
  let seq = 0;
  const receive = (c: ConversationDto, body = 'hi', over = {}) => gate.received({ ...message(`m${String(++seq)}`, 1, { body, ...over }), conversationId: c.id }, c, contacts);
  return { clock, gate, shown, receive, set: (next: Partial<NotificationSettings>) => void (settings = { ...settings, ...next }) };
}

describe('NoticeGate with the notification settings (issue 16)', () => {
  it('text off: one message says only who wrote, "new message", never the text', () => {
    const { clock, shown, receive } = setup({ ...DEFAULT_NOTIFICATIONS, messageText: false });
    receive(bob, 'the safe code is 4711');
    clock.advance(0);
    expect(shown).toEqual([{ title: 'Bob Builder', body: 'new message', conversationId: 'bob' }]);
  });

  it('text off: a coalesced notice counts the messages and carries none of their text', () => {
    const { clock, shown, receive } = setup({ ...DEFAULT_NOTIFICATIONS, messageText: false });
    receive(bob, 'first secret');
    clock.advance(0);
    receive(bob, 'second secret');
    receive(bob, 'third secret', { callId: 'c1' });
    clock.advance(5000);
    expect(shown).toHaveLength(2);
    expect(shown[1]).toEqual({ title: 'Bob Builder', body: '2 new messages in the call', conversationId: 'bob' });
    expect(JSON.stringify(shown)).not.toMatch(/secret/);
  });

  it('text on (the default) still shows the text', () => {
    const { clock, shown, receive } = setup(DEFAULT_NOTIFICATIONS);
    receive(bob, 'lunch?');
    clock.advance(0);
    expect(shown).toEqual([{ title: 'Bob Builder', body: 'lunch?', conversationId: 'bob' }]);
  });

  it('messages off: nothing is shown, however many arrive; on again, the next message notifies', () => {
    const { clock, shown, receive, set, gate } = setup({ ...DEFAULT_NOTIFICATIONS, messages: false });
    for (let i = 0; i < 20; i++) receive(i % 2 ? bob : carol, `m${String(i)}`);
    clock.advance(60_000);
    expect(shown).toEqual([]);
    expect(gate.counters().messages).toBe(20);
    set({ messages: true });
    receive(carol, 'back');
    clock.advance(0);
    expect(shown).toEqual([{ title: 'Carol', body: 'back', conversationId: 'carol' }]);
  });

  it('turned off while messages wait for the interval: the waiting notice is dropped, not shown', () => {
    const { clock, shown, receive, set } = setup(DEFAULT_NOTIFICATIONS);
    receive(bob, 'one');
    clock.advance(0);
    receive(bob, 'two');
    set({ messages: false });
    clock.advance(10_000);
    expect(shown.map((n) => n.body)).toEqual(['one']);
  });

  it('message requests are never notified, with every setting on', () => {
    const { clock, shown, receive, gate } = setup({ messages: true, messageText: true, calls: true });
    receive(stranger, 'buy now');
    clock.advance(10_000);
    expect(shown).toEqual([]);
    expect(gate.counters().requests).toBe(1);
  });
});

describe('NotificationSettingsService (issue 16)', () => {
  const memoryStore = () => {
    const map = new Map<string, string>();
    return { map, getSetting: async (k: string) => map.get(k) ?? null, setSetting: async (k: string, v: string) => void map.set(k, v) };
  };

  it('defaults to everything on; a save is stored, emitted, and read back by a new service', async () => {
    const store = memoryStore();
    const emitted: unknown[] = [];
    const emit = ((name: string, payload: unknown) => emitted.push([name, payload])) as never;
    const first = await NotificationSettingsService.open(store, emit);
    expect(first.get()).toEqual(DEFAULT_NOTIFICATIONS);
    const saved = await first.save({ messages: true, messageText: false, calls: false });
    expect(first.get()).toEqual(saved);
    expect(emitted).toEqual([['settings:notifications-changed', { messages: true, messageText: false, calls: false }]]);
    const again = await NotificationSettingsService.open(store, emit);
    expect(again.get()).toEqual({ messages: true, messageText: false, calls: false });
  });

  it('a damaged or older stored value falls back field by field', () => {
    expect(parseNotificationSettings('{not json')).toEqual(DEFAULT_NOTIFICATIONS);
    expect(parseNotificationSettings('null')).toEqual(DEFAULT_NOTIFICATIONS);
    expect(parseNotificationSettings('{"messageText":false,"calls":"no"}')).toEqual({ messages: true, messageText: false, calls: true });
  });
});
