/**
 * Feeds the notice gate from the chat service's events: `chats:message-received` is followed, in the same
 * turn, by `chats:conversation-changed` for its conversation (receive.ts), which says whether the sender is
 * a contact (unknownSender) and its title; the contacts are kept from `contacts:changed` to name the sender
 * as the user named them. No query per event.
 */
import type { MessageDto } from '#shared/domain/chat.ts';
import type { ContactDto } from '#shared/domain/contact.ts';
import type { EventBus } from '../../ipc/event-bus.ts';
import type { Clock } from '../../sip/transaction/clock.ts';
import { NoticeGate, type NoticeGateOptions } from './notice-gate.ts';

export function wireNotices(
  events: EventBus,
  clock: Clock,
  /** the contact list at start (then kept from `contacts:changed`) */
  initialContacts: () => Promise<readonly ContactDto[]>,
  options: Omit<NoticeGateOptions, 'clock'> = {},
): { gate: NoticeGate; dispose: () => void } {
  const gate = new NoticeGate({ clock, ...options });
  let received: MessageDto | null = null;
  let contacts: readonly ContactDto[] = [];
  let contactsChanged = false;
  void initialContacts()
    .then((list) => {
      if (!contactsChanged) contacts = list;
    })
    .catch(() => undefined);
  const offs = [
    events.on('contacts:changed', (list) => {
      contactsChanged = true;
      contacts = list;
    }),
    events.on('chats:message-received', (message) => {
      received = message;
    }),
    events.on('chats:conversation-changed', (conversation) => {
      const message = received;
      if (message === null || message.conversationId !== conversation.id) return;
      received = null;
      gate.received(message, conversation, contacts);
    }),
  ];
  return {
    gate,
    dispose: () => {
      for (const off of offs) off();
      gate.dispose();
    },
  };
}
