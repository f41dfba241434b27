/** What the chat reads about its conversation: its calls (same account, same peer) and the peer's name. */
import type { CallDto } from '#shared/domain/call.ts';
import { peerName, sameAddress } from '../../lib/names.ts';
import { listOf } from '../../store/normalized.ts';
import type { AppState } from '../../store/types.ts';

export function callsOfConversation(s: Pick<AppState, 'calls' | 'conversations'>, conversationId: string): CallDto[] {
  const c = s.conversations.byId[conversationId];
  if (c === undefined) return [];
  return listOf(s.calls).filter((call) => call.accountId === c.accountId && sameAddress(call.peer, c.peer));
}

/** the contact's name, else the conversation's title (main's name for the peer), else the address */
export function conversationName(s: Pick<AppState, 'contacts' | 'conversations'>, conversationId: string): string {
  const c = s.conversations.byId[conversationId];
  if (c === undefined) return 'Conversation';
  const title = c.title.trim() === '' || sameAddress(c.title, c.peer) ? null : c.title;
  return peerName(s.contacts.byId, c.peer, title);
}
