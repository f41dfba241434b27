/**
 * The INSERT INTO messages of the message repository. Positional parameters: node:sqlite binds a
 * named-parameter object by looking up each property and each `:name` (with its prefixes) per call,
 * which was 18 % of the storage worker's time under load (issue 18); insertArgs keeps the order.
 */
import type { SQLInputValue } from 'node:sqlite';
import type { MessageState } from '#shared/domain/chat.ts';
import type { AccountId, CallId } from '#shared/domain/ids.ts';

export const INSERT_MESSAGE_SQL = `INSERT INTO messages (conversation_id, account_id, direction, state, body, content_type,
    sip_call_id, cseq, cpim_message_id, dialog_id, call_id, created_at, date_header, expires_at, bytes, read, protection,
    imdn_request, sip_from_tag)
  VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
  ON CONFLICT DO NOTHING`;

/**
 * The INSERT of a received message, with its duplicate checks folded in (issue 18: one statement per
 * message instead of three). Same values in the same order as INSERT_MESSAGE_SQL (?2 account, ?5 body,
 * ?7 Call-ID, ?8 CSeq, ?10 dialog, ?19 From tag); no row is written, and `changes` is 0, when
 * - the request (Call-ID + CSeq + From tag) is in the replay window (RFC 3261 §17.2.3, migration 0006);
 * - outside a dialog, the same body is stored under the same Call-ID at most AUTH_RETRY_SPAN CSeq numbers
 *   away: a re-send after a 401/407 (RFC 3261 §8.1.3.5, §22.2) — message-repository.ts says why;
 * - a unique index rejects it (same Call-ID + CSeq, same CPIM Message-ID: ON CONFLICT DO NOTHING).
 * A NULL Call-ID or CSeq matches neither subquery, as before when those checks were skipped.
 */
export const INSERT_INCOMING_SQL = `INSERT INTO messages (conversation_id, account_id, direction, state, body, content_type,
    sip_call_id, cseq, cpim_message_id, dialog_id, call_id, created_at, date_header, expires_at, bytes, read, protection,
    imdn_request, sip_from_tag)
  SELECT ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19
  WHERE NOT EXISTS (SELECT 1 FROM incoming_seen WHERE account_id = ?2 AND sip_call_id = ?7 AND cseq = ?8 AND from_tag = ?19)
    AND NOT (?10 IS NULL AND EXISTS (SELECT 1 FROM messages WHERE account_id = ?2 AND sip_call_id = ?7
      AND cseq >= ?8 - ?20 AND cseq <= ?8 + ?20 AND cseq <> ?8 AND direction = 'in' AND dialog_id IS NULL AND body = ?5))
  ON CONFLICT DO NOTHING`;

/** What a received message's INSERT needs: MessageInputBase's columns and the incoming-only ones. */
export interface IncomingRowInput {
  readonly state: MessageState;
  readonly body: string;
  readonly contentType: string;
  readonly sipCallId: string | null;
  readonly cseq: number | null;
  readonly cpimMessageId: string | null;
  readonly dialogId: string | null;
  readonly callId?: CallId | null;
  readonly createdAt: number;
  readonly dateHeader: number | null;
  readonly expiresAt: number | null;
  readonly read: boolean;
  readonly protection?: unknown;
  readonly imdnRequest?: string | null;
  readonly sipFromTag?: string | null;
}

/**
 * The values of INSERT_INCOMING_SQL (?1…?19 as insertArgs of the same row, ?20 the auth-retry span),
 * built straight from the message: the receive path makes no InsertRow object per message.
 */
export function incomingInsertArgs(conversationId: number, accountId: AccountId, m: IncomingRowInput, authRetrySpan: number): SQLInputValue[] {
  return [
    conversationId, accountId, 'in', m.state, m.body, m.contentType, m.sipCallId, m.cseq, m.cpimMessageId, m.dialogId,
    m.callId ?? null, m.createdAt, m.dateHeader, m.expiresAt, Buffer.byteLength(m.body, 'utf8'), m.read ? 1 : 0,
    m.protection ? JSON.stringify(m.protection) : null, m.imdnRequest ?? null,
    // the From tag ('' when the request had none), kept for the replay window of a deleted row
    m.sipFromTag ?? '', authRetrySpan,
  ];
}

/** The values of one INSERT INTO messages, by column. */
export interface InsertRow {
  readonly conversationId: number;
  readonly accountId: AccountId;
  readonly direction: 'in' | 'out';
  readonly state: MessageState;
  readonly body: string;
  readonly contentType: string;
  readonly sipCallId: string | null;
  readonly cseq: number | null;
  readonly cpimMessageId: string | null;
  readonly dialogId: string | null;
  readonly callId: CallId | null;
  readonly createdAt: number;
  readonly dateHeader: number | null;
  readonly expiresAt: number | null;
  readonly bytes: number;
  readonly read: 0 | 1;
  readonly protection: string | null;
  readonly imdnRequest: string | null;
  /** incoming: the From tag ('' when the request had none), kept for the replay window of a deleted row */
  readonly sipFromTag: string | null;
}

/** the values of INSERT_MESSAGE_SQL, in its column order */
export function insertArgs(row: InsertRow): SQLInputValue[] {
  return [
    row.conversationId, row.accountId, row.direction, row.state, row.body, row.contentType, row.sipCallId, row.cseq,
    row.cpimMessageId, row.dialogId, row.callId, row.createdAt, row.dateHeader, row.expiresAt, row.bytes, row.read,
    row.protection, row.imdnRequest, row.sipFromTag,
  ];
}
