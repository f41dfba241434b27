/**
 * Message requests (issue 10, Signal's model): a conversation started by someone not in the contacts
 * stays out of the conversation list (and its unread count out of every badge) until the user accepts it.
 */
import type { ConversationDto } from '#shared/domain/chat.ts';
import type { AppState } from '../../store/types.ts';

export const isRequest = (c: ConversationDto | undefined): boolean => c !== undefined && c.unknownSender && !c.blocked;

/** conversations shown in the main list: accepted ones (a blocked request is listed under Blocked instead) */
export function mainConversationIds(s: Pick<AppState, 'conversations'>): string[] {
  return s.conversations.ids.filter((id) => s.conversations.byId[id]?.unknownSender === false);
}

/** open message requests, most recent first */
export function requestIds(s: Pick<AppState, 'conversations'>): string[] {
  return s.conversations.ids.filter((id) => isRequest(s.conversations.byId[id]));
}
