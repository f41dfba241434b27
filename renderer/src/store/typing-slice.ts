import type { AccountId } from '#shared/domain/ids.ts';
import type { SliceCreator } from './types.ts';

/** "typing…" per peer (RFC 3994), a projection of main's `chats:peer-typing-changed`; never stored */
export interface TypingSlice {
  /** keyed by typingKey(accountId, peer); present = typing */
  readonly typingPeers: Readonly<Record<string, true>>;
  peerTypingChanged(event: { readonly accountId: AccountId; readonly peer: string; readonly typing: boolean }): void;
}

export const typingKey = (accountId: string, peer: string): string => `${accountId}\n${peer}`;

export const initialTyping = { typingPeers: {} as Readonly<Record<string, true>> };

export const createTypingSlice: SliceCreator<TypingSlice> = (set) => ({
  ...initialTyping,
  peerTypingChanged: ({ accountId, peer, typing }) =>
    set((s) => {
      const k = typingKey(accountId, peer);
      if (typing === (k in s.typingPeers)) return {};
      const typingPeers = { ...s.typingPeers };
      if (typing) typingPeers[k] = true;
      else delete typingPeers[k];
      return { typingPeers };
    }),
});
