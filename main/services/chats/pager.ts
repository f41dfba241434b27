/**
 * The seam between the chat service and the SIP stack for pager-mode MESSAGE (RFC 3428).
 *
 * Outgoing: the service calls `PagerSender.send` once per MESSAGE and waits for its final outcome; the
 * glue (MESSAGE UAC) builds the request (From = the account's AOR, To = Request-URI = `target`,
 * Content-Type, Date, Expires, body), answers digest challenges, runs the non-INVITE client
 * transaction and resolves with the final response. The service guarantees it never has two
 * `send` calls pending for the same `target` (RFC 3428 §8).
 *
 * Incoming: the MESSAGE UAS calls `ChatService.receive(accountId, IncomingPagerMessage)` and sends the
 * response it resolves with only AFTER the promise resolves, so a 200 means "stored".
 */
import type { AccountId } from '#shared/domain/ids.ts';
import type { IncomingMessage } from '../../sip/ua/index.ts';

/** An established dialog an in-dialog MESSAGE travels in (RFC 3428 §3: in-call messages; not used yet). */
export interface DialogRef {
  /** Call-ID + local tag + remote tag (RFC 3261 §12) */
  readonly dialogId: string;
}

export interface PagerRequest {
  readonly accountId: AccountId;
  /** the Request-URI and To: always sip: or sips: (im: was resolved, RFC 3428 §5) */
  readonly target: string;
  /** the exact body octets */
  readonly body: Buffer;
  /** text/plain;charset=UTF-8 or message/cpim */
  readonly contentType: string;
  /** Expires header in seconds (RFC 3428 §7), counted from `date`; null = none */
  readonly expiresSeconds: number | null;
  /** the Date header (RFC 3261 §20.17): the instant the user sent the message (same on every re-send) */
  readonly date: Date;
  /** null: out of dialog (pager mode) */
  readonly dialog: DialogRef | null;
  /**
   * Out of dialog: the Call-ID, CSeq and From tag stored with the message before its first send; every
   * send of it (also after a restart) uses them, so receivers see a retransmission (RFC 3261 §17.2.3).
   */
  readonly wire?: PagerWireIds;
  /** RFC 3261 §20.11 / §23.4.3: set for an S/MIME body (attachment;handling=required) */
  readonly contentDisposition?: string;
  /** RFC 2045 §6 / RFC 8551 §3.1.3: set for an S/MIME body sent base64 */
  readonly contentTransferEncoding?: string;
}

export interface PagerWireIds {
  readonly callId: string;
  readonly cseq: number;
  readonly fromTag: string;
}

export type PagerOutcome =
  /** a final response (2xx-6xx); `accept` is the Accept header of a 415, split into media ranges */
  | {
      readonly kind: 'response';
      readonly status: number;
      readonly reason: string;
      readonly accept: readonly string[] | null;
      /** the CSeq number of the request this final response answered (after any 401/407 retries, RFC 3261 §22.2) */
      readonly cseq?: number;
    }
  /** Timer F fired (RFC 3261 §17.1.2.2) */
  | { readonly kind: 'timeout' }
  /** no route, connection refused, TLS failure ... (RFC 3261 §8.1.3.1) */
  | { readonly kind: 'transport-error'; readonly reason: string }
  /** the account has no registration (and no way to send) */
  | { readonly kind: 'not-registered' }
  /** a 401/407 we did not answer (a realm that is not the account's, issue 10); `reason` in plain words */
  | { readonly kind: 'auth-refused'; readonly status: number; readonly reason: string };

export interface PagerSender {
  /** Sends one MESSAGE and resolves with its final outcome; must not reject for network faults. */
  send(request: PagerRequest): Promise<PagerOutcome>;
  /** true when the first hop to `target` is TCP or TLS: congestion controlled (RFC 3428 §8) */
  isCongestionControlled(accountId: AccountId, target: string): boolean;
  /**
   * Optional (RFC 3261 §18.1.1): true when a request over 1300 bytes to `target` goes over TCP/TLS even
   * though the account uses UDP (its next hop is not pinned to transport=udp, so the stack moves it to
   * TCP). Used for protected messages, which cannot be split below the limit (CMS adds ~2 kB).
   */
  largeRequestsCongestionControlled?(accountId: AccountId, target: string): boolean;
  /**
   * Optional: the size in octets of the whole request the glue would send (start line, headers incl.
   * a likely Proxy-Authorization, body). Without it the service estimates body + HEADER_ALLOWANCE.
   */
  estimateRequestSize?(request: PagerRequest): number;
  /**
   * Optional: false while the account is not registered (registering, failed, no stack): the message
   * then stays `queued` and is never marked `sending` (nothing would go on the wire). `retryAt` is when
   * the next registration attempt is due, if known. Without it every message is tried at once.
   */
  canSend?(accountId: AccountId): { readonly ready: true } | { readonly ready: false; readonly retryAt: number | null };
}

/**
 * One MESSAGE as the UAS received it, after RFC 3261 §8.2 checks: the SIP layer's view (from, body, Call-ID
 * and CSeq for dedup, Date and Expires for §7) without its SIP objects, plus the dialog it came in, if any.
 */
export type IncomingPagerMessage = Pick<
  IncomingMessage,
  'from' | 'fromDisplayName' | 'contentType' | 'body' | 'callId' | 'cseq' | 'date' | 'expiresSeconds'
> & {
  readonly dialog: DialogRef | null;
  /** the From tag: with Call-ID and CSeq it names the request (RFC 3261 §8.2.2.2, §17.2.3) */
  readonly fromTag?: string | null;
  /** Content-Transfer-Encoding of the body (RFC 2045 §6), null/absent when the header is absent */
  readonly contentTransferEncoding?: string | null;
};

/** What the UAS answers: 200, 415 with Accept, 503 with Retry-After, or another 4xx/5xx with a reason phrase. */
export type ReceiveAnswer =
  | { readonly status: 200 }
  /** the sender is blocked (issue 10): refused, nothing stored; the reason phrase does not say why */
  | { readonly status: 403 }
  | { readonly status: 415; readonly accept: readonly string[] }
  | { readonly status: 400 | 493 | 500; readonly reason: string }
  /** overload (RFC 3261 §21.5.4): nothing stored, try again after `retryAfterSeconds` */
  | { readonly status: 503; readonly reason: string; readonly retryAfterSeconds: number };

/** The body types the service accepts (Accept of a 415, RFC 3261 §21.4.16). */
export const ACCEPTED_TYPES: readonly string[] = ['text/plain', 'message/cpim'];

/** With S/MIME on the receive path we also take application/pkcs7-mime (RFC 8551 §3.2). */
export const ACCEPTED_TYPES_SMIME: readonly string[] = [...ACCEPTED_TYPES, 'application/pkcs7-mime'];
