/**
 * Conversations: one per (account, peer). The title shown is the linked contact's name when there is
 * one, else the title stored when the conversation was created; unread, message count and last activity
 * are kept by triggers on `messages` (migration 0002).
 */
import type { DatabaseSync, StatementSync } from 'node:sqlite';
import type { ConversationDto, MessageDto } from '#shared/domain/chat.ts';
import type { AccountId, ContactId, ConversationId } from '#shared/domain/ids.ts';
import { addressKey } from './address-key.ts';
import { inTransaction } from './database.ts';
import { fromRowId, toRowId } from './ids.ts';
import { MESSAGE_COLUMNS, messageFromRow } from './message-row.ts';
import { bool, int, text, textOrNull, type Row } from './row.ts';

export interface ConversationOptions {
  readonly title: string;
  readonly unknownSender: boolean;
  /** defaults to the current time */
  readonly createdAt?: number;
}

/** Select list for a conversation row, with `c` = conversations and `ct` = contacts. */
export const CONVERSATION_TITLE = `coalesce(nullif(ct.display_name, ''), c.title)`;
// a conversation started by an unknown sender stops being "unknown" once the address is a contact
const COLUMNS = `c.id, c.account_id, c.peer, ${CONVERSATION_TITLE} AS title, c.contact_id,
  (c.unknown_sender AND c.contact_id IS NULL) AS unknown_sender,
  c.unread, c.last_activity,
  EXISTS (SELECT 1 FROM blocked_addresses b WHERE b.address_key = c.peer_key) AS blocked`;
const FROM = 'conversations c LEFT JOIN contacts ct ON ct.id = c.contact_id';

export class ConversationRepository {
  readonly #db: DatabaseSync;
  readonly #get: StatementSync;
  readonly #getByPeer: StatementSync;
  readonly #insert: StatementSync;
  readonly #list: StatementSync;
  readonly #last: StatementSync;
  readonly #markRead: StatementSync;
  readonly #accept: StatementSync;
  readonly #delete: StatementSync;

  constructor(db: DatabaseSync) {
    this.#db = db;
    this.#get = db.prepare(`SELECT ${COLUMNS} FROM ${FROM} WHERE c.id = ?`);
    this.#getByPeer = db.prepare(`SELECT c.id FROM conversations c WHERE c.account_id = ? AND c.peer_key = ?`);
    this.#insert = db.prepare(`
      INSERT INTO conversations (account_id, peer, peer_key, title, contact_id, unknown_sender, last_activity)
      VALUES (:accountId, :peer, :key, :title, (SELECT id FROM contacts WHERE address_key = :key), :unknown, :at)`);
    this.#list = db.prepare(`SELECT ${COLUMNS} FROM ${FROM} ORDER BY c.last_activity DESC, c.id DESC`);
    this.#last = db.prepare(`SELECT ${MESSAGE_COLUMNS} FROM messages m WHERE m.conversation_id = ?
      ORDER BY m.created_at DESC, m.id DESC LIMIT 1`);
    this.#markRead = db.prepare(`UPDATE messages SET read = 1
      WHERE conversation_id = ? AND direction = 'in' AND read = 0`);
    // its messages go with it (ON DELETE CASCADE; the FTS delete trigger runs for each)
    this.#delete = db.prepare(`DELETE FROM conversations WHERE id = ?`);
    this.#accept = db.prepare('UPDATE conversations SET unknown_sender = 0 WHERE id = ?');
  }

  #fromRow(row: Row): ConversationDto {
    const id = int(row, 'id');
    const last = this.#last.get(id);
    const contactId = textOrNull(row, 'contact_id');
    return {
      id: fromRowId<ConversationId>(id),
      accountId: text(row, 'account_id') as AccountId,
      peer: text(row, 'peer'),
      title: text(row, 'title'),
      contactId: contactId === null ? null : (contactId as ContactId),
      unknownSender: bool(row, 'unknown_sender'),
      blocked: bool(row, 'blocked'),
      lastMessage: last === undefined ? null : messageFromRow(last),
      unread: int(row, 'unread'),
      lastActivity: int(row, 'last_activity'),
    };
  }

  get(id: ConversationId): ConversationDto | null {
    const rowId = toRowId(id);
    const row = rowId === null ? undefined : this.#get.get(rowId);
    return row === undefined ? null : this.#fromRow(row);
  }

  /** The conversation of `accountId` with `peer` (matched by user@host), created when missing. */
  getOrCreate(accountId: AccountId, peer: string, options: ConversationOptions): ConversationDto {
    return inTransaction(this.#db, () => {
      const id = this.idOf(accountId, peer, () => options);
      const row = this.#get.get(id);
      if (row === undefined) throw new Error('conversation vanished');
      return this.#fromRow(row);
    });
  }

  /**
   * The row id of the conversation of `accountId` with `peer`, created with `options()` when missing
   * (call it inside a transaction). Only the id: what a received message needs, without reading the
   * conversation's title, contact and last message back (the group commit reads each once per batch).
   */
  idOf(accountId: AccountId, peer: string, options: () => ConversationOptions): number {
    const key = addressKey(peer);
    const existing = this.#getByPeer.get(accountId, key);
    if (existing !== undefined) return int(existing, 'id');
    const o = options();
    const r = this.#insert.run({
      accountId,
      peer,
      key,
      title: o.title,
      unknown: o.unknownSender ? 1 : 0,
      at: o.createdAt ?? Date.now(),
    });
    return Number(r.lastInsertRowid);
  }

  /** Every conversation with its last message, most recent activity first. */
  list(): ConversationDto[] {
    return this.#list.all().map((row) => this.#fromRow(row));
  }

  /** Deletes the conversation and its messages; false when there was none. */
  delete(id: ConversationId): boolean {
    const rowId = toRowId(id);
    return rowId !== null && Number(this.#delete.run(rowId).changes) > 0;
  }

  /** Marks every incoming message read; returns how many changed. */
  markRead(id: ConversationId): number {
    const rowId = toRowId(id);
    return rowId === null ? 0 : Number(this.#markRead.run(rowId).changes);
  }

  /** A message request becomes an ordinary conversation (it stays one if the contact is removed later). */
  accept(id: ConversationId): ConversationDto | null {
    const rowId = toRowId(id);
    if (rowId !== null) this.#accept.run(rowId);
    return this.get(id);
  }

  lastMessage(id: ConversationId): MessageDto | null {
    const rowId = toRowId(id);
    const row = rowId === null ? undefined : this.#last.get(rowId);
    return row === undefined ? null : messageFromRow(row);
  }
}
