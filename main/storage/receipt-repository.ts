/**
 * Receipts (RFC 5438 IMDN) in storage, and the small settings table.
 *
 * - `applyReceipt`: an IMDN from `peer` about our message `cpimMessageId` (§7.1.2: matched by
 *   Message-ID, and only a message that went to that peer: the conversation's peer key must equal the
 *   IMDN sender's). The receipt only moves forward (null → delivered → read); an `accepted` (202)
 *   message becomes `delivered`. Returns the changed message, or null when nothing changed (unknown id,
 *   another peer, a duplicate or an older notification).
 * - `takeDisplayReceipts`: the incoming messages among `ids` whose sender asked for a display
 *   notification (§6.2) that was not sent yet; marks them sent in the same transaction, so each is
 *   reported at most once however often the renderer says they are on screen.
 */
import type { DatabaseSync, StatementSync } from 'node:sqlite';
import type { MessageDto } from '#shared/domain/chat.ts';
import type { AccountId, ConversationId, MessageId } from '#shared/domain/ids.ts';
import { addressKey } from './address-key.ts';
import { inTransaction } from './database.ts';
import { fromRowId, toRowId } from './ids.ts';
import { MESSAGE_COLUMNS, messageFromRow } from './message-row.ts';
import { int, text } from './row.ts';

export interface DisplayReceipt {
  readonly messageId: MessageId;
  readonly cpimMessageId: string;
}

/** at most this many ids per call: bounds what one renderer request can cost */
export const MAX_DISPLAY_IDS = 500;

export class ReceiptRepository {
  readonly #db: DatabaseSync;
  readonly #apply: StatementSync;
  readonly #get: StatementSync;
  readonly #displayCandidate: StatementSync;
  readonly #markDisplayed: StatementSync;
  readonly #getSetting: StatementSync;
  readonly #setSetting: StatementSync;

  constructor(db: DatabaseSync) {
    this.#db = db;
    this.#apply = db.prepare(`UPDATE messages SET receipt = :receipt,
        state = CASE WHEN state = 'accepted' THEN 'delivered' ELSE state END
      WHERE account_id = :account AND direction = 'out' AND cpim_message_id = :cpimId
        AND conversation_id IN (SELECT id FROM conversations WHERE account_id = :account AND peer_key = :peerKey)
        AND (receipt IS NULL OR (receipt = 'delivered' AND :receipt = 'read'))
      RETURNING id`);
    this.#get = db.prepare(`SELECT ${MESSAGE_COLUMNS} FROM messages m WHERE m.id = ?`);
    this.#displayCandidate = db.prepare(`SELECT id, cpim_message_id FROM messages
      WHERE id = :id AND conversation_id = :c AND direction = 'in' AND cpim_message_id IS NOT NULL
        AND imdn_displayed_at IS NULL AND imdn_request IS NOT NULL AND instr(lower(imdn_request), 'display') > 0`);
    this.#markDisplayed = db.prepare('UPDATE messages SET imdn_displayed_at = :at WHERE id = :id');
    this.#getSetting = db.prepare('SELECT value FROM settings WHERE key = ?');
    this.#setSetting = db.prepare(
      'INSERT INTO settings (key, value) VALUES (:key, :value) ON CONFLICT (key) DO UPDATE SET value = excluded.value',
    );
  }

  applyReceipt(accountId: AccountId, peer: string, cpimMessageId: string, receipt: 'delivered' | 'read'): MessageDto | null {
    return inTransaction(this.#db, () => {
      const rows = this.#apply.all({ receipt, account: accountId, cpimId: cpimMessageId, peerKey: addressKey(peer) });
      const first = rows[0];
      if (first === undefined) return null;
      const row = this.#get.get(int(first, 'id'));
      return row === undefined ? null : messageFromRow(row);
    });
  }

  takeDisplayReceipts(conversationId: ConversationId, ids: readonly MessageId[], at: number): DisplayReceipt[] {
    const c = toRowId(conversationId);
    if (c === null) return [];
    return inTransaction(this.#db, () => {
      const out: DisplayReceipt[] = [];
      for (const id of new Set(ids.slice(0, MAX_DISPLAY_IDS))) {
        const rowId = toRowId(id);
        if (rowId === null) continue;
        const row = this.#displayCandidate.get({ id: rowId, c });
        if (row === undefined) continue;
        this.#markDisplayed.run({ id: rowId, at });
        out.push({ messageId: fromRowId<MessageId>(rowId), cpimMessageId: text(row, 'cpim_message_id') });
      }
      return out;
    });
  }

  getSetting(key: string): string | null {
    const row = this.#getSetting.get(key);
    return row === undefined ? null : text(row, 'value');
  }

  setSetting(key: string, value: string): void {
    this.#setSetting.run({ key, value });
  }
}
