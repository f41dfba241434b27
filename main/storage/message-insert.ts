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
