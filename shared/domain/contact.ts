import type { ContactId, EpochMs } from './ids.ts';

export interface ContactDto {
  readonly id: ContactId;
  readonly displayName: string;
  /** sip:, sips: or im: address */
  readonly address: string;
  readonly note: string;
  readonly createdAt: EpochMs;
  /** the user blocked this address: its MESSAGEs are answered 403 and not stored */
  readonly blocked: boolean;
}

export interface ContactInput {
  readonly id: ContactId | null;
  readonly displayName: string;
  readonly address: string;
  readonly note: string;
}

/** An address the user blocked (a contact or the sender of a message request). */
export interface BlockedAddressDto {
  readonly address: string;
  readonly blockedAt: EpochMs;
  /** the contact with this address, when there is one */
  readonly contactId: ContactId | null;
  /** that contact's name, else null */
  readonly displayName: string | null;
}
