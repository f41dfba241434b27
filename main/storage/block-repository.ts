/**
 * Blocked addresses (issue 10, message requests): keyed by user@host (address-key.ts) so every spelling
 * of an address (sips:, display name, parameters, host case) is one entry. Whether the address is a
 * contact does not matter; the contact's name is shown when it is one.
 */
import type { DatabaseSync, StatementSync } from 'node:sqlite';
import type { BlockedAddressDto } from '#shared/domain/contact.ts';
import type { ContactId } from '#shared/domain/ids.ts';
import { addressKey } from './address-key.ts';
import { int, text, textOrNull, type Row } from './row.ts';

function blockedFromRow(row: Row): BlockedAddressDto {
  const contactId = textOrNull(row, 'contact_id');
  return {
    address: text(row, 'address'),
    blockedAt: int(row, 'blocked_at'),
    contactId: contactId === null ? null : (contactId as ContactId),
    displayName: textOrNull(row, 'display_name'),
  };
}

export class BlockRepository {
  readonly #list: StatementSync;
  readonly #keys: StatementSync;
  readonly #block: StatementSync;
  readonly #unblock: StatementSync;

  constructor(db: DatabaseSync) {
    this.#list = db.prepare(`SELECT b.address, b.blocked_at, ct.id AS contact_id, ct.display_name
      FROM blocked_addresses b LEFT JOIN contacts ct ON ct.address_key = b.address_key
      ORDER BY b.blocked_at DESC, b.address_key`);
    this.#keys = db.prepare('SELECT address_key FROM blocked_addresses');
    this.#block = db.prepare(`INSERT INTO blocked_addresses (address_key, address, blocked_at) VALUES (?, ?, ?)
      ON CONFLICT (address_key) DO NOTHING`);
    this.#unblock = db.prepare('DELETE FROM blocked_addresses WHERE address_key = ?');
  }

  list(): BlockedAddressDto[] {
    return this.#list.all().map(blockedFromRow);
  }

  /** every blocked address key, for the receive path's in-memory check */
  keys(): string[] {
    return this.#keys.all().map((row) => text(row, 'address_key'));
  }

  /** true when the address was not blocked before */
  block(address: string, at: number): boolean {
    return Number(this.#block.run(addressKey(address), address, at).changes) > 0;
  }

  /** true when the address was blocked */
  unblock(address: string): boolean {
    return Number(this.#unblock.run(addressKey(address)).changes) > 0;
  }
}
