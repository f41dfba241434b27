/**
 * What a MESSAGE outcome means to the user (RFC 3428 §4, §7): the stored state, the SIP code, and a
 * reason in plain words. Local failures (timeout, transport, not registered) carry no code.
 */
import type { MessageState } from '#shared/domain/chat.ts';
import type { PagerOutcome } from './pager.ts';

export interface DeliveryResult {
  readonly state: Extract<MessageState, 'delivered' | 'accepted' | 'failed' | 'refused'>;
  readonly code: number | null;
  readonly reason: string | null;
}

const WORDS: Readonly<Record<number, string>> = {
  400: 'the PBX could not read the message',
  401: 'the PBX did not accept our credentials',
  403: 'not allowed to send messages there',
  404: 'no such user',
  405: 'the PBX does not accept messages',
  407: 'the proxy did not accept our credentials',
  408: 'no answer from the recipient',
  410: 'the user no longer exists',
  413: 'the message is too large',
  414: 'the address is too long',
  415: 'the recipient does not accept this kind of message',
  416: 'the address type is not supported',
  420: 'the recipient does not support a required feature',
  480: 'the recipient is not available',
  481: 'the conversation no longer exists on the other side',
  482: 'the message looped',
  483: 'too many hops',
  484: 'the address is incomplete',
  485: 'the address is ambiguous',
  486: 'the recipient is busy',
  488: 'the recipient does not accept this message',
  500: 'the PBX had an internal error',
  501: 'the PBX does not support messages',
  502: 'a server on the way gave a bad answer',
  503: 'the PBX is unavailable',
  504: 'a server on the way did not answer in time',
  513: 'the message is too large',
  600: 'the recipient is busy everywhere',
  603: 'declined by the recipient',
  604: 'no such user anywhere',
  606: 'not acceptable to the recipient',
};

/** Plain words for a failure status, e.g. "no such user (404)". */
export function describeStatus(status: number, reasonPhrase: string): string {
  const words = WORDS[status];
  if (words !== undefined) return `${words} (${String(status)})`;
  if (status >= 300 && status < 400) return `the PBX redirected the message elsewhere (${String(status)})`;
  const phrase = reasonPhrase.trim().replace(/[\u0000-\u001f\u007f]/g, ' ').slice(0, 80);
  const klass = status >= 600 ? 'refused' : status >= 500 ? 'server error' : 'refused by the PBX';
  return phrase === '' ? `${klass} (${String(status)})` : `${klass}: "${phrase}" (${String(status)})`;
}

/** Maps a PagerOutcome to the message's final state. */
export function deliveryResult(outcome: PagerOutcome): DeliveryResult {
  switch (outcome.kind) {
    case 'response': {
      const s = outcome.status;
      // RFC 3428 §4: 202 means accepted by a server (e.g. store-and-forward), not yet delivered
      if (s === 202) return { state: 'accepted', code: s, reason: null };
      if (s >= 200 && s < 300) return { state: 'delivered', code: s, reason: null };
      // RFC 3261 §21.6: 6xx is a global failure, the recipient's definitive answer
      if (s >= 600) return { state: 'refused', code: s, reason: describeStatus(s, outcome.reason) };
      if (s < 200) throw new Error(`PagerSender resolved with a provisional response ${String(s)}`);
      return { state: 'failed', code: s, reason: describeStatus(s, outcome.reason) };
    }
    case 'timeout':
      return { state: 'failed', code: null, reason: 'no answer from the PBX (timeout)' };
    case 'transport-error':
      return { state: 'failed', code: null, reason: `could not reach the PBX (${outcome.reason})` };
    case 'not-registered':
      return { state: 'failed', code: null, reason: 'not registered' };
    case 'auth-refused':
      return { state: 'failed', code: outcome.status, reason: outcome.reason };
  }
}
