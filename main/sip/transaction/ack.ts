/**
 * The ACK an INVITE client transaction generates for a 300-699 final response, RFC 3261 §17.1.1.3.
 * (The ACK for a 2xx is built by the UAC core / dialog, §13.2.2.4: it is a transaction of its own.)
 */
import { SipRequest } from '../message/index.ts';
import type { SipResponse } from '../message/index.ts';

export function createAckForNonSuccess(invite: SipRequest, response: SipResponse): SipRequest {
  const headers: Array<readonly [string, string]> = [];
  // "The Via header field in the ACK MUST contain only a single value, equal to the top Via header field
  // of the original request" (same branch: the ACK belongs to the INVITE transaction, §17.2.3).
  const topVia = invite.headers.getAll('via')[0];
  if (topVia === undefined) throw new Error('createAckForNonSuccess: the INVITE has no Via (RFC 3261 §8.1.1.7)');
  headers.push(['Via', topVia]);
  // "If the INVITE request whose response is being acknowledged had Route header fields, those header
  // fields MUST appear in the ACK. This is to ensure that the ACK can be routed properly through any
  // downstream stateless proxies."
  for (const route of invite.headers.getAll('route')) headers.push(['Route', route]);
  // §8.1.1.6: every request carries Max-Forwards; keep the INVITE's value.
  headers.push(['Max-Forwards', invite.headers.get('max-forwards') ?? '70']);
  // "The ACK request constructed by the client transaction MUST contain values for the Call-ID, From, and
  // Request-URI that are equal to the values of those header fields in the request passed to the
  // transport by the client transaction (call this the 'original request'). The To header field in the
  // ACK MUST equal the To header field in the response being acknowledged".
  headers.push(['From', requireHeader(invite.headers.get('from'), 'From')]);
  headers.push(['To', requireHeader(response.headers.get('to'), 'To')]);
  headers.push(['Call-ID', invite.callId]);
  // "The CSeq header field in the ACK MUST contain the same value for the sequence number as was present
  // in the original request, but the method parameter MUST be equal to 'ACK'."
  headers.push(['CSeq', `${invite.cseq.seq} ACK`]);
  return new SipRequest({ method: 'ACK', uri: invite.uri, headers });
}

function requireHeader(value: string | null, name: string): string {
  if (value === null) throw new Error(`createAckForNonSuccess: missing ${name}`);
  return value;
}
