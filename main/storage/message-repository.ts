/** Messages: insert (with duplicate detection for incoming), state changes, keyset paging, outbox. */
import type { DatabaseSync, StatementSync } from 'node:sqlite';
import type { MessageDto, MessagePage, MessageState } from '#shared/domain/chat.ts';
import type { MessageProtectionDto } from '#shared/domain/security.ts';
import type { AccountId, CallId, ConversationId, MessageId } from '#shared/domain/ids.ts';
import { decodeCursor, encodeCursor } from './cursor.ts';
import { inTransaction } from './database.ts';
import { toRowId } from './ids.ts';
import { MESSAGE_COLUMNS, MESSAGE_WIRE_COLUMNS, messageFromRow, storedMessageFromRow, type StoredMessage } from './message-row.ts';
import { incomingMessageDto } from './incoming-wire.ts';
import { INSERT_INCOMING_SQL, INSERT_MESSAGE_SQL, incomingInsertArgs, insertArgs, type InsertRow } from './message-insert.ts';
import { int, text } from './row.ts';

interface MessageInputBase {
  readonly conversationId: ConversationId;
  readonly body: string;
  readonly contentType: string;
  readonly createdAt: number;
  readonly expiresAt: number | null;
  /** in-dialog MESSAGE: the call it belongs to, and the dialog id (Call-ID + tags, RFC 3261 §12) */
  readonly callId: CallId | null;
  readonly dialogId: string | null;
  readonly sipCallId: string | null;
  readonly cseq: number | null;
  /** RFC 3862 Message-ID when the body was wrapped in CPIM */
  readonly cpimMessageId: string | null;
  /** S/MIME state of the bubble (RFC 3428 §11.3), when the message was protected */
  readonly protection?: MessageProtectionDto | null;
}

export interface OutgoingMessageInput extends MessageInputBase {
  readonly state: 'queued' | 'sending' | 'needs-choice';
}

export interface IncomingMessageInput extends MessageInputBase {
  /** the From tag of the request (RFC 3261 §8.2.2.2), part of its identity with Call-ID and CSeq */
  readonly sipFromTag?: string | null;
  readonly state: 'received' | 'expired';
  /** the sender's imdn.Disposition-Notification (RFC 5438 §6.2), kept to send `displayed` later */
  readonly imdnRequest?: string | null;
  /** the Date header (RFC 3261 §20.17), when present */
  readonly dateHeader: number | null;
  /** true when the user is looking at the conversation as it arrives */
  readonly read: boolean;
}

/** how many CSeq numbers a re-send may climb through 401/407 (and stale-nonce) retries */
const AUTH_RETRY_SPAN = 3;

/** A conversation by row id, with its account (what a row of `messages` needs). */
export interface ConversationTarget {
  readonly rowId: number;
  readonly accountId: AccountId;
}

export type IncomingInsertResult = { readonly inserted: MessageDto } | { readonly duplicate: true };

/** Optional wire facts recorded with a state change (the request that was actually sent). */
export interface MessageStateExtra {
  readonly sipCallId?: string;
  readonly cseq?: number;
  readonly sentOutOfDialog?: boolean;
  /** outgoing pager MESSAGE: the From tag and CPIM Message-ID it is sent with (kept for a re-send) */
  readonly sipFromTag?: string;
  readonly cpimMessageId?: string;
  /** the S/MIME protection the request was sent with (RFC 3428 §11.3) */
  readonly protection?: MessageProtectionDto;
}

export const MAX_PAGE = 1000;

/**
 * How long an answered request (Call-ID + CSeq + From tag) is remembered: longer than any sender of ours
 * keeps re-sending (its Expires or 24 h) with room for a machine that was off for days.
 */
export const INCOMING_REPLAY_WINDOW_MS = 7 * 24 * 60 * 60 * 1000;
/** the window is pruned on the first insert after opening and then every this many inserts */
const PRUNE_EVERY = 256;

/** The queries whose plans matter, exported so tests can check them with EXPLAIN QUERY PLAN. */
export const MESSAGE_SQL = {
  firstPage: `SELECT ${MESSAGE_COLUMNS} FROM messages m WHERE m.conversation_id = :c
    ORDER BY m.created_at DESC, m.id DESC LIMIT :n`,
  // row-value comparison: SQLite turns it into one range on messages_by_conversation
  olderPage: `SELECT ${MESSAGE_COLUMNS} FROM messages m WHERE m.conversation_id = :c
    AND (m.created_at, m.id) < (:t, :i) ORDER BY m.created_at DESC, m.id DESC LIMIT :n`,
  outbox: `SELECT ${MESSAGE_COLUMNS}, ${MESSAGE_WIRE_COLUMNS}, c.peer
    FROM messages m JOIN conversations c ON c.id = m.conversation_id
    WHERE m.account_id = ? AND m.direction = 'out' AND m.state IN ('queued', 'sending')
    ORDER BY m.created_at, m.id`,
} as const;

