/**
 * Transaction matching, RFC 3261 §17.1.3 (responses to client transactions) and §17.2.3 (requests to
 * server transactions, with the RFC 2543 fallback), §9.2 (CANCEL to the INVITE it cancels).
 */
import { uriEquals } from '../message/index.ts';
import type { SipRequest, SipResponse, Via } from '../message/index.ts';
import { isRfc3261Branch } from '../message/index.ts';

/**
 * §17.1.3: "1. If the response has the same value of the branch parameter in the top Via header field as
 * the branch parameter in the top Via header field of the request that created the transaction. 2. If
 * the method parameter in the CSeq header field matches the method of the request that created the
 * transaction. The method is needed since a CANCEL request constitutes a different transaction, but
 * shares the same value of the branch parameter."
 */
export function clientTransactionKey(branch: string, method: string): string {
  return `${branch}\u0000${method}`;
}

/** The client key a response selects, or undefined when it has no top Via branch or CSeq. */
export function clientKeyOfResponse(response: SipResponse): string | undefined {
  const branch = response.topVia?.branch;
  if (branch === undefined || branch === null || branch === '') return undefined;
  return clientTransactionKey(branch, response.cseq.method);
}

/** sent-by of a Via (§18.2.1: host and port), host case-insensitive. */
function sentBy(via: Via): string {
  return `${via.host.toLowerCase()}:${via.port ?? ''}`;
}

/**
 * §17.2.3 for a branch with the magic cookie: "1. the branch parameter in the request is equal to the one
 * in the top Via header field of the request that created the transaction, and 2. the sent-by value in
 * the top Via of the request is equal to the one in the request that created the transaction, and 3. the
 * method of the request matches the one that created the transaction, except for ACK, where the method of
 * the request that created the transaction is INVITE."
 * Returns undefined for requests that need the RFC 2543 fallback.
 * Getters throw SipParseError on a missing/malformed Via: the layer guards the call.
 */
export function serverTransactionKey(request: SipRequest, methodOverride?: string): string | undefined {
  const via = request.topVia;
  if (via === null || !isRfc3261Branch(via.branch)) return undefined;
  const method = methodOverride ?? (request.method === 'ACK' ? 'INVITE' : request.method);
  // join copies into one flat string: a template literal makes a V8 cons string whose parts are slices
  // of the whole request text, and the key of a transaction in Completed (32 s over UDP) would keep that
  // text alive (issue 18: the transaction keeps bytes, not the parsed request)
  return [via.branch, sentBy(via), method].join('\u0000');
}

function sameVia(a: Via | null, b: Via | null): boolean {
  if (a === null || b === null) return false;
  if (a.protocol.toUpperCase() !== b.protocol.toUpperCase() || a.transport.toUpperCase() !== b.transport.toUpperCase()) return false;
  if (a.host.toLowerCase() !== b.host.toLowerCase() || a.port !== b.port || a.params.size !== b.params.size) return false;
  for (const [name, value] of a.params) {
    if (!b.params.has(name) || b.params.get(name) !== value) return false;
  }
  return true;
}

/**
 * §17.2.3 RFC 2543 fallback (branch absent or without the cookie). `created` is the request that created
 * the server transaction, `responseToTag` the To tag of the response it sent (for ACK matching).
 * "The INVITE request matches a transaction if the Request-URI, To tag, From tag, Call-ID, CSeq, and top
 * Via header field match those of the INVITE request which created the transaction. ... The ACK request
 * matches a transaction if the Request-URI, From tag, Call-ID, CSeq number (not the method), and top Via
 * header field match those of the INVITE request which created the transaction, and the To tag of the
 * ACK matches the To tag of the response sent by the server transaction. ... For all other request
 * methods, a request is matched to a transaction if the Request-URI, To tag, From tag, Call-ID, CSeq
 * (including the method), and top Via header field match those of the request that created the
 * transaction." `asMethod` treats the request as that method (a CANCEL looking for its INVITE, §9.2).
 */
export function matchesLegacyTransaction(
  request: SipRequest,
  created: SipRequest,
  responseToTag: string | null,
  asMethod?: string,
): boolean {
  const isAck = request.method === 'ACK';
  const method = asMethod ?? (isAck ? 'INVITE' : request.method);
  if (created.method !== method) return false;
  const cseq = request.cseq;
  const createdCseq = created.cseq;
  if (cseq.seq !== createdCseq.seq) return false;
  if (!isAck && asMethod === undefined && cseq.method !== createdCseq.method) return false;
  if (request.callId !== created.callId || request.fromTag !== created.fromTag) return false;
  if (isAck ? request.toTag !== responseToTag : request.toTag !== created.toTag) return false;
  if (!uriEquals(request.uri, created.uri)) return false;
  return sameVia(request.topVia, created.topVia);
}
