/**
 * What the outbox decides about one message, apart from the delivering (outbox.ts): its wire identity
 * (RFC 3261 §8.1.1.3-§8.1.1.5, kept across restarts so a re-send is a retransmission), when what the
 * network lost is tried again, which outcomes count as lost by the network, and the words of a waiting or
 * refused message. Pure, tested through the chat service.
 */
import { newCallId, newTag } from '../../sip/ua/index.ts';
import type { DeliveryResult } from './outcome.ts';
import type { PagerOutcome, PagerWireIds } from './pager.ts';

/** how long a message without Expires keeps being re-sent after the network lost it */
export const DEFAULT_RESEND_VALIDITY_MS = 24 * 60 * 60 * 1000;
/** a lost message is tried again after this even when the account never went offline */
export const RETRY_AFTER_MS = 30_000;
/**
 * a loss that cost no time (a broken connection, a PBX that could not pass it on) is tried again sooner:
 * the account may stay online throughout, so no registration triggers the resend
 */
export const QUICK_RETRY_AFTER_MS = 3_000;
/** the prefix of the reason of a message waiting to be re-sent */
export const WILL_RETRY = 'will retry';


/** RFC 3261 §8.1.1.5: any CSeq below 2**31 starts a Call-ID; 1 leaves room for auth re-sends. */
const FIRST_CSEQ = 1;

/**
 * A new identity for an outgoing pager MESSAGE (RFC 3261 §8.1.1.3-§8.1.1.5); storage/begin-sending.ts
 * keeps the stored one instead when there is one (a re-send is a retransmission of the same request).
 */
export function freshWireIds(): PagerWireIds {
  return { callId: newCallId(), cseq: FIRST_CSEQ, fromTag: newTag() };
}

/** "waiting for the PBX — last tried 12:03, next try 12:04" (local time, 24 h clock). */
export function waitingReason(lastTried: number, nextTry: number | null): string {
  const hm = (t: number) => {
    const d = new Date(t);
    return `${String(d.getHours()).padStart(2, '0')}:${String(d.getMinutes()).padStart(2, '0')}`;
  };
  const next = nextTry === null ? '' : `, next try ${hm(nextTry)}`;
  return `waiting for the PBX — last tried ${hm(lastTried)}${next}`;
}

/** one delivery attempt: what the sender answered, or a local decision (too big, refused before sending) */
export type Attempt = { readonly outcome: PagerOutcome } | { readonly local: DeliveryResult };

/**
 * RFC 3428 §8 / RFC 3261 §18.1.1 with the real, grown size of a protected body (CMS adds the certificate,
 * signature, keys): refused before anything is sent when no congestion-controlled transport can carry it.
 */
export function tooBigProtected(bytes: number): DeliveryResult {
  return {
    state: 'failed',
    code: null,
    reason: `not sent: ${String(bytes)} bytes once protected, over the 1300-byte UDP limit, and this account's proxy takes UDP only: use TCP or TLS for this account`,
  };
}

/**
 * Kamailio/OpenSIPS answer 477 when they could not send the request on to the next hop (the recipient's
 * connection broke, its address refused): the PBX says nothing about the recipient, it lost the request.
 */
const NEXT_HOP_SEND_FAILED = 477;

/** an outcome that says nothing about the recipient: the network or the first hop lost it */
export function lostByNetwork(result: Attempt): boolean {
  if (!('outcome' in result)) return false;
  const o = result.outcome;
  return o.kind === 'timeout' || o.kind === 'transport-error' || (o.kind === 'response' && o.status === NEXT_HOP_SEND_FAILED);
}

export const tooBigForUdp: DeliveryResult = {
  state: 'failed',
  code: null,
  reason: 'too large to send over UDP (over 1300 bytes); split it or use TCP/TLS',
};

/** the reason of a message the network lost, waiting to go out again: "will retry — <why>" */
export function willRetryReason(final: DeliveryResult): string {
  const why = final.code === NEXT_HOP_SEND_FAILED ? `the PBX could not pass it on to the recipient's device (${String(NEXT_HOP_SEND_FAILED)})` : (final.reason ?? 'not sent');
  return `${WILL_RETRY} — ${why}`;
}
