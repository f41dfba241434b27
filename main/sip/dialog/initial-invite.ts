/** The initial INVITE of an outgoing call (RFC 3261 §8.1.1, §13.2.1): To = Request-URI, Contact, SDP offer. */
import type { SipRequest, Uri } from '../message/index.ts';
import { buildRequest } from '../ua/uac-request.ts';
import { ALLOW } from './server-invite.ts';
import { SDP_TYPE } from './offer-answer.ts';

export interface OutgoingInvite {
  /** Request-URI and To (§8.1.1.1) */
  readonly target: Uri | string;
  readonly from: { readonly uri: Uri | string; readonly displayName?: string | null };
  readonly toDisplayName?: string | null;
  readonly callId?: string;
}

/** `extraHeaders`: RFC 4028 Supported/Session-Expires/Min-SE; `retry`: the same From tag, a later CSeq (422 retry) */
export function buildInitialInvite(
  out: OutgoingInvite,
  contact: string,
  offer: string,
  extraHeaders: readonly [string, string][] = [],
  retry?: { readonly localTag: string; readonly cseq: number },
): SipRequest {
  return buildRequest({
    method: 'INVITE',
    requestUri: out.target,
    from: out.from,
    to: { uri: out.target, displayName: out.toDisplayName ?? null },
    ...(out.callId !== undefined ? { callId: out.callId } : {}),
    cseq: retry?.cseq ?? 1,
    ...(retry !== undefined ? { localTag: retry.localTag } : {}),
    contact,
    body: offer,
    contentType: SDP_TYPE,
    extraHeaders: [['Allow', ALLOW], ...extraHeaders],
  });
}
