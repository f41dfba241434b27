/**
 * The group commit's messages between the main thread and the storage worker (issue 18). Structured
 * clone copies an object property by property, its key included: a batch of received messages as
 * objects, and the stored MessageDtos coming back, cost both threads more than the SQL did. So the
 * batch crosses as one flat array of values (FIELDS per message, in a fixed order), and the answer as
 * numbers only — per message its new row id (0: duplicate, -1: error), its conversation's row id and
 * its size in octets. The main thread then builds each stored message from what it sent: exactly the
 * MessageDto a read of the new row gives (messageFromRow), which the chat events carry unchanged.
 */
import type { ConversationDto, MessageDto } from '#shared/domain/chat.ts';
import type { ConversationId, MessageId } from '#shared/domain/ids.ts';
import type { IncomingBatchItem, IncomingBatchOutcome, IncomingBatchResult } from './incoming-batch.ts';
import type { IncomingMessageInput } from './message-repository.ts';
import { fromRowId } from './ids.ts';
import { protectionOf } from './message-row.ts';

/** values per message in a packed batch */
const FIELDS = 17;

/** A batch of IncomingBatchItems as one flat array (packIncomingBatch). */
export type PackedIncomingBatch = readonly unknown[];

/** The worker's answer to a packed batch. */
export interface PackedIncomingResult {
  /** per message, in order: row id (0 duplicate, -1 error), conversation row id, body size in octets */
  readonly rows: readonly number[];
  /** the message of each error, in order */
  readonly errors: readonly string[];
  /** each conversation a new message went into, as it is after the commit */
  readonly conversations: readonly ConversationDto[];
}

export function packIncomingBatch(items: readonly IncomingBatchItem[]): PackedIncomingBatch {
  const out: unknown[] = [];
  for (const m of items) {
    out.push(
      m.accountId, m.peer, m.senderName, m.body, m.contentType, m.createdAt, m.expiresAt, m.dialogId, m.sipCallId, m.cseq,
      m.sipFromTag ?? null, m.cpimMessageId, m.state, m.dateHeader, m.read, m.imdnRequest ?? null, m.protection ?? null,
    );
  }
  return out;
}

/** worker side: the items of a packed batch (values are as the main thread typed them) */
export function unpackIncomingBatch(packed: PackedIncomingBatch): IncomingBatchItem[] {
  if (!Array.isArray(packed) || packed.length % FIELDS !== 0) throw new Error('malformed incoming batch');
  const v = packed as unknown[];
  // each value as the main thread typed it (packIncomingBatch wrote them in this order)
  const at = (k: number): never => v[k] as never;
  const items: IncomingBatchItem[] = [];
  for (let i = 0; i < v.length; i += FIELDS) {
    items.push({
      accountId: at(i), peer: at(i + 1), senderName: at(i + 2), body: at(i + 3), contentType: at(i + 4), createdAt: at(i + 5),
      expiresAt: at(i + 6), dialogId: at(i + 7), sipCallId: at(i + 8), cseq: at(i + 9), sipFromTag: at(i + 10),
      cpimMessageId: at(i + 11), state: at(i + 12), dateHeader: at(i + 13), read: at(i + 14), imdnRequest: at(i + 15),
      protection: at(i + 16),
    });
  }
  return items;
}

/**
 * The MessageDto of an incoming row as insertIncomingRow wrote it: what messageFromRow maps it to (the
 * columns the INSERT leaves to their defaults read as null / false), without reading it back.
 */
export function incomingMessageDto(
  id: number,
  conversationRowId: number,
  m: Pick<IncomingMessageInput, 'state' | 'body' | 'contentType' | 'createdAt' | 'dateHeader' | 'expiresAt'> & { readonly callId?: IncomingMessageInput['callId'] },
  bytes: number,
  protectionJson: string | null,
): MessageDto {
  return {
    id: fromRowId<MessageId>(id),
    conversationId: fromRowId<ConversationId>(conversationRowId),
    direction: 'in',
    state: m.state,
    body: m.body,
    contentType: m.contentType,
    code: null,
    reason: null,
    callId: m.callId ?? null,
    sentOutOfDialog: false,
    createdAt: m.createdAt,
    sentAt: null,
    dateHeader: m.dateHeader,
    expiresAt: m.expiresAt,
    bytes,
    receipt: null,
    ...(protectionJson === null ? {} : protectionOf(protectionJson)),
  };
}

/** The IncomingBatchResult of `items` from the worker's packed answer to them. */
export function unpackIncomingResult(items: readonly IncomingBatchItem[], packed: PackedIncomingResult): IncomingBatchResult {
  const { rows, errors } = packed;
  if (rows.length !== items.length * 3) throw new Error('storage answered a different number of messages');
  const outcomes: IncomingBatchOutcome[] = [];
  let e = 0;
  for (let i = 0; i < items.length; i++) {
    const item = items[i] as IncomingBatchItem;
    const id = rows[i * 3] as number;
    if (id === 0) outcomes.push({ kind: 'duplicate' });
    else if (id < 0) outcomes.push({ kind: 'error', message: errors[e++] ?? 'not stored' });
    else {
      const json = item.protection ? JSON.stringify(item.protection) : null;
      outcomes.push({ kind: 'inserted', message: incomingMessageDto(id, rows[i * 3 + 1] as number, item, rows[i * 3 + 2] as number, json) });
    }
  }
  return { outcomes, conversations: packed.conversations };
}
