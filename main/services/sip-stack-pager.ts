/**
 * The chat service's PagerSender seam (services/chats/pager.ts) over the SIP stack's MESSAGE glue
 * (RFC 3428), and the mapping of an incoming MESSAGE to IncomingPagerMessage.
 */
import type { RegistrationState } from '#shared/domain/account.ts';
import type { AccountId } from '#shared/domain/ids.ts';
import { serializeMessage } from '../sip/message/index.ts';
import type { SipRequest, SipResponse } from '../sip/message/index.ts';
import { isSipUri } from '../sip/message/index.ts';
import { buildPagerMessage, localFailureOf, sendPagerMessage } from '../sip/ua/index.ts';
import type { AuthFailure, IncomingMessage, MessageAnswer, UserAgent } from '../sip/ua/index.ts';
import { answerChallenge, randomCnonce } from '../sip/ua/digest-answer.ts';
import { protectionSpaceOf } from '../sip/ua/credentials-authenticator.ts';
import type { IncomingPagerMessage, PagerOutcome, PagerRequest, PagerSender, ReceiveAnswer } from './chats/pager.ts';

/** bytes the top Via (branch, rport; the transport adds it) adds to the request we build */
const VIA_ALLOWANCE = 120;
/** bytes of a Proxy-Authorization we cannot compute yet (no proxy challenge cached: a 407 is likely) */
const PROXY_AUTH_ALLOWANCE = 320;
/** a cnonce as long as a real one: only its length counts here, and no random bytes are drawn (issue 18) */
const SIZING_CNONCE = 'x'.repeat(randomCnonce().length);

/** per credentials header: a longer auth user than the AOR user, an opaque we did not foresee */
const CREDENTIALS_MARGIN = 40;

/**
 * The credentials the UA will add to this request: every cached proxy realm, and the cached WWW realms
 * challenged for the Request-URI's host (RFC 3261 §22.3 pre-emptive credentials, as
 * credentials-authenticator applyCached does), each computed as it would be sent, without touching
 * the cache (no nonce count is used up). With no proxy realm cached yet, a Proxy-Authorization of
 * typical size is counted, since most PBXs challenge a MESSAGE (407) and the re-send carries it.
 */
export function credentialsSize(ua: UserAgent, request: SipRequest): number {
  const space = protectionSpaceOf(request);
  const username = isSipUri(ua.aor) ? (ua.aor.user ?? '') : '';
  let bytes = 0;
  let proxyCached = false;
  for (const entry of ua.authenticator.cache.all()) {
    const c = entry.chosen.challenge;
    if (c.algorithm === null) continue;
    if (c.kind === 'www' && entry.host !== null && entry.host !== space) continue;
    if (c.kind === 'proxy') proxyCached = true;
    const answer = answerChallenge(entry.chosen, { username, password: '' }, { method: request.method, uri: request.uriText, nc: entry.nc + 1, cnonce: SIZING_CNONCE, body: request.body });
    bytes += answer.headerName.length + 2 + answer.value.length + 2 + CREDENTIALS_MARGIN;
  }
  return proxyCached ? bytes : bytes + PROXY_AUTH_ALLOWANCE;
}

export function outcomeOf(response: SipResponse): PagerOutcome {
  const local = localFailureOf(response);
  if (local !== null) return local.kind === 'timeout' ? { kind: 'timeout' } : { kind: 'transport-error', reason: local.reason };
  const accept = response.status === 415 ? (response.headers.get('Accept') ?? '').split(',').map((s) => s.trim()).filter((s) => s !== '') : null;
  return { kind: 'response', status: response.status, reason: response.reason, accept, cseq: response.cseq.seq };
}

function toPagerMessage(request: PagerRequest) {
  return {
    target: request.target,
    body: request.body,
    contentType: request.contentType,
    expiresSeconds: request.expiresSeconds,
    date: request.date,
    wire: request.wire ?? null,
    contentDisposition: request.contentDisposition ?? null,
    contentTransferEncoding: request.contentTransferEncoding ?? null,
  };
}

export function createPagerSender(
  uaOf: (accountId: AccountId) => UserAgent | null,
  registrationOf: (accountId: AccountId) => RegistrationState | null = () => null,
  /** a MESSAGE got no answer at all (Timer F) or hit a transport error: check the PBX now */
  onDeliveryFault: (accountId: AccountId) => void = () => undefined,
): PagerSender {
  return {
    canSend(accountId) {
      const r = registrationOf(accountId);
      if (uaOf(accountId) !== null && (r === null || r.state === 'registered')) return { ready: true };
      return { ready: false, retryAt: r?.state === 'failed' ? r.retryAt : null };
    },
    async send(request) {
      const ua = uaOf(request.accountId);
      if (ua === null) return { kind: 'not-registered' };
      try {
        let refusedRealm: AuthFailure | null = null;
        const response = await sendPagerMessage(ua, toPagerMessage(request), {
          onAuthFailure: (f) => {
            if (f.reason === 'unknown-realm') refusedRealm = f;
          },
        });
        // issue 10: a challenge from a foreign realm was not answered; the user reads why
        const refused = refusedRealm as AuthFailure | null;
        if (refused !== null) return { kind: 'auth-refused', status: response.status, reason: refused.message };
        const outcome = outcomeOf(response);
        // RFC 3261 §17.1.2.2 Timer F / §18.4: the first hop did not answer or is gone; one REGISTER finds
        // out for the whole account, and meanwhile the outbox holds the rest (canSend is false)
        if (outcome.kind === 'timeout' || outcome.kind === 'transport-error') onDeliveryFault(request.accountId);
        return outcome;
      } catch (err) {
        // a target that is no SIP URI, a closed UA: no network fault, but still no rejection (seam contract)
        return { kind: 'transport-error', reason: err instanceof Error ? err.message : String(err) };
      }
    },
    isCongestionControlled(accountId) {
      const ua = uaOf(accountId);
      return ua !== null && ua.protocol !== 'udp';
    },
    largeRequestsCongestionControlled(accountId, target) {
      const ua = uaOf(accountId);
      return ua !== null && ua.largeRequestsCongestionControlled(target);
    },
    estimateRequestSize(request) {
      const ua = uaOf(request.accountId);
      if (ua === null) return request.body.length + 1000;
      try {
        const built = buildPagerMessage(ua, toPagerMessage(request));
        return serializeMessage(built).length + VIA_ALLOWANCE + credentialsSize(ua, built);
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
    fromTag: m.request.fromTag,
    contentTransferEncoding: m.contentTransferEncoding ?? null,
    date: m.date,
    expiresSeconds: m.expiresSeconds,
    dialog: m.inDialog ? { dialogId: `${m.callId};${m.request.toTag ?? ''};${m.request.fromTag ?? ''}` } : null,
  };
}

export function toMessageAnswer(answer: ReceiveAnswer): MessageAnswer {
  if (answer.status === 415) return { status: 415, accept: answer.accept };
  if (answer.status === 200) return { status: 200 };
  if (answer.status === 403) return { status: 403 };
  if (answer.status === 503) return { status: 503, reason: answer.reason, retryAfterSeconds: answer.retryAfterSeconds };
  return { status: answer.status, reason: answer.reason };
}
