/**
 * The contact list: address validation (sip:, sips:, im:, or bare user@host meaning sip:), lookup by
 * address (user@host, host case-insensitive, RFC 3261 §19.1.4), search, and `contacts:changed` events
 * with the full list after every change.
 */
import { randomUUID } from 'node:crypto';
import type { ContactDto, ContactInput } from '#shared/domain/contact.ts';
import type { ContactId } from '#shared/domain/ids.ts';
import type { Emit } from '../ipc/event-bus.ts';
import { ServiceError } from '../ipc/service-error.ts';
import { StorageError, type Storage } from '../storage/storage.ts';
import { parseAddress } from './contacts-address.ts';

export type ContactStore = Pick<
  Storage,
  'listContacts' | 'getContact' | 'findContactByAddress' | 'searchContacts' | 'saveContact' | 'removeContact'
>;

export interface ContactsServiceOptions {
  readonly storage: ContactStore;
  readonly emit: Emit;
  readonly now?: () => number;
}

const CONTROL = /[\u0000-\u001f\u007f]/;
const SQLITE_CONSTRAINT_UNIQUE = 2067;
export const DEFAULT_SEARCH_LIMIT = 50;

function invalid(message: string): ServiceError {
  return new ServiceError('invalid-input', message);
}

/** Normalises what a person typed into a contact address, or throws ServiceError('invalid-input'). */
export function normalizeContactAddress(raw: string): { uri: string; user: string } {
  const parsed = parseAddress(raw, { allowBare: true, schemes: ['sip', 'sips', 'im'] });
  if (!parsed.ok) throw invalid(`Address: ${parsed.problem} (examples: bob@example.com, sip:bob@example.com, im:bob@example.com)`);
  return { uri: parsed.address.uri, user: parsed.address.user };
}

function unescapeUser(user: string): string {
  try {
    return decodeURIComponent(user);
  } catch {
    return user; // %-escapes that are not UTF-8: show them as written
  }
}

export class ContactsService {
  readonly #storage: ContactStore;
  readonly #emit: Emit;
  readonly #now: () => number;

  constructor(options: ContactsServiceOptions) {
    this.#storage = options.storage;
    this.#emit = options.emit;
    this.#now = options.now ?? Date.now;
  }

  list(): Promise<readonly ContactDto[]> {
    return this.#storage.listContacts();
  }

  async save(input: ContactInput): Promise<ContactDto> {
    const address = normalizeContactAddress(input.address);
    const displayName = input.displayName.trim() === '' ? unescapeUser(address.user) : input.displayName.trim();
    if (CONTROL.test(displayName)) throw invalid('Name: line breaks and control characters are not allowed');
    const existing = input.id === null ? null : await this.#storage.getContact(input.id);
    if (input.id !== null && existing === null) throw new ServiceError('not-found', 'That contact no longer exists.');
    const same = await this.#storage.findContactByAddress(address.uri);
    if (same !== null && same.id !== existing?.id) {
      throw new ServiceError('duplicate', `${address.uri} is already in your contacts as "${same.displayName}".`);
    }
    let saved: ContactDto;
    try {
      saved = await this.#storage.saveContact({
        id: existing?.id ?? (randomUUID() as ContactId),
        displayName,
        address: address.uri,
        note: input.note,
        createdAt: existing?.createdAt ?? this.#now(),
      });
    } catch (e) {
      if (e instanceof StorageError && e.sqliteCode === SQLITE_CONSTRAINT_UNIQUE) {
        throw new ServiceError('duplicate', `${address.uri} is already in your contacts.`);
      }
      throw e;
    }
    await this.#emitChanged();
    return saved;
  }

  /** Removing a contact that is already gone is not an error. Its conversations stay. */
  async remove(id: ContactId): Promise<void> {
    if (await this.#storage.removeContact(id)) await this.#emitChanged();
  }

  /** Contacts whose name or address contains `query` (case-insensitive); all contacts for an empty query. */
  async search(query: string, limit: number = DEFAULT_SEARCH_LIMIT): Promise<readonly ContactDto[]> {
    const q = query.trim();
    if (q === '') return (await this.#storage.listContacts()).slice(0, limit);
    return this.#storage.searchContacts(q, limit);
  }

  /** The contact with the same user@host (host case-insensitive, scheme and parameters ignored), if any. */
  findByAddress(address: string): Promise<ContactDto | null> {
    return this.#storage.findContactByAddress(address);
  }

  async #emitChanged(): Promise<void> {
    this.#emit('contacts:changed', await this.#storage.listContacts());
  }
}
