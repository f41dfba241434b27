/**
 * Typed wrappers over `window.messenger` (the preload's MessengerApi in the app, the WebSocket bridge in
 * the test host): one function per contract channel. Only this folder touches window.messenger.
 */
import {
  API_GLOBAL,
  type InvokeChannel,
  type MessengerApi,
  type RequestOf,
  type ResponseOf,
} from '#shared/ipc/contract.ts';
import { err, type Result } from '#shared/ipc/result.ts';

export function messengerApi(): MessengerApi | null {
  const api: unknown = Reflect.get(globalThis, API_GLOBAL);
  if (typeof api !== 'object' || api === null) return null;
  if (typeof Reflect.get(api, 'invoke') !== 'function' || typeof Reflect.get(api, 'on') !== 'function') return null;
  return api as MessengerApi;
}

async function invoke<C extends InvokeChannel>(channel: C, request: RequestOf<C>): Promise<Result<ResponseOf<C>>> {
  const api = messengerApi();
  if (api === null) return err('no-bridge', 'The window is not connected to the app.');
  try {
    return await api.invoke(channel, request);
  } catch {
    return err('ipc-failed', 'The app did not answer; please try again.');
  }
}

type Req<C extends InvokeChannel> = RequestOf<C>;

export const getAppInfo = () => invoke('app:get-info', null);

export const listAccounts = () => invoke('accounts:list', null);
export const saveAccount = (r: Req<'accounts:save'>) => invoke('accounts:save', r);
export const removeAccount = (r: Req<'accounts:remove'>) => invoke('accounts:remove', r);
export const testRegistration = (r: Req<'accounts:test-registration'>) => invoke('accounts:test-registration', r);
export const listRegistrations = () => invoke('accounts:list-registrations', null);

export const listContacts = () => invoke('contacts:list', null);
export const saveContact = (r: Req<'contacts:save'>) => invoke('contacts:save', r);
export const removeContact = (r: Req<'contacts:remove'>) => invoke('contacts:remove', r);
export const listBlocked = () => invoke('contacts:list-blocked', null);
export const blockAddress = (r: Req<'contacts:block'>) => invoke('contacts:block', r);
export const unblockAddress = (r: Req<'contacts:unblock'>) => invoke('contacts:unblock', r);
export const acceptRequest = (r: Req<'chats:accept-request'>) => invoke('chats:accept-request', r);

export const listConversations = () => invoke('chats:list-conversations', null);
export const openConversation = (r: Req<'chats:open-conversation'>) => invoke('chats:open-conversation', r);
export const pageMessages = (r: Req<'chats:page-messages'>) => invoke('chats:page-messages', r);
export const sendMessage = (r: Req<'chats:send-message'>) => invoke('chats:send-message', r);
export const deleteConversation = (r: Req<'chats:delete-conversation'>) => invoke('chats:delete-conversation', r);
export const measureMessage = (r: Req<'chats:measure-message'>) => invoke('chats:measure-message', r);
export const retryMessage = (r: Req<'chats:retry-message'>) => invoke('chats:retry-message', r);
export const cancelMessage = (r: Req<'chats:cancel-message'>) => invoke('chats:cancel-message', r);
export const listConnectivity = () => invoke('accounts:list-connectivity', null);
export const sendNow = (r: Req<'chats:send-now'>) => invoke('chats:send-now', r);
export const reconnectAccount = (r: Req<'accounts:reconnect'>) => invoke('accounts:reconnect', r);
export const deleteMessage = (r: Req<'chats:delete-message'>) => invoke('chats:delete-message', r);
export const markRead = (r: Req<'chats:mark-read'>) => invoke('chats:mark-read', r);
export const searchMessages = (r: Req<'chats:search'>) => invoke('chats:search', r);
export const setComposing = (r: Req<'typing:set-composing'>) => invoke('typing:set-composing', r);
export const messagesDisplayed = (r: Req<'chats:messages-displayed'>) => invoke('chats:messages-displayed', r);

export const getPresence = () => invoke('presence:get', null);
export const setOwnPresence = (r: Req<'presence:set-own'>) => invoke('presence:set-own', r);
export const listWatchers = () => invoke('presence:watchers', null);
export const decideWatcher = (r: Req<'presence:decide-watcher'>) => invoke('presence:decide-watcher', r);
export const getPrivacy = () => invoke('settings:get-privacy', null);
export const savePrivacy = (r: Req<'settings:save-privacy'>) => invoke('settings:save-privacy', r);
export const getNotificationSettings = () => invoke('settings:get-notifications', null);
export const saveNotificationSettings = (r: Req<'settings:save-notifications'>) => invoke('settings:save-notifications', r);

export const listCalls = () => invoke('calls:list', null);
export const placeCall = (r: Req<'calls:place'>) => invoke('calls:place', r);
export const answerCall = (r: Req<'calls:answer'>) => invoke('calls:answer', r);
export const declineCall = (r: Req<'calls:decline'>) => invoke('calls:decline', r);
export const hangUpCall = (r: Req<'calls:hang-up'>) => invoke('calls:hang-up', r);
export const setCallMuted = (r: Req<'calls:set-muted'>) => invoke('calls:set-muted', r);
export const setCallHeld = (r: Req<'calls:set-held'>) => invoke('calls:set-held', r);
export const sendDtmf = (r: Req<'calls:send-dtmf'>) => invoke('calls:send-dtmf', r);
export const sendCallMessage = (r: Req<'calls:send-message'>) => invoke('calls:send-message', r);

export const listTrace = (r: Req<'diagnostics:list-trace'>) => invoke('diagnostics:list-trace', r);
export const watchTrace = (r: Req<'diagnostics:watch-trace'>) => invoke('diagnostics:watch-trace', r);
export const unwatchTrace = () => invoke('diagnostics:unwatch-trace', null);
export const sendTestMessage = (r: Req<'diagnostics:send-test-message'>) => invoke('diagnostics:send-test-message', r);
export const edgeCounters = () => invoke('diagnostics:edge-counters', null);

// S/MIME (issue 15): identity, contacts' certificates, per-conversation protection
export const getIdentity = (r: Req<'security:get-identity'>) => invoke('security:get-identity', r);
export const generateIdentity = (r: Req<'security:generate-identity'>) => invoke('security:generate-identity', r);
export const exportCertificate = (r: Req<'security:export-certificate'>) => invoke('security:export-certificate', r);
export const importIdentity = (r: Req<'security:import-identity'>) => invoke('security:import-identity', r);
export const setSmimeEnabled = (r: Req<'security:set-enabled'>) => invoke('security:set-enabled', r);
export const importContactCertificate = (r: Req<'security:import-contact-certificate'>) => invoke('security:import-contact-certificate', r);
export const getConversationProtection = (r: Req<'security:get-conversation-protection'>) => invoke('security:get-conversation-protection', r);
export const setConversationProtection = (r: Req<'security:set-conversation-protection'>) => invoke('security:set-conversation-protection', r);
export const markCertificateVerified = (r: Req<'security:mark-verified'>) => invoke('security:mark-verified', r);
export const acceptChangedCertificate = (r: Req<'security:accept-changed-certificate'>) => invoke('security:accept-changed-certificate', r);