export class MessageRepository {
  readonly #db: DatabaseSync;
  readonly #account: StatementSync;
  readonly #insert: StatementSync;
  readonly #get: StatementSync;
  readonly #getStored: StatementSync;
  readonly #update: StatementSync;
  readonly #delete: StatementSync;
  readonly #firstPage: StatementSync;
  readonly #olderPage: StatementSync;
  readonly #count: StatementSync;
  readonly #outbox: StatementSync;
  readonly #insertIncoming: StatementSync;
  readonly #remember: StatementSync;
  readonly #prune: StatementSync;
  readonly #index: StatementSync;
  readonly #window: number;
  #insertsSincePrune = PRUNE_EVERY;

  constructor(db: DatabaseSync, replayWindowMs = INCOMING_REPLAY_WINDOW_MS) {
    this.#window = replayWindowMs;
    // the statements run for every received message take positional parameters (see message-insert.ts)
    // the replay window: identities of deleted incoming rows (migration 0013's trigger) and of duplicates
    this.#remember = db.prepare(`INSERT INTO incoming_seen (account_id, sip_call_id, cseq, from_tag, seen_at)
      VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`);
    this.#prune = db.prepare('DELETE FROM incoming_seen WHERE seen_at < ?');
    // the full-text index of a new row (migration 0012: no longer an AFTER INSERT trigger)
    this.#index = db.prepare('INSERT INTO messages_fts (rowid, body) VALUES (?, ?)');
    // a received message with its duplicate checks: the replay window and a re-sent auth retry (message-insert.ts)
    this.#insertIncoming = db.prepare(INSERT_INCOMING_SQL);
    this.#db = db;
    this.#account = db.prepare('SELECT account_id FROM conversations WHERE id = ?');
    this.#insert = db.prepare(INSERT_MESSAGE_SQL);
    this.#get = db.prepare(`SELECT ${MESSAGE_COLUMNS} FROM messages m WHERE m.id = ?`);
    this.#getStored = db.prepare(`SELECT ${MESSAGE_COLUMNS}, ${MESSAGE_WIRE_COLUMNS}, c.peer
      FROM messages m JOIN conversations c ON c.id = m.conversation_id WHERE m.id = ?`);
    this.#update = db.prepare(`UPDATE messages SET state = :state, code = :code, reason = :reason,
        sent_at = coalesce(:sentAt, sent_at), sip_call_id = coalesce(:sipCallId, sip_call_id),
        cseq = coalesce(:cseq, cseq), sent_out_of_dialog = coalesce(:ood, sent_out_of_dialog),
        sip_from_tag = coalesce(:fromTag, sip_from_tag), cpim_message_id = coalesce(:cpimId, cpim_message_id),
        protection = coalesce(:protection, protection)
      WHERE id = :id`);
    this.#delete = db.prepare('DELETE FROM messages WHERE id = ? RETURNING conversation_id');
    this.#firstPage = db.prepare(MESSAGE_SQL.firstPage);
    this.#olderPage = db.prepare(MESSAGE_SQL.olderPage);
    this.#count = db.prepare('SELECT message_count FROM conversations WHERE id = ?');
    this.#outbox = db.prepare(MESSAGE_SQL.outbox);
  }

  #accountOf(conversationId: ConversationId): { rowId: number; accountId: AccountId } {
    const rowId = toRowId(conversationId);
    const row = rowId === null ? undefined : this.#account.get(rowId);
    if (rowId === null || row === undefined) throw new Error(`no conversation ${conversationId}`);
    return { rowId, accountId: text(row, 'account_id') as AccountId };
  }

  #insertRow(m: MessageInputBase, direction: 'in' | 'out', state: MessageState, dateHeader: number | null, read: boolean, to = this.#accountOf(m.conversationId)): number | null {
    const r = this.#runInsert(this.#rowOf(m, direction, state, dateHeader, read, to));
    if (Number(r.changes) === 0) return null;
    const id = Number(r.lastInsertRowid);
    this.#index.run(id, m.body);
    return id;
  }

  /**
   * Adds rows inserted by insertIncomingTo(…, deferred) to the full-text index: call it in the same
   * transaction, after the last insert (FTS5 then flushes its pending terms once, at COMMIT).
   */
  indexForSearch(deferred: readonly (readonly [id: number, body: string])[]): void {
    for (const [id, body] of deferred) this.#index.run(id, body);
  }

  /** the INSERT of a row built by #rowOf */
  #runInsert(row: InsertRow) {
    return this.#insert.run(...insertArgs(row));
  }

  #rowOf(m: Omit<MessageInputBase, 'conversationId' | 'callId'> & { readonly callId?: CallId | null }, direction: 'in' | 'out', state: MessageState, dateHeader: number | null, read: boolean, to: ConversationTarget): InsertRow {
    return {
      conversationId: to.rowId,
      accountId: to.accountId,
      direction,
      state,
      body: m.body,
      contentType: m.contentType,
      sipCallId: m.sipCallId,
      cseq: m.cseq,
      cpimMessageId: m.cpimMessageId,
      dialogId: m.dialogId,
      callId: m.callId ?? null,
      createdAt: m.createdAt,
      dateHeader,
      expiresAt: m.expiresAt,
      bytes: Buffer.byteLength(m.body, 'utf8'),
      read: read ? 1 : 0,
      protection: m.protection ? JSON.stringify(m.protection) : null,
      imdnRequest: direction === 'in' ? ((m as Partial<IncomingMessageInput>).imdnRequest ?? null) : null,
      sipFromTag: direction === 'in' ? ((m as Partial<IncomingMessageInput>).sipFromTag ?? '') : null,
    };
  }

  #mustGet(rowId: number): MessageDto {
    const row = this.#get.get(rowId);
    if (row === undefined) throw new Error(`message ${String(rowId)} vanished`);
    return messageFromRow(row);
  }

  insertOutgoing(m: OutgoingMessageInput): MessageDto {
    return inTransaction(this.#db, () => {
      const id = this.#insertRow(m, 'out', m.state, null, true);
      if (id === null) throw new Error('outgoing message was not stored');
      return this.#mustGet(id);
    });
  }

  /**
   * Stores an incoming MESSAGE once: a second copy with the same (account, Call-ID, CSeq) — a
   * retransmission or a forked copy (RFC 3261 §17.2.3, §8.2.2.2) — or the same (account, CPIM
   * Message-ID) — a store-and-forward re-delivery (RFC 3862 §5.1) — is not stored and reports duplicate.
   * The request identity (Call-ID, CSeq, From tag) is also remembered for INCOMING_REPLAY_WINDOW_MS after
   * receipt, so a replay is recognised even when the message row was deleted: while the row exists it
   * is the memory; deleting it writes the identity to `incoming_seen` (migration 0013), as does
   * answering a request as a duplicate.
   */
  insertIncoming(m: IncomingMessageInput): IncomingInsertResult {
    return inTransaction(this.#db, () => this.insertIncomingTo(this.#accountOf(m.conversationId), m));
  }

  /**
   * insertIncoming for a conversation the caller has just found or made (`to`, inside its transaction;
   * m.conversationId is ignored): the group commit of incoming-batch.ts. The stored message is returned as
   * the row it wrote, mapped exactly as a read of it would be, without reading it back.
   */
  insertIncomingTo(
    to: ConversationTarget,
    m: Omit<IncomingMessageInput, 'conversationId'>,
    /** when given, the new row's search indexing is left to indexForSearch(deferred) later in the transaction */
    deferred?: [id: number, body: string][],
  ): IncomingInsertResult {
    const id = this.insertIncomingRow(to, m, deferred);
    if (id === 0) return { duplicate: true };
    const protection = m.protection ? JSON.stringify(m.protection) : null;
    return { inserted: incomingMessageDto(id, to.rowId, m, Buffer.byteLength(m.body, 'utf8'), protection) };
  }

  /**
   * insertIncomingTo without building the stored message: the new row's id, or 0 when the request is a
   * duplicate (nothing stored). The group commit sends only this back to the main thread, which builds
   * the same MessageDto from what it sent (incoming-wire.ts).
   */
  insertIncomingRow(
    to: ConversationTarget,
    m: Omit<IncomingMessageInput, 'conversationId' | 'callId'> & { readonly callId?: CallId | null },
    deferred?: [id: number, body: string][],
  ): number {
    return inTransaction(this.#db, () => {
      this.#pruneNow(m.createdAt);
      // A sender that re-sends after a restart has lost its digest nonce: its copy gets 401/407 and the
      // answered retry takes the next CSeq (RFC 3261 §8.1.3.5, §22.2), so Call-ID + CSeq no longer names
      // it. Same Call-ID, same body, a CSeq at most AUTH_RETRY_SPAN away, outside a dialog: the same
      // message (our senders and every pager UA we know use a new Call-ID per message, RFC 3428 §4).
      // Either way round: a copy answered after a 407 (CSeq 2) may be stored before the sender's re-send
      // with the stored CSeq 1 arrives (its connection broke before the answer came back, issue 11).
      // That check, the replay window's and the unique indexes' are all in the one INSERT (message-insert.ts).
      const r = this.#insertIncoming.run(...incomingInsertArgs(to.rowId, to.accountId, m, AUTH_RETRY_SPAN));
      // not stored: a duplicate; its identity joins the replay window (a no-op when it is already there)
      if (Number(r.changes) === 0) return this.#duplicate(to, m);
      const id = Number(r.lastInsertRowid);
      if (deferred) deferred.push([id, m.body]);
      else this.#index.run(id, m.body);
      return id;
    });
  }

  /** a request answered as a duplicate without a row of its own: its identity joins the replay window */
  #duplicate(to: ConversationTarget, m: Pick<IncomingMessageInput, 'sipCallId' | 'cseq' | 'sipFromTag' | 'createdAt'>): 0 {
    if (m.sipCallId !== null && m.cseq !== null) this.#remember.run(to.accountId, m.sipCallId, m.cseq, m.sipFromTag ?? '', m.createdAt);
    return 0;
  }

  #pruneNow(now: number): void {
    if (++this.#insertsSincePrune < PRUNE_EVERY) return;
    this.#insertsSincePrune = 0;
    this.#prune.run(now - this.#window);
  }

  /** Records a delivery state (RFC 3428 §7 outcomes); returns the updated message, null if unknown. */
  updateState(
    id: MessageId,
    state: MessageState,
    code: number | null,
    reason: string | null,
    sentAt: number | null,
    extra: MessageStateExtra = {},
  ): MessageDto | null {
    const rowId = toRowId(id);
    if (rowId === null) return null;
    const r = this.#update.run({
      id: rowId,
      state,
      code,
      reason,
      sentAt,
      sipCallId: extra.sipCallId ?? null,
      cseq: extra.cseq ?? null,
      ood: extra.sentOutOfDialog === undefined ? null : extra.sentOutOfDialog ? 1 : 0,
      fromTag: extra.sipFromTag ?? null,
      cpimId: extra.cpimMessageId ?? null,
      protection: extra.protection ? JSON.stringify(extra.protection) : null,
    });
    return Number(r.changes) === 0 ? null : this.#mustGet(rowId);
  }

  get(id: MessageId): MessageDto | null {
    const rowId = toRowId(id);
    const row = rowId === null ? undefined : this.#get.get(rowId);
    return row === undefined ? null : messageFromRow(row);
  }

  /** The message with its wire identifiers and peer (for a retry). */
  getStored(id: MessageId): StoredMessage | null {
    const rowId = toRowId(id);
    const row = rowId === null ? undefined : this.#getStored.get(rowId);
    return row === undefined ? null : storedMessageFromRow(row);
  }

  /** Deletes one message; returns its conversation, or null when there was no such message. */
  delete(id: MessageId): { readonly id: MessageId; readonly conversationId: ConversationId } | null {
    const rowId = toRowId(id);
    const row = rowId === null ? undefined : this.#delete.get(rowId);
    return row === undefined ? null : { id, conversationId: String(int(row, 'conversation_id')) as ConversationId };
  }

  /** Newest first; `before` is the nextCursor of the previous page (null for the newest page). */
  page(conversationId: ConversationId, before: string | null, limit: number): MessagePage {
    const c = toRowId(conversationId);
    if (c === null) return { messages: [], nextCursor: null, total: 0 };
    const n = Math.max(1, Math.min(MAX_PAGE, Math.trunc(limit)));
    const rows =
      before === null
        ? this.#firstPage.all({ c, n: n + 1 })
        : (() => {
            const k = decodeCursor(before);
            return this.#olderPage.all({ c, t: k.createdAt, i: k.id, n: n + 1 });
          })();
    const messages = rows.slice(0, n).map(messageFromRow);
    const last = messages[messages.length - 1];
    const nextCursor =
      rows.length > n && last !== undefined ? encodeCursor({ createdAt: last.createdAt, id: Number(last.id) }) : null;
    const count = this.#count.get(c);
    return { messages, nextCursor, total: count === undefined ? 0 : int(count, 'message_count') };
  }

  /** Outgoing messages not yet answered (queued/sending) of an account, oldest first: re-send after restart. */
  pendingOutbox(accountId: AccountId): StoredMessage[] {
    return this.#outbox.all(accountId).map(storedMessageFromRow);
  }
}
