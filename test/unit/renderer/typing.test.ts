import { beforeEach, describe, expect, it } from 'vitest';
import { actions, appStore, resetStore } from '../../../renderer/src/store/store.ts';
import { typingKey } from '../../../renderer/src/store/typing-slice.ts';
import { accountId } from './fixtures.ts';

describe('"typing…" in the chat header (RFC 3994, never stored)', () => {
  beforeEach(() => resetStore());

  it('the store follows chats:peer-typing-changed per account and peer', () => {
    actions().peerTypingChanged({ accountId, peer: 'sip:bob@example.test', typing: true });
    expect(appStore.getState().typingPeers).toEqual({ [typingKey(accountId, 'sip:bob@example.test')]: true });
    actions().peerTypingChanged({ accountId, peer: 'sip:bob@example.test', typing: false });
    expect(appStore.getState().typingPeers).toEqual({});
  });

  it('another peer or account typing is kept apart; a repeated event changes nothing', () => {
    actions().peerTypingChanged({ accountId, peer: 'sip:bob@example.test', typing: true });
    const before = appStore.getState().typingPeers;
    actions().peerTypingChanged({ accountId, peer: 'sip:bob@example.test', typing: true });
    expect(appStore.getState().typingPeers).toBe(before);
    actions().peerTypingChanged({ accountId: 'acc-2' as typeof accountId, peer: 'sip:bob@example.test', typing: false });
    expect(Object.keys(appStore.getState().typingPeers)).toEqual([typingKey(accountId, 'sip:bob@example.test')]);
  });
});
