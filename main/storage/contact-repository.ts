/** Contacts table; saving a contact links the conversations with the same address to it. */
import type { DatabaseSync, StatementSync } from 'node:sqlite';
import type { ContactDto } from '#shared/domain/contact.ts';
import type { ContactId } from '#shared/domain/ids.ts';
import { addressKey } from './address-key.ts';
import { inTransaction } from './database.ts';
import { bool, int, text, type Row } from './row.ts';

export interface ContactRecord {
  readonly id: ContactId;
  readonly displayName: string;
  /** already validated and normalised by the contacts service */
  readonly address: string;
  readonly note: string;
  readonly createdAt: number;
}

const COLUMNS = `id, display_name, address, note, created_at,
  EXISTS (SELECT 1 FROM blocked_addresses b WHERE b.address_key = contacts.address_key) AS blocked`;
const ORDER = 'ORDER BY display_name COLLATE NOCASE, id';

function contactFromRow(row: Row): ContactDto {
  return {
    id: text(row, 'id') as ContactId,
    displayName: text(row, 'display_name'),
    address: text(row, 'address'),
    note: text(row, 'note'),
    createdAt: int(row, 'created_at'),
    blocked: bool(row, 'blocked'),
  };
}

/** Escapes LIKE wildcards so a search for `50%` or `a_b` means those characters. */
function likePattern(query: string): string {
  return `%${query.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

export class ContactRepository {
  readonly #db: DatabaseSync;
  readonly #list: StatementSync;
  readonly #get: StatementSync;
  readonly #byKey: StatementSync;
  readonly #search: StatementSync;
  readonly #upsert: StatementSync;
  readonly #unlink: StatementSync;
  readonly #link: StatementSync;
  readonly #remove: StatementSync;

  constructor(db: DatabaseSync) {
    this.#db = db;
    this.#list = db.prepare(`SELECT ${COLUMNS} FROM contacts ${ORDER}`);
    this.#get = db.prepare(`SELECT ${COLUMNS} FROM contacts WHERE id = ?`);
    this.#byKey = db.prepare(`SELECT ${COLUMNS} FROM contacts WHERE address_key = ?`);
    this.#search = db.prepare(`SELECT ${COLUMNS} FROM contacts
      WHERE display_name LIKE :p ESCAPE '\\' OR address LIKE :p ESCAPE '\\' ${ORDER} LIMIT :limit`);
    this.#upsert = db.prepare(`
      INSERT INTO contacts (id, display_name, address, address_key, note, created_at)
      VALUES (:id, :displayName, :address, :key, :note, :createdAt)
      ON CONFLICT (id) DO UPDATE SET display_name = excluded.display_name, address = excluded.address,
        address_key = excluded.address_key, note = excluded.note`);
    this.#unlink = db.prepare('UPDATE conversations SET contact_id = NULL WHERE contact_id = :id AND peer_key <> :key');
    this.#link = db.prepare('UPDATE conversations SET contact_id = :id WHERE peer_key = :key');
    this.#remove = db.prepare('DELETE FROM contacts WHERE id = ?');
  }

  list(): ContactDto[] {
    return this.#list.all().map(contactFromRow);
  }

  get(id: ContactId): ContactDto | null {
    const row = this.#get.get(id);
    return row === undefined ? null : contactFromRow(row);
  }

  findByAddress(address: string): ContactDto | null {
    const row = this.#byKey.get(addressKey(address));
    return row === undefined ? null : contactFromRow(row);
  }

  /** Case-insensitive substring match on name or address (ASCII case folding, SQLite LIKE). */
  search(query: string, limit: number): ContactDto[] {
    return this.#search.all({ p: likePattern(query), limit }).map(contactFromRow);
  }

  /** Inserts or updates; throws when another contact has the same address. */
  save(c: ContactRecord): ContactDto {
    const key = addressKey(c.address);
    return inTransaction(this.#db, () => {
      this.#upsert.run({ id: c.id, displayName: c.displayName, address: c.address, key, note: c.note, createdAt: c.createdAt });
      this.#unlink.run({ id: c.id, key });
      this.#link.run({ id: c.id, key });
      const saved = this.get(c.id);
      if (saved === null) throw new Error('contact vanished after save');
      return saved;
    });
  }

  /** Deletes the contact; its conversations stay and lose the link (ON DELETE SET NULL). */
  remove(id: ContactId): boolean {
    return Number(this.#remove.run(id).changes) > 0;
  }
}
