/**
 * Message requests and blocking (issue 10; Signal's message requests). A conversation started by an
 * address that is not a contact is a request: stored and shown under "Message requests", never notified
 * and not counted as unread, until the user
 * - accepts it: the sender becomes a contact (named as the conversation was) and the chat an ordinary one;
 * - blocks the address: from then on its MESSAGEs are answered 403 (RFC 3261 §21.4.4) and never stored;
 * - deletes it (chats:delete-conversation): the conversation and its messages go; a later message opens a
 *   new request.
 * Contacts can be blocked and unblocked too. The receive path asks `isBlocked` for every MESSAGE: an
 * in-memory set of address keys (user@host, address-key.ts), O(1), no storage round trip per datagram.
 */
import type { BlockedAddressDto } from '#shared/domain/contact.ts';
import type { ConversationDto } from '#shared/domain/chat.ts';
import type { ConversationId } from '#shared/domain/ids.ts';
import type { Emit } from '../ipc/event-bus.ts';
import { ServiceError } from '../ipc/service-error.ts';
import { addressKey } from '../storage/address-key.ts';
import type { Storage } from '../storage/storage.ts';
import { normalizeContactAddress, type ContactsService } from './contacts.ts';

export type RequestStore = Pick<
  Storage,
  | 'listBlocked'
  | 'blockedKeys'
  | 'blockAddress'
  | 'unblockAddress'
  | 'getConversation'
  | 'listConversations'
  | 'acceptConversation'
  | 'listContacts'
>;

export interface MessageRequestsOptions {
  readonly storage: RequestStore;
  readonly contacts: Pick<ContactsService, 'save'>;
  readonly emit: Emit;
  readonly now?: () => number;
}

export class MessageRequestsService {
  readonly #o: MessageRequestsOptions;
  readonly #blocked: Set<string>;

  private constructor(o: MessageRequestsOptions, keys: readonly string[]) {
    this.#o = o;
    this.#blocked = new Set(keys);
  }

  static async open(o: MessageRequestsOptions): Promise<MessageRequestsService> {
    return new MessageRequestsService(o, await o.storage.blockedKeys());
  }

  /** the sender of a MESSAGE (its From URI, any spelling) is blocked */
  isBlocked(address: string): boolean {
    return this.#blocked.size > 0 && this.#blocked.has(addressKey(address));
  }

  listBlocked(): Promise<readonly BlockedAddressDto[]> {
    return this.#o.storage.listBlocked();
  }

  async block(address: string): Promise<void> {
    const uri = this.#uri(address);
    await this.#o.storage.blockAddress(uri, (this.#o.now ?? Date.now)());
    this.#blocked.add(addressKey(uri));
    await this.#changed(uri);
  }

  async unblock(address: string): Promise<void> {
    const uri = this.#uri(address);
    await this.#o.storage.unblockAddress(uri);
    this.#blocked.delete(addressKey(uri));
    await this.#changed(uri);
  }

  /** Accepts a message request: the sender becomes a contact (unless it is one or cannot be one). */
  async accept(conversationId: ConversationId): Promise<ConversationDto> {
    const conversation = await this.#o.storage.getConversation(conversationId);
    if (conversation === null) throw new ServiceError('not-found', 'That conversation no longer exists.');
    if (conversation.contactId === null) {
      try {
        await this.#o.contacts.save({ id: null, displayName: conversation.title, address: conversation.peer, note: '' });
      } catch (e) {
        // already a contact under another spelling, or an address our contact list cannot hold: accept anyway
        if (!(e instanceof ServiceError) || (e.code !== 'duplicate' && e.code !== 'invalid-input')) throw e;
      }
    }
    const accepted = await this.#o.storage.acceptConversation(conversationId);
    if (accepted === null) throw new ServiceError('not-found', 'That conversation no longer exists.');
    this.#o.emit('chats:conversation-changed', accepted);
    return accepted;
  }

  #uri(address: string): string {
    try {
      return normalizeContactAddress(address).uri;
    } catch {
      // a sender address our strict parser refuses is kept as the conversation shows it (receive.ts)
      const trimmed = address.trim();
      if (addressKey(trimmed) === '') throw new ServiceError('invalid-input', 'That is not an address.');
      return trimmed;
    }
  }

  async #changed(uri: string): Promise<void> {
    const key = addressKey(uri);
    this.#o.emit('contacts:blocked-changed', await this.#o.storage.listBlocked());
    this.#o.emit('contacts:changed', await this.#o.storage.listContacts());
    for (const c of await this.#o.storage.listConversations()) {
      if (addressKey(c.peer) === key) this.#o.emit('chats:conversation-changed', c);
    }
  }
}
