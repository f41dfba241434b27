/** A DialogUserAgent that records what the session sends; the test answers by hand. */
import { createResponse, parseMessage, SipRequest } from '../../../../main/sip/message/index.ts';
import type { SipResponse } from '../../../../main/sip/message/index.ts';
import type { DialogUserAgent, InviteHandlers, ResponseChannel } from '../../../../main/sip/dialog/index.ts';

export interface SentInvite {
  readonly request: SipRequest;
  readonly handlers: InviteHandlers;
  cancelled: boolean;
}

export class FakeUa implements DialogUserAgent {
  readonly invites: SentInvite[] = [];
  readonly requests: { request: SipRequest; resolve: (r: SipResponse) => void }[] = [];
  readonly acks: SipRequest[] = [];

  sendRequest(request: SipRequest): Promise<SipResponse> {
    return new Promise((resolve) => this.requests.push({ request, resolve }));
  }
  sendInvite(request: SipRequest, handlers: InviteHandlers) {
    const sent: SentInvite = { request, handlers, cancelled: false };
    this.invites.push(sent);
    return { cancel: () => void (sent.cancelled = true) };
  }
  sendAck(ack: SipRequest): void {
    this.acks.push(ack);
  }
  /** methods of the non-INVITE requests sent so far */
  methods(): string[] {
    return this.requests.map((r) => r.request.method);
  }
}

export class Channel implements ResponseChannel {
  readonly responses: SipResponse[] = [];
  respond(response: SipResponse): void {
    this.responses.push(response);
  }
  get statuses(): number[] {
    return this.responses.map((r) => r.status);
  }
}

export const REMOTE_SDP = [
  'v=0', 'o=bob 1 1 IN IP4 127.0.0.1', 's=-', 'c=IN IP4 127.0.0.1', 't=0 0',
  'm=audio 40000 RTP/AVP 8 0 101', 'a=rtpmap:8 PCMA/8000', 'a=rtpmap:0 PCMU/8000', 'a=rtpmap:101 telephone-event/8000',
  'a=fmtp:101 0-16', 'a=ptime:20', 'a=sendrecv', '',
].join('\r\n');

export function sdpWith(lines: { media?: string; direction?: string }): string {
  return REMOTE_SDP.replace('m=audio 40000 RTP/AVP 8 0 101', lines.media ?? 'm=audio 40000 RTP/AVP 8 0 101').replace(
    'a=sendrecv',
    `a=${lines.direction ?? 'sendrecv'}`,
  );
}

/** a response from the far end to `request`, with their tag, Contact and Record-Route */
export function answer(request: SipRequest, status: number, opts: { tag?: string; body?: string; recordRoute?: string[]; contact?: string; headers?: [string, string][] } = {}): SipResponse {
  const headers: [string, string][] = [['Contact', opts.contact ?? '<sip:bob@10.0.0.2:5070>'], ...(opts.headers ?? [])];
  for (const rr of opts.recordRoute ?? []) headers.push(['Record-Route', rr]);
  if (opts.body !== undefined) headers.push(['Content-Type', 'application/sdp']);
  const r = createResponse(request, status, undefined, {
    ...(status > 100 ? { toTag: opts.tag ?? 'bobtag' } : {}),
    headers,
    ...(opts.body !== undefined ? { body: opts.body } : {}),
  });
  // the UA core adds the Via when it sends; a response always carries it back
  if (r.headers.get('Via') === null) r.headers.prepend('Via', 'SIP/2.0/UDP 127.0.0.1:5060;branch=z9hG4bKtest');
  // through the parser, as off the wire
  return parseMessage(Buffer.from(serialize(r))) as SipResponse;
}

function serialize(r: SipResponse): string {
  const lines = [`SIP/2.0 ${r.status} ${r.reason}`];
  for (const h of r.headers) lines.push(`${h.name}: ${h.value}`);
  lines.push(`Content-Length: ${r.body.length}`, '', '');
  return lines.join('\r\n') + r.body.toString('utf8');
}

/** an INVITE from bob (as Kamailio would relay it: Record-Route, Via) */
export function incomingInvite(opts: { body?: string; recordRoute?: string[]; callId?: string; cseq?: number; toTag?: string; method?: string; headers?: string[]; contentType?: string } = {}): SipRequest {
  const body = opts.body ?? REMOTE_SDP;
  const method = opts.method ?? 'INVITE';
  const lines = [
    `${method} sip:alice@127.0.0.1:5060 SIP/2.0`,
    'Via: SIP/2.0/UDP 10.0.0.1:5060;branch=z9hG4bKproxy1',
    'Via: SIP/2.0/UDP 10.0.0.2:5070;branch=z9hG4bKbob1',
    ...(opts.recordRoute ?? ['<sip:10.0.0.1;lr>']).map((r) => `Record-Route: ${r}`),
    'From: "Bob" <sip:bob@example.test>;tag=bobtag',
    `To: <sip:alice@example.test>${opts.toTag !== undefined ? `;tag=${opts.toTag}` : ''}`,
    `Call-ID: ${opts.callId ?? 'call-1@10.0.0.2'}`,
    `CSeq: ${opts.cseq ?? 1} ${method}`,
    'Contact: <sip:bob@10.0.0.2:5070>',
    'Max-Forwards: 69',
    ...(opts.headers ?? []),
    ...(body.length > 0 ? [`Content-Type: ${opts.contentType ?? 'application/sdp'}`] : []),
    `Content-Length: ${Buffer.byteLength(body)}`,
    '',
    body,
  ];
  return parseMessage(Buffer.from(lines.join('\r\n'))) as SipRequest;
}

export { SipRequest };
