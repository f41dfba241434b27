import { beforeEach, describe, expect, it } from 'vitest';
import { mainConversationIds, requestIds } from '../../../renderer/src/features/chats/requests-model.ts';
import { appStore, resetStore } from '../../../renderer/src/store/store.ts';
import type { ConversationId } from '#shared/domain/ids.ts';
import { conversation, message } from './fixtures.ts';

describe('message requests in the store (issue 10)', () => {
  beforeEach(() => resetStore());

  it('requests are kept out of the conversation list; a blocked one is in neither', () => {
    const s = appStore.getState();
    s.conversationsLoaded([
      conversation('bob', 3),
      conversation('dana', 2, { unknownSender: true, unread: 4 }),
      conversation('mallory', 1, { unknownSender: true, blocked: true }),
      conversation('eve', 0, { blocked: true }),
    ]);
    const now = appStore.getState();
    expect(mainConversationIds(now)).toEqual(['bob', 'eve']);
    expect(requestIds(now)).toEqual(['dana']);
    now.conversationChanged(conversation('dana', 4, { unknownSender: false }));
    expect(mainConversationIds(appStore.getState())).toEqual(['dana', 'bob', 'eve']);
    expect(requestIds(appStore.getState())).toEqual([]);
  });

  it('a deleted conversation leaves the store with its messages; an open request falls back to the requests screen', () => {
    const s = appStore.getState();
    s.conversationsLoaded([conversation('bob', 2), conversation('dana', 1, { unknownSender: true })]);
    s.messageReceived(message('m1', 1, { conversationId: 'dana' as ConversationId }));
    s.messageReceived(message('m2', 1, { conversationId: 'bob' as ConversationId }));
    s.conversationOpened('dana' as ConversationId);
    s.conversationDeleted({ conversationId: 'dana' as ConversationId });
    const after = appStore.getState();
    expect(after.conversations.ids).toEqual(['bob']);
    expect(Object.keys(after.messages)).toEqual(['m2']);
    expect(after.openConversationId).toBeNull();
    expect(after.screen).toBe('requests');
    after.conversationOpened('bob' as ConversationId);
    after.conversationDeleted({ conversationId: 'bob' as ConversationId });
    expect(appStore.getState().screen).toBe('home');
  });
});
