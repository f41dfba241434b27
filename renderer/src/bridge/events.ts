/** Subscribes to every contract event and turns each into the store action of the same name. */
import { eventNames, type EventMap, type EventName, type MessengerApi } from '#shared/ipc/contract.ts';
import type { AppState } from '../store/types.ts';

export type EventHandlers = { readonly [E in EventName]: (payload: EventMap[E]) => void };

/** The mapping event → store action (exported so tests can check it covers the contract). */
export function eventHandlers(state: () => AppState): EventHandlers {
  return {
    'accounts:changed': (list) => state().accountsChanged(list),
    'accounts:registration-changed': (dto) => state().registrationChanged(dto),
    'accounts:connectivity-changed': (dto) => state().connectivityChanged(dto),
    'contacts:changed': (list) => state().contactsChanged(list),
    'contacts:blocked-changed': (list) => state().blockedChanged(list),
    'chats:conversation-changed': (c) => state().conversationChanged(c),
    'chats:message-received': (m) => state().messageReceived(m),
    'chats:message-changed': (m) => state().messageChanged(m),
    'chats:message-deleted': (e) => state().messageDeleted(e),
    'chats:peer-typing-changed': (e) => state().peerTypingChanged(e),
    'calls:call-changed': (c) => state().callChanged(c),
    'settings:privacy-changed': (p) => state().privacyChanged(p),
    'settings:notifications-changed': (n) => state().notificationsChanged(n),
    'presence:peer-changed': (p) => state().peerPresenceChanged(p),
    'presence:own-changed': (p) => state().ownPresenceChanged(p),
    'presence:account-changed': (p) => state().accountPresenceChanged(p),
    'presence:watchers-changed': (list) => state().watchersChanged(list),
    'diagnostics:trace-appended': (t) => state().traceAppended(t),
    'app:address-opened': (e) => state().addressOpened(e),
  };
}

/** Connects the events; returns one function that disconnects them all. */
export function connectEvents(api: MessengerApi, state: () => AppState): () => void {
  const handlers = eventHandlers(state);
  const bind = <E extends EventName>(event: E) => api.on(event, handlers[event]);
  const unsubscribers = eventNames.map((name) => bind(name));
  return () => {
    for (const off of unsubscribers) off();
  };
}
