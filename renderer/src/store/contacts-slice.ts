import type { ContactDto } from '#shared/domain/contact.ts';
import { normalize, type Normalized } from './normalized.ts';
import type { SliceCreator } from './types.ts';

export interface ContactsSlice {
  readonly contacts: Normalized<ContactDto>;
  contactsChanged(list: readonly ContactDto[]): void;
}

const byName = (a: ContactDto, b: ContactDto) =>
  (a.displayName || a.address).localeCompare(b.displayName || b.address, undefined, { sensitivity: 'base' });

export const initialContacts = { contacts: { byId: {}, ids: [] } as Normalized<ContactDto> };

export const createContactsSlice: SliceCreator<ContactsSlice> = (set) => ({
  ...initialContacts,
  contactsChanged: (list) => set({ contacts: normalize(list, (c) => c.id, byName) }),
});
