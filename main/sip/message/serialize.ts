import type { SipMessage } from './message.ts';

/**
 * Writes a message (RFC 3261 §7): start line, header fields as held (names as written, unknown
 * headers verbatim and in order), Content-Length set to the body's octet count (§20.14), body bytes.
 */
export function serializeMessage(msg: SipMessage): Buffer {
  let head = msg.kind === 'request' ? `${msg.method} ${msg.uriText} SIP/2.0\r\n` : `SIP/2.0 ${msg.status} ${msg.reason}\r\n`;
  const body = msg.body;
  let wroteLength = false;
  const entries = msg.headers.raw();
  for (let i = 0; i < entries.length; i++) {
    const e = entries[i];
    if (e === undefined) continue;
    if (e.key === 'content-length') {
      if (wroteLength) continue;
      wroteLength = true;
      head += `${e.name}: ${body.length}\r\n`;
      continue;
    }
    head += `${e.name}: ${e.value}\r\n`;
  }
  if (!wroteLength) head += `Content-Length: ${body.length}\r\n`;
  head += '\r\n';
  const headLength = Buffer.byteLength(head);
  const out = Buffer.allocUnsafe(headLength + body.length);
  out.write(head, 0, 'utf8');
  body.copy(out, headLength);
  return out;
}
