import type { ConversationId, MessageId } from '#shared/domain/ids.ts';
import type { OversizeChoice } from '#shared/domain/chat.ts';
import * as api from '../../bridge/api.ts';
import { actions, appStore } from '../../store/store.ts';
import { outcome, type Outcome } from '../outcome.ts';

/** messages fetched per page from main */
export const PAGE_SIZE = 200;
const inFlight = new Set<string>();

export const loadNewestPage = (conversationId: ConversationId) =>
  outcome(api.pageMessages({ conversationId, before: null, limit: PAGE_SIZE }), (page) =>
    actions().messagesPaged(conversationId, page, false),
  );

/** loads the next older page unless one is loading or none is left */
export async function loadOlderPage(conversationId: ConversationId): Promise<Outcome<null>> {
  const timeline = appStore.getState().timelines[conversationId];
  if (!timeline || timeline.nextCursor === null || inFlight.has(conversationId)) return { ok: true, value: null };
  inFlight.add(conversationId);
  try {
    const r = await outcome(api.pageMessages({ conversationId, before: timeline.nextCursor, limit: PAGE_SIZE }), (page) =>
      actions().messagesPaged(conversationId, page, true),
    );
    return r.ok ? { ok: true, value: null } : r;
  } finally {
    inFlight.delete(conversationId);
  }
}

export const sendMessage = (conversationId: ConversationId, body: string, oversize: OversizeChoice | null, expiresInSeconds: number | null = null) =>
  outcome(api.sendMessage({ conversationId, body, expiresInSeconds, oversize }), (o) => {
    if (o.kind === 'queued') for (const m of o.messages) actions().messageChanged(m);
  });

export const retryMessage = (messageId: MessageId) =>
  outcome(api.retryMessage({ messageId }), (m) => actions().messageChanged(m));
/** a message waiting to be (re-)sent is not sent after all (issue 11: "will retry" can be cancelled) */
export const cancelMessage = (messageId: MessageId) =>
  outcome(api.cancelMessage({ messageId }), (m) => actions().messageChanged(m));

/** a waiting message goes now (online) or its account tries to register now (offline) */
export const sendNow = (messageId: MessageId) => outcome(api.sendNow({ messageId }));

export async function deleteMessage(messageId: MessageId, conversationId: ConversationId) {
  const r = await outcome(api.deleteMessage({ messageId }));
  if (r.ok) actions().messageDeleted({ id: messageId, conversationId });
  return r;
}

/** the whole request's size for a draft, as main's sender counts it (null when main cannot say) */
export async function measureMessage(conversationId: ConversationId, body: string) {
  const r = await api.measureMessage({ conversationId, body });
  return r.ok ? r.value : null;
}

/** deletes the conversation in main, then shows the list main has */
export async function deleteConversation(conversationId: ConversationId) {
  const r = await outcome(api.deleteConversation({ conversationId }));
  if (r.ok) {
    actions().draftChanged(conversationId, '');
    const list = await api.listConversations();
    if (list.ok) actions().conversationsLoaded(list.value);
  }
  return r;
}

export const markRead = (conversationId: ConversationId) => outcome(api.markRead({ conversationId }));

export const searchHistory = (query: string) => outcome(api.searchMessages({ query, limit: 200 }));

/** after "Add to contacts" saved the sender: the conversation list shows the new name and no longer "unknown" */
export async function reloadConversations() {
  const list = await api.listConversations();
  if (list.ok) actions().conversationsLoaded(list.value);
}

/** Message requests (issue 10): accept (the sender becomes a contact) or block (and delete). */
export const acceptRequest = (conversationId: ConversationId) =>
  outcome(api.acceptRequest({ conversationId }), (c) => actions().conversationChanged(c));

/** blocks the sender (later messages get 403, never stored), then deletes the request */
export async function blockRequest(conversationId: ConversationId, peer: string) {
  const r = await outcome(api.blockAddress({ address: peer }));
  return r.ok ? deleteConversation(conversationId) : r;
}
