/** Builds small SIP messages for transport tests. */
import { parseMessage, type SipMessage } from '../../../../main/sip/message/index.ts';

export function requestText(via: string, options: { method?: string; body?: string; callId?: string } = {}): string {
  const method = options.method ?? 'OPTIONS';
  const body = options.body ?? '';
  return (
    `${method} sip:example.test SIP/2.0\r\n` +
    `Via: ${via}\r\n` +
    'Max-Forwards: 70\r\n' +
    'From: <sip:alice@example.test>;tag=a1\r\n' +
    'To: <sip:example.test>\r\n' +
    `Call-ID: ${options.callId ?? 'call-1@test'}\r\n` +
    `CSeq: 1 ${method}\r\n` +
    `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`
  );
}

export function request(via: string, options: { method?: string; body?: string; callId?: string } = {}): SipMessage {
  return parseMessage(Buffer.from(requestText(via, options)), { datagram: true });
}

export function responseText(via: string, status = 200, reason = 'OK', callId = 'call-1@test'): string {
  return (
    `SIP/2.0 ${status} ${reason}\r\n` +
    `Via: ${via}\r\n` +
    'From: <sip:alice@example.test>;tag=a1\r\n' +
    'To: <sip:example.test>;tag=b2\r\n' +
    `Call-ID: ${callId}\r\n` +
    'CSeq: 1 OPTIONS\r\n' +
    'Content-Length: 0\r\n\r\n'
  );
}
