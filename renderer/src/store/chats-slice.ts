import type { ConversationDto, MessageDto, MessagePage } from '#shared/domain/chat.ts';
import type { ConversationId, MessageId } from '#shared/domain/ids.ts';
import { normalize, remove, upsert, type Normalized } from './normalized.ts';
import { applyPage, insertIntoTimeline, type Timeline } from './timeline.ts';
import type { SliceCreator } from './types.ts';

export interface ChatsSlice {
  /** ordered by activity, most recent first */
  readonly conversations: Normalized<ConversationDto>;
  /** every loaded message by id */
  readonly messages: Readonly<Record<string, MessageDto>>;
  /** loaded history by conversation id */
  readonly timelines: Readonly<Record<string, Timeline>>;
  conversationsLoaded(list: readonly ConversationDto[]): void;
  conversationChanged(conversation: ConversationDto): void;
  /** event: a conversation and its messages were deleted (a message request the user deleted) */
  conversationDeleted(event: { readonly conversationId: ConversationId }): void;
  messageReceived(message: MessageDto): void;
  messageChanged(message: MessageDto): void;
  messageDeleted(event: { readonly id: MessageId; readonly conversationId: ConversationId }): void;
  messagesPaged(conversationId: ConversationId, page: MessagePage, older: boolean): void;
}

export const byActivity = (a: ConversationDto, b: ConversationDto) =>
  b.lastActivity - a.lastActivity || a.title.localeCompare(b.title) || (a.id < b.id ? -1 : 1);

export const initialChats = {
  conversations: { byId: {}, ids: [] } as Normalized<ConversationDto>,
  messages: {} as Readonly<Record<string, MessageDto>>,
  timelines: {} as Readonly<Record<string, Timeline>>,
};

export const createChatsSlice: SliceCreator<ChatsSlice> = (set) => {
  /** stores the message and places it in its conversation's loaded history (when that is loaded) */
  const put = (message: MessageDto) =>
    set((s) => {
      const messages = { ...s.messages, [message.id]: message };
      const timeline = s.timelines[message.conversationId];
      if (timeline === undefined) return { messages };
      const next = insertIntoTimeline(timeline, message, (id) => messages[id]);
      return { messages, timelines: { ...s.timelines, [message.conversationId]: next } };
    });
  return {
    ...initialChats,
    conversationsLoaded: (list) => set({ conversations: normalize(list, (c) => c.id, byActivity) }),
    conversationChanged: (conversation) =>
      set((s) => ({ conversations: upsert(s.conversations, conversation, (c) => c.id, byActivity) })),
    conversationDeleted: ({ conversationId }) =>
      set((s) => {
        const timelines = { ...s.timelines };
        delete timelines[conversationId];
        const messages = Object.fromEntries(Object.entries(s.messages).filter(([, m]) => m.conversationId !== conversationId));
        const closed = s.openConversationId === conversationId;
        const wasRequest = s.conversations.byId[conversationId]?.unknownSender === true;
        return {
          conversations: remove(s.conversations, conversationId),
          timelines,
          messages,
          ...(closed ? { openConversationId: null, screen: s.screen === 'chat' ? (wasRequest ? ('requests' as const) : ('home' as const)) : s.screen } : {}),
        };
      }),
    messageReceived: put,
    messageChanged: put,
    messageDeleted: ({ id, conversationId }) =>
      set((s) => {
        const messages = { ...s.messages };
        delete messages[id];
        const timeline = s.timelines[conversationId];
        if (timeline === undefined || !timeline.ids.includes(id)) return { messages };
        const next: Timeline = { ...timeline, ids: timeline.ids.filter((x) => x !== id), total: Math.max(0, timeline.total - 1) };
        return { messages, timelines: { ...s.timelines, [conversationId]: next } };
      }),
    messagesPaged: (conversationId, page, older) =>
      set((s) => {
        const messages = { ...s.messages };
        for (const m of page.messages) messages[m.id] = m;
        const timeline = applyPage(s.timelines[conversationId], page, older);
        return { messages, timelines: { ...s.timelines, [conversationId]: timeline } };
      }),
  };
};
