/**
 * The chats:* IPC handlers built on the ChatService and storage, for the composition root
 * (main/services/app-services.ts) to spread into its handler table.
 */
import type { ConversationId, MessageId } from '#shared/domain/ids.ts';
import type { InvokeChannel } from '#shared/ipc/contract.ts';
import type { IpcHandlers } from '../../ipc/router.ts';
import { ServiceError } from '../../ipc/service-error.ts';
import type { Storage } from '../../storage/storage.ts';
import type { Emit } from '../../ipc/event-bus.ts';
import type { ChatService } from './chat-service.ts';
import type { MessageRequestsService } from '../message-requests.ts';

export type ChatChannel = Extract<InvokeChannel, `chats:${string}`>;
export type ChatHandlers = Pick<IpcHandlers, ChatChannel>;

export interface ChatHandlerDeps {
  readonly chats: ChatService;
  readonly storage: Pick<Storage, 'listConversations' | 'getConversation' | 'pageMessages' | 'markRead' | 'search'>;
  readonly emit: Emit;
  /** read receipts (RFC 5438 display notifications); absent = none are sent */
  readonly receipts?: { displayed(conversationId: ConversationId, ids: readonly MessageId[]): Promise<number> };
  /** message requests: accept */
  readonly requests: Pick<MessageRequestsService, 'accept'>;
}

export function createChatHandlers({ chats, storage, emit, receipts, requests }: ChatHandlerDeps): ChatHandlers {
  return {
    'chats:list-conversations': () => storage.listConversations(),
    'chats:accept-request': ({ conversationId }) => requests.accept(conversationId),

    'chats:open-conversation': ({ accountId, peer }) => chats.openConversation(accountId, peer),
    'chats:page-messages': async ({ conversationId, before, limit }) => {
      if (!(await storage.getConversation(conversationId))) {
        throw new ServiceError('not-found', 'That conversation no longer exists.');
      }
      return storage.pageMessages(conversationId, before, limit);
    },
    'chats:send-message': (request) => chats.send(request),
    'chats:measure-message': ({ conversationId, body }) => chats.measure(conversationId, body),
    'chats:retry-message': ({ messageId }) => chats.retry(messageId),
    'chats:cancel-message': ({ messageId }) => chats.cancel(messageId),
    'chats:send-now': ({ messageId }) => chats.sendNow(messageId),
    'chats:delete-message': async ({ messageId }) => {
      await chats.delete(messageId);
      return null;
    },
    'chats:delete-conversation': async ({ conversationId }) => {
      await chats.deleteConversation(conversationId);
      return null;
    },
    'chats:mark-read': async ({ conversationId }) => {
      await storage.markRead(conversationId);
      const conversation = await storage.getConversation(conversationId);
      if (conversation) emit('chats:conversation-changed', conversation);
      return null;
    },
    'chats:messages-displayed': async ({ conversationId, messageIds }) => (receipts ? receipts.displayed(conversationId, messageIds) : 0),
    'chats:search': ({ query, limit }) => storage.search(query, limit),
  };
}
