/**
 * The SIP side of event publication and subscription for one account (RFC 3903, RFC 6665), over the
 * UA core and its dialog layer:
 * - `publish`: the PublishRequest of publication.ts as a PUBLISH to our own AOR (RFC 3903 §4: the
 *   Request-URI is the presentity), with Event, Expires, SIP-If-Match and the body; reads SIP-ETag,
 *   Expires, Min-Expires and Retry-After from the answer.
 * - `subscriptionPort(target, onNotify)`: the SubscriptionPort of subscription.ts for one resource: an
 *   out-of-dialog SUBSCRIBE (with Contact, Event, Accept, Expires, RFC 6665 §4.1.2.1), the dialog created
 *   from its 2xx (RFC 3261 §12.1.2), refreshes within it, and its NOTIFYs answered 200 and handed over
 *   (also a NOTIFY that overtakes the 2xx, §4.1.2.4).
 */
import { Dialog } from '../dialog/dialog.ts';
import type { DialogLayer } from '../dialog/dialog-layer.ts';
import { createResponse, formatUri, isSipUri, parseSubscriptionState, parseUri } from '../message/index.ts';
import type { SipRequest, SipResponse } from '../message/index.ts';
import { localFailureOf } from '../ua/user-agent-failure.ts';
import { buildRequest } from '../ua/uac-request.ts';
import type { UserAgent } from '../ua/user-agent.ts';
import { imToSip } from '../ua/message-uac.ts';
import type { PublishRequest, PublishResponse } from './publication.ts';
import type { NotifyState, SubscribeResponse, SubscriptionPort } from './subscription.ts';

type Ua = Pick<UserAgent, 'sendRequest' | 'sendRequestDetailed' | 'from' | 'newCallId' | 'newTag' | 'nextCSeq' | 'contact' | 'aor'>;

export interface EventPackage {
  /** Event header value (RFC 6665 §8.2.1), e.g. presence */
  readonly event: string;
  /** the body type of its documents, e.g. application/pidf+xml */
  readonly contentType: string;
}

export const PRESENCE: EventPackage = { event: 'presence', contentType: 'application/pidf+xml' };
/** RFC 3857 §4: the watcher information template package applied to presence, documents RFC 3858 */
export const PRESENCE_WINFO: EventPackage = { event: 'presence.winfo', contentType: 'application/watcherinfo+xml' };

function intHeader(response: SipResponse, name: string): number | null {
  const v = response.headers.get(name);
  if (v === null) return null;
  const m = /^\s*(\d{1,10})/.exec(v);
  return m ? Number(m[1]) : null;
}

export function statusOf(response: SipResponse): number {
  const local = localFailureOf(response);
  if (local !== null) return local.kind === 'timeout' ? 408 : 503;
  return response.status;
}

/** RFC 3903 §4: one PUBLISH as publication.ts asked for it. */
export async function sendPublish(ua: Ua, pkg: EventPackage, r: PublishRequest): Promise<PublishResponse> {
  const from = ua.from();
  const extra: [string, string][] = [
    ['Event', pkg.event],
    ['Expires', String(r.expires)],
  ];
  if (r.ifMatch !== null) extra.push(['SIP-If-Match', r.ifMatch]);
  const request = buildRequest({
    method: 'PUBLISH',
    requestUri: from.uri,
    from: { uri: from.uri, displayName: from.displayName },
    to: { uri: from.uri },
    callId: ua.newCallId(),
    cseq: ua.nextCSeq(),
    extraHeaders: extra,
    ...(r.body !== null ? { body: r.body, contentType: pkg.contentType } : {}),
  });
  const response = await ua.sendRequest(request);
  return {
    status: statusOf(response),
    etag: response.headers.get('SIP-ETag')?.trim() || null,
    expires: intHeader(response, 'Expires'),
    minExpires: intHeader(response, 'Min-Expires'),
    retryAfter: intHeader(response, 'Retry-After'),
  };
}

export interface NotifyEvent {
  readonly state: NotifyState;
  /** the body, when the NOTIFY had one of the package's type */
  readonly body: Buffer | null;
}

