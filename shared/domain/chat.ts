import type { AccountId, CallId, ContactId, ConversationId, EpochMs, MessageId } from './ids.ts';
import type { MessageProtectionDto } from './security.ts';

export type MessageDirection = 'in' | 'out';

/**
 * Delivery state of one message (RFC 3428 §4, §7):
 * queued → sending → delivered (2xx other than 202) | accepted (202: stored by the server, not yet delivered)
 * | failed (4xx/5xx/timeout/transport) | refused (6xx). Incoming messages are `received` or `expired`.
 * An `accepted` message becomes `delivered` (its code stays 202) when the recipient's delivery
 * notification arrives (RFC 5438 §7.2.1.1); `receipt` then says delivered or read.
 */
export type MessageState =
  | 'queued'
  | 'sending'
  | 'delivered'
  | 'accepted'
  | 'failed'
  | 'refused'
  | 'received'
  | 'expired'
  | 'needs-choice';

/**
 * What the recipient's device reported for an outgoing message (RFC 5438 IMDN): `delivered` (a delivery
 * notification) then `read` (a display notification); null when nothing came (yet, or ever: the peer may
 * not support IMDN, or its user turned read receipts off). Only ever moves forward.
 */
export type MessageReceipt = 'delivered' | 'read' | null;

export interface MessageDto {
  readonly id: MessageId;
  readonly conversationId: ConversationId;
  readonly direction: MessageDirection;
  readonly state: MessageState;
  readonly body: string;
  readonly contentType: string;
  /** SIP status code of the final response, when there was one */
  readonly code: number | null;
  /** plain-words reason for failed/refused */
  readonly reason: string | null;
  /** in-dialog message: the call it belongs to */
  readonly callId: CallId | null;
  /** true when an in-dialog message was re-sent out of dialog (405/501) */
  readonly sentOutOfDialog: boolean;
  readonly createdAt: EpochMs;
  readonly sentAt: EpochMs | null;
  /** Date header of an incoming message */
  readonly dateHeader: EpochMs | null;
  readonly expiresAt: EpochMs | null;
  /** size of the body in octets (UTF-8) */
  readonly bytes: number;
  /** S/MIME state of the bubble (RFC 3428 §11.3); absent for a message sent or received in clear */
  readonly protection?: MessageProtectionDto;
  /** outgoing: the recipient's receipt (RFC 5438); always null for incoming messages */
  readonly receipt: MessageReceipt;
}

export interface ConversationDto {
  readonly id: ConversationId;
  readonly accountId: AccountId;
  /** the peer's address (sip:bob@example.test) */
  readonly peer: string;
  readonly title: string;
  readonly contactId: ContactId | null;
  /**
   * A message request (Signal's model): a peer not in the contact list started this conversation and the
   * user has not accepted it. Shown under "Message requests", never notified, not counted as unread.
   * Accepting (adds the contact) or writing to the peer first clears it.
   */
  readonly unknownSender: boolean;
  /** the user blocked the peer's address: its MESSAGEs are answered 403 and not stored */
  readonly blocked: boolean;
  readonly lastMessage: MessageDto | null;
  readonly unread: number;
  readonly lastActivity: EpochMs;
}

export interface MessagePage {
  readonly messages: readonly MessageDto[];
  /** pass back as `before` to get the older page; null when there is none */
  readonly nextCursor: string | null;
  readonly total: number;
}

export interface SearchHit {
  readonly message: MessageDto;
  readonly conversationTitle: string;
  /** snippet with the match; plain text */
  readonly snippet: string;
}

/** The user's choice when a pager-mode MESSAGE is too big for UDP (RFC 3428 §8). */
/** what to do with a pager-mode MESSAGE over 1300 bytes on UDP (RFC 3428 §8): split, send whole over TCP, cancel */
export type OversizeChoice = 'split' | 'stream' | 'cancel';

/**
 * The whole request's size for a text as the sender counts it (the same function), and what can be done
 * when it is too big: `fits` = one MESSAGE may carry it; `canStream` = the account may send this one
 * MESSAGE over TCP instead of UDP (RFC 3261 §18.1.1); `parts` = how many parts a split makes.
 */
export interface MessageSizeDto {
  readonly bytes: number;
  readonly limit: number;
  readonly fits: boolean;
  readonly canStream: boolean;
  readonly parts: number;
}
