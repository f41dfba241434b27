/**
 * The chat service's PagerSender seam (services/chats/pager.ts) over the SIP stack's MESSAGE glue
 * (RFC 3428), and the mapping of an incoming MESSAGE to IncomingPagerMessage.
 */
import type { AccountId } from '../../shared/domain/ids.ts';
import { serializeMessage } from '../sip/message/index.ts';
import type { SipResponse } from '../sip/message/index.ts';
import { buildPagerMessage, localFailureOf, sendPagerMessage } from '../sip/ua/index.ts';
import type { IncomingMessage, MessageAnswer, UserAgent } from '../sip/ua/index.ts';
import type { IncomingPagerMessage, PagerOutcome, PagerRequest, PagerSender, ReceiveAnswer } from './chats/pager.ts';

/** bytes a Proxy-Authorization and a Via add to the request we build (digest with qop, RFC 7616) */
const AUTH_AND_VIA_ALLOWANCE = 420;

export function outcomeOf(response: SipResponse): PagerOutcome {
  const local = localFailureOf(response);
  if (local !== null) return local.kind === 'timeout' ? { kind: 'timeout' } : { kind: 'transport-error', reason: local.reason };
  const accept = response.status === 415 ? (response.headers.get('Accept') ?? '').split(',').map((s) => s.trim()).filter((s) => s !== '') : null;
  return { kind: 'response', status: response.status, reason: response.reason, accept };
}

function toPagerMessage(request: PagerRequest) {
  return { target: request.target, body: request.body, contentType: request.contentType, expiresSeconds: request.expiresSeconds, date: request.date };
}

export function createPagerSender(uaOf: (accountId: AccountId) => UserAgent | null): PagerSender {
  return {
    async send(request) {
      const ua = uaOf(request.accountId);
      if (ua === null) return { kind: 'not-registered' };
      try {
        return outcomeOf(await sendPagerMessage(ua, toPagerMessage(request)));
      } catch (err) {
        // a target that is no SIP URI, a closed UA: no network fault, but still no rejection (seam contract)
        return { kind: 'transport-error', reason: err instanceof Error ? err.message : String(err) };
      }
    },
    isCongestionControlled(accountId) {
      const ua = uaOf(accountId);
      return ua !== null && ua.protocol !== 'udp';
    },
    estimateRequestSize(request) {
      const ua = uaOf(request.accountId);
      if (ua === null) return request.body.length + 1000;
      try {
        return serializeMessage(buildPagerMessage(ua, toPagerMessage(request))).length + AUTH_AND_VIA_ALLOWANCE;
      } catch {
        return request.body.length + 1000;
      }
    },
  };
}

export function toIncomingPagerMessage(m: IncomingMessage): IncomingPagerMessage {
  return {
    from: m.from,
    fromDisplayName: m.fromDisplayName,
    contentType: m.contentType,
    body: m.body,
    callId: m.callId,
    cseq: m.cseq,
    date: m.date,
    expiresSeconds: m.expiresSeconds,
    dialog: m.inDialog ? { dialogId: `${m.callId};${m.request.toTag ?? ''};${m.request.fromTag ?? ''}` } : null,
  };
}

export function toMessageAnswer(answer: ReceiveAnswer): MessageAnswer {
  if (answer.status === 415) return { status: 415, accept: answer.accept };
  if (answer.status === 200) return { status: 200 };
  return { status: answer.status, reason: answer.reason };
}
