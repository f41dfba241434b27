import type { BlockedAddressDto, ContactDto } from '#shared/domain/contact.ts';
import { normalize, type Normalized } from './normalized.ts';
import type { SliceCreator } from './types.ts';

export interface ContactsSlice {
  readonly contacts: Normalized<ContactDto>;
  /** addresses the user blocked (contacts or senders of message requests), newest first */
  readonly blocked: readonly BlockedAddressDto[];
  contactsChanged(list: readonly ContactDto[]): void;
  blockedChanged(list: readonly BlockedAddressDto[]): void;
}

const byName = (a: ContactDto, b: ContactDto) =>
  (a.displayName || a.address).localeCompare(b.displayName || b.address, undefined, { sensitivity: 'base' });

export const initialContacts = { contacts: { byId: {}, ids: [] } as Normalized<ContactDto>, blocked: [] as readonly BlockedAddressDto[] };

export const createContactsSlice: SliceCreator<ContactsSlice> = (set) => ({
  ...initialContacts,
  contactsChanged: (list) => set({ contacts: normalize(list, (c) => c.id, byName) }),
  blockedChanged: (list) => set({ blocked: list }),
});
