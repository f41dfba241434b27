/**
 * Pager-mode MESSAGE as a UAS (RFC 3428 §7): the request is handed to an async receiver; the response is
 * sent only once the receiver resolved (so a 200 means "stored"). A 2xx carries no body and no Contact
 * (§7: "A 200 OK ... MUST NOT contain a body" and no dialog is created); a 415 lists what we accept.
 */
import { createResponse, formatUri, parseDeltaSeconds, reasonPhrase } from '../message/index.ts';
import type { SipRequest } from '../message/index.ts';
import type { ServerTransaction } from '../transaction/index.ts';
import type { InboundMessage } from '../transport/index.ts';
import { newTag } from './uac-request.ts';
import type { UserAgent } from './user-agent.ts';

export interface IncomingMessage {
  readonly request: SipRequest;
  readonly inbound: InboundMessage;
  /** From URI as text and its display name */
  readonly from: string;
  readonly fromDisplayName: string | null;
  readonly contentType: string | null;
  /** Content-Transfer-Encoding of the body (RFC 2045 §6; S/MIME may come base64, RFC 8551 §3.1.3) */
  readonly contentTransferEncoding?: string | null;
  readonly body: Buffer;
  readonly callId: string;
  readonly cseq: number;
  /** the Date header (null when absent or unreadable) */
  readonly date: Date | null;
  readonly expiresSeconds: number | null;
  /** a To tag: the MESSAGE came inside a dialog */
  readonly inDialog: boolean;
}

export interface MessageAnswer {
  readonly status: number;
  readonly reason?: string;
  /** for a 415: the Accept list (RFC 3261 §21.4.16) */
  readonly accept?: readonly string[];
  /** for a 503: the Retry-After header in seconds (RFC 3261 §20.33, §21.5.4) */
  readonly retryAfterSeconds?: number;
}

export type MessageReceiver = (incoming: IncomingMessage) => Promise<MessageAnswer>;

// header names in lower case: their canonical form, so no lower-cased copy is made per lookup (issue 18)
function readIncoming(request: SipRequest, inbound: InboundMessage): IncomingMessage {
  let date: Date | null;
  try {
    const d = request.date;
    date = d === null ? null : new Date(d);
  } catch {
    date = null;
  }
  let expiresSeconds: number | null = null;
  const expiresText = request.headers.get('expires');
  if (expiresText !== null) {
    try {
      expiresSeconds = parseDeltaSeconds(expiresText);
    } catch {
      expiresSeconds = null;
    }
  }
  const from = request.from;
  return {
    request,
    inbound,
    from: formatUri(from.uri),
    fromDisplayName: from.displayName,
    contentType: request.headers.get('content-type'),
    contentTransferEncoding: request.headers.get('content-transfer-encoding'),
    body: request.body,
    callId: request.callId,
    cseq: request.cseq.seq,
    date,
    expiresSeconds,
    inDialog: request.toTag !== null,
  };
}

const FAILED: MessageAnswer = Object.freeze({ status: 500, reason: 'Server Internal Error' });

/**
 * Answers a MESSAGE from the receiver's verdict; 500 if the receiver failed (threw or rejected).
 * Not an async function: one `then` instead of a suspended frame per MESSAGE (issue 18).
 */
export function answerMessage(request: SipRequest, tx: ServerTransaction, inbound: InboundMessage, receiver: MessageReceiver): Promise<void> {
  let verdict: Promise<MessageAnswer>;
  try {
    verdict = receiver(readIncoming(request, inbound));
  } catch {
    respond(request, tx, FAILED);
    return Promise.resolve();
  }
  return verdict.then(
    (answer) => respond(request, tx, answer),
    () => respond(request, tx, FAILED),
  );
}

function respond(request: SipRequest, tx: ServerTransaction, answer: MessageAnswer): void {
  // no Contact, no body in any response to MESSAGE (RFC 3428 §7)
  const toTag = request.toTag ?? newTag();
  const reason = answer.reason ?? reasonPhrase(answer.status);
  if (answer.status !== 415 && answer.retryAfterSeconds === undefined) {
    // the usual 200: no extra header (issue 18: no list built for nothing)
    tx.respond(createResponse(request, answer.status, reason, { toTag }));
    return;
  }
  const headers: [string, string][] = [];
  if (answer.status === 415) headers.push(['Accept', (answer.accept ?? ['text/plain']).join(', ')]);
  if (answer.retryAfterSeconds !== undefined) headers.push(['Retry-After', String(Math.max(0, Math.trunc(answer.retryAfterSeconds)))]);
  tx.respond(createResponse(request, answer.status, reason, { toTag, headers }));
}

/**
 * Registers the MESSAGE UAS on `ua`. `acceptedTypes` drive the §8.2.3 check (415 with Accept before the
 * receiver sees the request). Returns the unregister function.
 */
export function handleMessages(ua: UserAgent, receiver: MessageReceiver, acceptedTypes: readonly string[] = ['text/plain', 'message/cpim']): () => void {
  return ua.onRequest(
    'MESSAGE',
    (request, tx, inbound) => {
      void answerMessage(request, tx, inbound, receiver);
    },
    { acceptedTypes },
  );
}
