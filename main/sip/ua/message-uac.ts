/**
 * Pager-mode MESSAGE as a UAC (RFC 3428 §4, §5, §7):
 *  - no Contact (§4: "MESSAGE requests do not create dialogs" — a UA SHOULD NOT put Contact in it);
 *  - a new Call-ID for every out-of-dialog MESSAGE (§4);
 *  - Date always (the instant the user sent it, the same on every re-send), Expires when set (§7);
 *  - im: targets become sip: (§5: "If the Request-URI is an IM URI, the UAC SHOULD resolve it to a SIP
 *    URI"); Route never carries an im: URI;
 *  - inside a dialog (§3 in-call messages) the dialog's Call-ID, tags, CSeq, remote target and route set.
 */
import { createHash } from 'node:crypto';
import { BRANCH_MAGIC_COOKIE, formatUri, isSipUri, parseUri } from '../message/index.ts';
import type { NameAddr, SipRequest, SipResponse, Uri } from '../message/index.ts';
import type { Endpoint } from '../transport/index.ts';
import { buildRequest } from './uac-request.ts';
import type { UserAgent } from './user-agent.ts';
import type { SendRequestOptions } from './user-agent-options.ts';

/** What the dialog layer provides for an in-dialog MESSAGE (RFC 3261 §12.2.1.1). */
export interface MessageDialogContext {
  readonly callId: string;
  readonly localTag: string;
  readonly remoteTag: string;
  /** remote URI (To) and local URI (From) of the dialog */
  readonly remoteUri: string;
  readonly localUri: string;
  readonly remoteTarget: string;
  readonly routeSet: readonly string[];
  nextCSeq(): number;
}

export interface PagerMessage {
  /** sip:, sips: or im: URI of the recipient */
  readonly target: string;
  readonly body: Buffer;
  readonly contentType: string;
  /** Expires in seconds from `date` (RFC 3428 §7); null = none */
  readonly expiresSeconds: number | null;
  readonly date: Date;
  readonly dialog?: MessageDialogContext | null;
  /**
   * Out of dialog: the Call-ID, CSeq and From tag to send with, when the caller keeps them (a re-send
   * after a restart is then the same request, RFC 3261 §17.2.3); default new ones (§8.1.1.3-§8.1.1.5).
   */
  readonly wire?: PagerWireIds | null;
  /**
   * Content-Disposition of the body (RFC 3261 §20.11); an S/MIME body carries
   * `attachment;handling=required` (RFC 3261 §23.4.3, RFC 3428 §11.3) so a UA that cannot read it refuses it.
   */
  readonly contentDisposition?: string | null;
  /** Content-Transfer-Encoding of the body (RFC 2045 §6; RFC 8551 §3.1.3 base64 for S/MIME) */
  readonly contentTransferEncoding?: string | null;
}

/** The identifiers that make two sends of a MESSAGE one request to the receiver (RFC 3261 §17.2.3). */
export interface PagerWireIds {
  readonly callId: string;
  readonly cseq: number;
  readonly fromTag: string;
}

/** RFC 3428 §5: im:user@host → sip:user@host (other schemes unchanged). */
export function imToSip(target: string): string {
  const t = target.trim();
  return /^im:/i.test(t) ? `sip:${t.slice(3)}` : t;
}

function sipTarget(target: string): Uri {
  const uri = parseUri(imToSip(target));
  if (!isSipUri(uri)) throw new Error(`MESSAGE: cannot send to a ${uri.scheme}: URI`);
  return uri;
}

/** RFC 3261 §20.17: SIP-date is the RFC 1123 form in GMT. */
export function sipDate(date: Date): string {
  return date.toUTCString();
}

/** Builds the MESSAGE (exported for size estimates and tests). */
export function buildPagerMessage(ua: UserAgent, message: PagerMessage) {
  const headers: [string, string][] = [['Date', sipDate(message.date)]];
  if (message.expiresSeconds !== null) headers.push(['Expires', String(Math.max(0, Math.floor(message.expiresSeconds)))]);
  if (ua.userAgentHeader !== null) headers.push(['User-Agent', ua.userAgentHeader]);
  if (message.contentDisposition) {
    if (/[\r\n]/.test(message.contentDisposition)) throw new Error('Content-Disposition with a line break');
    headers.push(['Content-Disposition', message.contentDisposition]);
  }
  if (message.contentTransferEncoding) {
    if (!/^[A-Za-z0-9-]+$/.test(message.contentTransferEncoding)) throw new Error('bad Content-Transfer-Encoding');
    headers.push(['Content-Transfer-Encoding', message.contentTransferEncoding]);
  }
  const dialog = message.dialog ?? null;
  if (dialog !== null) {
    return buildRequest({
      method: 'MESSAGE',
      requestUri: sipTarget(dialog.remoteTarget),
      from: { uri: dialog.localUri },
      localTag: dialog.localTag,
      to: { uri: dialog.remoteUri, tag: dialog.remoteTag },
      callId: dialog.callId,
      cseq: dialog.nextCSeq(),
      routeSet: dialog.routeSet.map((r) => imToSip(r)),
      body: message.body,
      contentType: message.contentType,
      extraHeaders: headers,
    });
  }
  const target = sipTarget(message.target);
  const from: NameAddr = ua.from();
  return buildRequest({
    method: 'MESSAGE',
    requestUri: target,
    from: { uri: from.uri, displayName: from.displayName },
    to: { uri: formatUri(target) },
    callId: message.wire?.callId ?? ua.newCallId(),
    cseq: message.wire?.cseq ?? ua.nextCSeq(),
    ...(message.wire ? { localTag: message.wire.fromTag } : {}),
    body: message.body,
    contentType: message.contentType,
    extraHeaders: headers,
  });
}

/**
 * The Via branch of a MESSAGE whose identity the caller keeps (RFC 3261 §17.2.3): a function of its
 * Call-ID, From tag, CSeq and the transport it goes over, so sending the same request again — after a
 * restart or a broken connection, the first transaction lost — is a retransmission every RFC 3261 server
 * matches (a proxy's transaction re-sends its final response instead of forwarding a second copy), while
 * any other request (a digest retry or a deliberate new attempt: another CSeq; another message: another
 * 128-bit random Call-ID) gets another branch, unique as §8.1.1.7 requires. Starts with the magic cookie.
 */
export function keptBranch(request: SipRequest, destination: Endpoint): string {
  const id = [request.callId, request.fromTag ?? '', String(request.cseq.seq), request.method, destination.protocol].join('\n');
  return BRANCH_MAGIC_COOKIE + createHash('sha256').update(id).digest('base64url').slice(0, 22);
}

/** Sends one MESSAGE and resolves with its final response (a synthesized 408/503 on timeout / transport failure). */
export function sendPagerMessage(ua: UserAgent, message: PagerMessage, options: Pick<SendRequestOptions, 'onAuthFailure' | 'onProvisional'> = {}): Promise<SipResponse> {
  const request = buildPagerMessage(ua, message);
  // a kept identity (out of dialog): every send of the same CSeq is the same transaction to the servers
  const kept = message.wire !== undefined && message.wire !== null && (message.dialog ?? null) === null;
  return ua.sendRequest(request, kept ? { ...options, branchFor: keptBranch } : options);
}