/** A SubscriptionPort for one resource; NOTIFYs go to `onNotify`. */
export function subscriptionPort(
  ua: Ua,
  layer: DialogLayer,
  pkg: EventPackage,
  target: string,
  onNotify: (event: NotifyEvent) => void,
): SubscriptionPort {
  const uri = parseUri(imToSip(target));
  if (!isSipUri(uri)) throw new Error(`not a SIP URI: ${target}`);
  let dialog: Dialog | null = null;
  /** the Call-ID and From tag of the SUBSCRIBE in flight, for a NOTIFY that overtakes its 2xx */
  let pending: { callId: string; tag: string } | null = null;
  let withdrawClaim: (() => void) | null = null;

  const headers = (expires: number, contact: string): [string, string][] => [
    ['Event', pkg.event],
    ['Accept', pkg.contentType],
    ['Expires', String(expires)],
    // RFC 6665 §4.1.2.1 / RFC 3261 §8.1.1.8: SUBSCRIBE carries a Contact (it is a target refresh request)
    ['Contact', contact],
  ];

  const answer = (request: SipRequest, respond: (r: SipResponse) => void): void => {
    const raw = request.headers.get('Subscription-State');
    let state: NotifyState;
    try {
      if (raw === null) throw new Error('missing');
      const s = parseSubscriptionState(raw);
      state = { state: s.state, expires: s.expires, reason: s.reason, retryAfter: s.retryAfter };
    } catch {
      // RFC 6665 §8.2.3: Subscription-State is mandatory in NOTIFY
      respond(createResponse(request, 400, 'Bad Subscription-State'));
      return;
    }
    const type = (request.headers.get('Content-Type') ?? '').split(';', 1)[0]?.trim().toLowerCase() ?? '';
    respond(createResponse(request, 200));
    onNotify({ state, body: request.body.length > 0 && type === pkg.contentType ? request.body : null });
  };

  const usage = {
    onRequest(request: SipRequest, channel: { respond(r: SipResponse): void }): void {
      if (request.method !== 'NOTIFY') {
        channel.respond(createResponse(request, 405));
        return;
      }
      if (dialog !== null) dialog.refreshTarget(request);
      answer(request, (r) => channel.respond(r));
    },
    onAck(): void {},
  };

  const drop = (): void => {
    if (dialog !== null) layer.remove(dialog);
    dialog?.terminate();
    dialog = null;
  };

  const toResult = (response: SipResponse): SubscribeResponse => ({
    status: statusOf(response),
    expires: intHeader(response, 'Expires'),
    minExpires: intHeader(response, 'Min-Expires'),
    retryAfter: intHeader(response, 'Retry-After'),
  });

  return {
    async subscribe(expires) {
      drop();
      const from = ua.from();
      const callId = ua.newCallId();
      const tag = ua.newTag();
      const contact = ua.contact();
      pending = { callId, tag };
      withdrawClaim?.();
      withdrawClaim = layer.addEarlyClaim((request, channel) => {
        if (request.method !== 'NOTIFY' || pending === null) return false;
        if (request.callId !== pending.callId || request.toTag !== pending.tag) return false;
        if (channel !== null) answer(request, (r) => channel.respond(r));
        return true;
      });
      const request = buildRequest({
        method: 'SUBSCRIBE',
        requestUri: uri,
        from: { uri: from.uri, displayName: from.displayName },
        to: { uri: formatUri(uri) },
        callId,
        localTag: tag,
        cseq: ua.nextCSeq(),
        extraHeaders: headers(expires, contact),
      });
      try {
        const attempt = await ua.sendRequestDetailed(request);
        const response = attempt.response;
        if (response.status >= 200 && response.status < 300 && localFailureOf(response) === null) {
          const d = Dialog.asUac(attempt.request, response, contact);
          if (d !== null) {
            dialog = d;
            layer.add(d, usage);
          }
        }
        return toResult(response);
      } finally {
        pending = null;
        withdrawClaim?.();
        withdrawClaim = null;
      }
    },
    async refresh(expires) {
      if (dialog === null) return { status: 481, expires: null, minExpires: null, retryAfter: null };
      const request = dialog.createRequest('SUBSCRIBE', { extraHeaders: headers(expires, dialog.localContact) });
      const response = await ua.sendRequest(request);
      if (response.status >= 200 && response.status < 300) dialog?.refreshTarget(response);
      return toResult(response);
    },
    drop,
  };
}
