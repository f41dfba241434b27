/**
 * Composition of the main services, shared by the Electron app (main/index.ts) and the renderer test host
 * (test/host): both build exactly this, so the renderer talks to the same code in tests as in the app.
 */
import { join } from 'node:path';
import type { AccountId } from '../../shared/domain/ids.ts';
import { EventBus } from '../ipc/event-bus.ts';
import type { IpcHandlers } from '../ipc/router.ts';
import { ServiceError } from '../ipc/service-error.ts';
import { openStorage, type Storage } from '../storage/storage.ts';
import { AccountsService } from './accounts.ts';
import { ContactsService, normalizeContactAddress } from './contacts.ts';
import type { SecretStore } from './secret-store.ts';

export interface AppServicesOptions {
  /** folder for the database and logs */
  readonly dataDir: string;
  readonly secrets: SecretStore;
  readonly appVersion: string;
  /** the storage worker script when bundled (electron-vite `?modulePath`); source default otherwise */
  readonly storageWorkerUrl?: string | URL;
  /** ':memory:' for throwaway test hosts; default `<dataDir>/messenger.db` */
  readonly databasePath?: string;
}

export interface AppServices {
  readonly handlers: IpcHandlers;
  readonly events: EventBus;
  readonly storage: Storage;
  readonly accounts: AccountsService;
  readonly contacts: ContactsService;
  /** total unread messages, for the tray/dock badge */
  unreadCount(): number;
  /** a sip:/sips:/im: link was opened (protocol handler / second instance) */
  openAddress(address: string): Promise<void>;
  dispose(): Promise<void>;
}

const notYet = (what: string) => () => {
  throw new ServiceError('not-available', `${what} is not available in this build yet.`);
};

export async function createAppServices(options: AppServicesOptions): Promise<AppServices> {
  const events = new EventBus();
  const storage = await openStorage(options.databasePath ?? join(options.dataDir, 'messenger.db'), {
    ...(options.storageWorkerUrl ? { workerUrl: options.storageWorkerUrl } : {}),
  });
  const accounts = new AccountsService({ storage, secrets: options.secrets, emit: events.emit });
  const contacts = new ContactsService({ storage, emit: events.emit });
  let unread = 0;
  const refreshUnread = async () => {
    unread = (await storage.listConversations()).reduce((n, c) => n + c.unread, 0);
  };
  events.on('chats:conversation-changed', () => void refreshUnread());

  const defaultAccount = async (requested: AccountId | null): Promise<AccountId> => {
    if (requested) return (await accounts.get(requested)).id;
    const first = (await accounts.list()).find((a) => a.enabled) ?? (await accounts.list())[0];
    if (!first) throw new ServiceError('no-account', 'Add your PBX account first.');
    return first.id;
  };

  const openConversation = async (accountId: AccountId | null, peer: string) => {
    let uri: string;
    try {
      uri = normalizeContactAddress(peer).uri;
    } catch (e) {
      throw new ServiceError('invalid-input', e instanceof Error ? e.message : 'Not a SIP address.');
    }
    const contact = await contacts.findByAddress(uri);
    const conversation = await storage.getOrCreateConversation(await defaultAccount(accountId), uri, {
      title: contact?.displayName || uri.replace(/^(sips?|im):/, ''),
      unknownSender: false,
    });
    events.emit('chats:conversation-changed', conversation);
    return conversation;
  };

  const handlers: IpcHandlers = {
    'app:get-info': () => ({
      name: 'SIP Messenger',
      version: options.appVersion,
      platform: process.platform,
      dataDir: options.dataDir,
    }),
    'accounts:list': () => accounts.list(),
    'accounts:save': (input) => accounts.save(input),
    'accounts:remove': async ({ id }) => {
      await accounts.remove(id);
      return null;
    },
    'accounts:test-registration': notYet('Testing a registration'),
    'accounts:list-registrations': () => [],
    'contacts:list': () => contacts.list(),
    'contacts:save': (input) => contacts.save(input),
    'contacts:remove': async ({ id }) => {
      await contacts.remove(id);
      return null;
    },
    'chats:list-conversations': () => storage.listConversations(),
    'chats:open-conversation': ({ accountId, peer }) => openConversation(accountId, peer),
    'chats:page-messages': async ({ conversationId, before, limit }) => {
      if (!(await storage.getConversation(conversationId))) throw new ServiceError('not-found', 'That conversation no longer exists.');
      return storage.pageMessages(conversationId, before, limit);
    },
    'chats:send-message': notYet('Sending messages'),
    'chats:retry-message': notYet('Retrying messages'),
    'chats:delete-message': async ({ messageId }) => {
      const deleted = await storage.deleteMessage(messageId);
      if (!deleted) throw new ServiceError('not-found', 'That message no longer exists.');
      events.emit('chats:message-deleted', deleted);
      const conversation = await storage.getConversation(deleted.conversationId);
      if (conversation) events.emit('chats:conversation-changed', conversation);
      return null;
    },
    'chats:mark-read': async ({ conversationId }) => {
      await storage.markRead(conversationId);
      const conversation = await storage.getConversation(conversationId);
      if (conversation) events.emit('chats:conversation-changed', conversation);
      return null;
    },
    'chats:search': ({ query, limit }) => storage.search(query, limit),
    'calls:list': () => [],
    'calls:place': notYet('Calls'),
    'calls:answer': notYet('Calls'),
    'calls:decline': notYet('Calls'),
    'calls:hang-up': notYet('Calls'),
    'calls:set-muted': notYet('Calls'),
    'calls:set-held': notYet('Calls'),
    'calls:send-dtmf': notYet('Calls'),
    'calls:send-message': notYet('In-call messages'),
    'diagnostics:list-trace': () => [],
    'diagnostics:send-test-message': notYet('The self test'),
  };
  await refreshUnread();
  return {
    handlers,
    events,
    storage,
    accounts,
    contacts,
    unreadCount: () => unread,
    openAddress: async (address) => {
      const conversation = await openConversation(null, address);
      events.emit('app:address-opened', { conversationId: conversation.id });
    },
    dispose: () => storage.close(),
  };
}
