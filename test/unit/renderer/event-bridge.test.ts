import { beforeEach, describe, expect, it } from 'vitest';
import { connectEvents } from '../../../renderer/src/bridge/events.ts';
import { appStore, resetStore } from '../../../renderer/src/store/store.ts';
import { eventNames, type EventMap, type EventName, type MessengerApi } from '#shared/ipc/contract.ts';
import { err } from '#shared/ipc/result.ts';
import { conversation, conversationId, message } from './fixtures.ts';

/** A MessengerApi whose events the test fires by hand (the transport is not under test here). */
function eventSource() {
  const listeners = new Map<string, Set<(p: unknown) => void>>();
  const api: MessengerApi = {
    invoke: async () => err('not-available', 'no'),
    on: (event, listener) => {
      const set = listeners.get(event) ?? new Set();
      const l = listener as (p: unknown) => void;
      set.add(l);
      listeners.set(event, set);
      return () => set.delete(l);
    },
  };
  const fire = <E extends EventName>(event: E, payload: EventMap[E]) => {
    for (const l of listeners.get(event) ?? []) l(payload);
  };
  return { api, fire, listeners };
}

describe('event bridge: every contract event becomes the store action of the same name', () => {
  beforeEach(() => resetStore());

  it('subscribes to every event of the contract and unsubscribes all', () => {
    const { api, listeners } = eventSource();
    const off = connectEvents(api, appStore.getState);
    expect([...listeners.keys()].sort()).toEqual([...eventNames].sort());
    off();
    expect([...listeners.values()].every((s) => s.size === 0)).toBe(true);
  });

  it('events update the store', () => {
    const { api, fire } = eventSource();
    connectEvents(api, appStore.getState);
    fire('chats:conversation-changed', conversation('conv-1', 5, { unread: 1 }));
    fire('chats:message-received', message('m1', 1));
    fire('app:address-opened', { conversationId });
    const s = appStore.getState();
    expect(s.conversations.ids).toEqual(['conv-1']);
    expect(s.messages.m1?.body).toBe('body m1');
    expect(s.openConversationId).toBe(conversationId);
  });
});
