/**
 * Composition of the main services, shared by the Electron app (main/index.ts) and the renderer test host
 * (test/host): both build exactly this, so the renderer talks to the same code in tests as in the app.
 */
import { EventBus } from '../ipc/event-bus.ts';
import type { IpcHandlers } from '../ipc/router.ts';
import { ServiceError } from '../ipc/service-error.ts';
import type { SecretStore } from './secret-store-types.ts';

export interface AppServicesOptions {
  /** folder for the database and logs */
  readonly dataDir: string;
  readonly secrets: SecretStore;
  readonly appVersion: string;
}

export interface AppServices {
  readonly handlers: IpcHandlers;
  readonly events: EventBus;
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
  const handlers: IpcHandlers = {
    'app:get-info': () => ({
      name: 'SIP Messenger',
      version: options.appVersion,
      platform: process.platform,
      dataDir: options.dataDir,
    }),
    'accounts:list': () => [],
    'accounts:save': notYet('Saving accounts'),
    'accounts:remove': notYet('Removing accounts'),
    'accounts:test-registration': notYet('Testing a registration'),
    'accounts:list-registrations': () => [],
    'contacts:list': () => [],
    'contacts:save': notYet('Saving contacts'),
    'contacts:remove': notYet('Removing contacts'),
    'chats:list-conversations': () => [],
    'chats:open-conversation': notYet('Opening a conversation'),
    'chats:page-messages': notYet('Message history'),
    'chats:send-message': notYet('Sending messages'),
    'chats:retry-message': notYet('Retrying messages'),
    'chats:delete-message': notYet('Deleting messages'),
    'chats:mark-read': notYet('Marking as read'),
    'chats:search': () => [],
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
  return {
    handlers,
    events,
    unreadCount: () => 0,
    openAddress: async () => {},
    dispose: async () => {},
  };
}
