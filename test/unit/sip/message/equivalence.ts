import type { SipMessage } from '../../../../main/sip/message/index.ts';

/** A comparable view of a parsed message: start line, header fields (Content-Length excluded: the serializer always writes it), body. */
export function messageView(m: SipMessage): unknown {
  const headers = m.headers.toArray().filter((h) => !['content-length', 'l'].includes(h.name.toLowerCase()));
  const start = m.kind === 'request' ? { method: m.method, uri: m.uriText } : { status: m.status, reason: m.reason };
  return { kind: m.kind, start, headers, body: m.body.toString('hex') };
}
