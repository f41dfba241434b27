/** The `messages` row ↔ MessageDto mapping shared by the message and conversation repositories. */
import type { MessageDirection, MessageDto, MessageReceipt, MessageState } from '#shared/domain/chat.ts';
import type { MessageProtectionDto } from '#shared/domain/security.ts';
import type { AccountId, CallId, ConversationId, MessageId } from '#shared/domain/ids.ts';
import { fromRowId } from './ids.ts';
import { bool, int, intOrNull, text, textOrNull, type Row } from './row.ts';

/** Columns for `messageFromRow`, qualified with the alias `m`. */
export const MESSAGE_COLUMNS = `m.id, m.conversation_id, m.direction, m.state, m.body, m.content_type, m.code,
  m.reason, m.call_id, m.sent_out_of_dialog, m.created_at, m.sent_at, m.date_header, m.expires_at, m.bytes, m.protection,
  m.receipt`;

/** Wire identifiers kept with a message but not shown to the renderer. */
export const MESSAGE_WIRE_COLUMNS = `m.account_id, m.sip_call_id, m.cseq, m.cpim_message_id, m.dialog_id, m.sip_from_tag`;

const DIRECTIONS: readonly MessageDirection[] = ['in', 'out'];
const STATES: readonly MessageState[] = [
  'queued',
  'sending',
  'delivered',
  'accepted',
  'failed',
  'refused',
  'received',
  'expired',
  'needs-choice',
];

export function isMessageState(s: string): s is MessageState {
  return (STATES as readonly string[]).includes(s);
}

function direction(row: Row): MessageDirection {
  const d = text(row, 'direction');
  const found = DIRECTIONS.find((x) => x === d);
  if (found === undefined) throw new Error(`unknown message direction ${d}`);
  return found;
}

function state(row: Row): MessageState {
  const s = text(row, 'state');
  if (!isMessageState(s)) throw new Error(`unknown message state ${s}`);
  return s;
}

function receipt(row: Row): MessageReceipt {
  const r = textOrNull(row, 'receipt');
  return r === 'delivered' || r === 'read' ? r : null;
}

export function messageFromRow(row: Row): MessageDto {
  const callId = textOrNull(row, 'call_id');
  return {
    id: fromRowId<MessageId>(int(row, 'id')),
    conversationId: fromRowId<ConversationId>(int(row, 'conversation_id')),
    direction: direction(row),
    state: state(row),
    body: text(row, 'body'),
    contentType: text(row, 'content_type'),
    code: intOrNull(row, 'code'),
    reason: textOrNull(row, 'reason'),
    callId: callId === null ? null : (callId as CallId),
    sentOutOfDialog: bool(row, 'sent_out_of_dialog'),
    createdAt: int(row, 'created_at'),
    sentAt: intOrNull(row, 'sent_at'),
    dateHeader: intOrNull(row, 'date_header'),
    expiresAt: intOrNull(row, 'expires_at'),
    bytes: int(row, 'bytes'),
    receipt: receipt(row),
    ...protectionOf(textOrNull(row, 'protection')),
  };
}

/** The stored JSON of a bubble's protection; a damaged value shows as "not trusted" rather than failing the row. */
export function protectionOf(json: string | null): { protection?: MessageProtectionDto } {
  if (json === null) return {};
  try {
    const p = JSON.parse(json) as MessageProtectionDto;
    if (typeof p === 'object' && p !== null && typeof p.summary === 'string') return { protection: p };
  } catch {
    // fall through
  }
  const damaged: MessageProtectionDto = { encrypted: false, signature: 'invalid', trust: null, signer: null, fingerprint: null, summary: 'protection state unreadable: not trusted', warning: true };
  return { protection: damaged };
}

/** A message with the wire identifiers the chat service needs to re-send it. */
export interface StoredMessage {
  readonly message: MessageDto;
  readonly accountId: AccountId;
  /** the conversation's peer address */
  readonly peer: string;
  readonly sipCallId: string | null;
  readonly cseq: number | null;
  readonly cpimMessageId: string | null;
  readonly dialogId: string | null;
  /** outgoing: the From tag the request was (or will be) sent with, kept for a same-request re-send */
  readonly sipFromTag: string | null;
}

/** Needs MESSAGE_COLUMNS, MESSAGE_WIRE_COLUMNS and `c.peer`. */
export function storedMessageFromRow(row: Row): StoredMessage {
  return {
    message: messageFromRow(row),
    accountId: text(row, 'account_id') as AccountId,
    peer: text(row, 'peer'),
    sipCallId: textOrNull(row, 'sip_call_id'),
    cseq: intOrNull(row, 'cseq'),
    cpimMessageId: textOrNull(row, 'cpim_message_id'),
    dialogId: textOrNull(row, 'dialog_id'),
    sipFromTag: textOrNull(row, 'sip_from_tag'),
  };
}
