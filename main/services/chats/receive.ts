/**
 * An incoming pager-mode MESSAGE (RFC 3428 §7): decode the body, work out expiry, store it once, emit.
 * The UAS answers with the returned status only after this resolves, so 200 means "stored" (or a
 * duplicate of something stored): the message goes through the group commit (incoming-commit.ts) and
 * the answer waits for the transaction holding it. A storage fault answers 500 so the sender may try
 * again; a backlog past its bound answers 503 with Retry-After at once (nothing stored).
 */
import type { AccountId } from '#shared/domain/ids.ts';
import type { Emit } from '../../ipc/event-bus.ts';
import type { Storage } from '../../storage/storage.ts';
import { normalizeContactAddress } from '../contacts.ts';
import type { CpimMessage } from '../../sip/ua/cpim.ts';
import { decodeIncomingBody, type DecodedBody } from './incoming-body.ts';
import { isSmime, type MessageProtection, openIncomingSmime, protectionDto, type SmimeReceiveDeps } from './smime-receive.ts';
import { ACCEPTED_TYPES, ACCEPTED_TYPES_SMIME, type IncomingPagerMessage, type ReceiveAnswer } from './pager.ts';
import type { CommitOutcome, IncomingCommitter } from './incoming-commit.ts';

export type ReceiveStore = Pick<Storage, 'storeIncomingBatch' | 'getConversation'>;

export interface ReceiveDeps {
  /** group commit into storage (incoming-commit.ts): resolves after the commit that stored the message */
  readonly commit: Pick<IncomingCommitter, 'submit'>;
  readonly emit: Emit;
  readonly now: () => number;
  readonly onError: (message: string, error: unknown) => void;
  /** S/MIME (RFC 3428 §11.3); absent = protected bodies are refused with 415 like any unknown type */
  readonly smime?: SmimeReceiveDeps & { readonly onProtected?: (messageId: string, protection: MessageProtection) => void };
  /** receipts (RFC 5438); absent = IMDNs are answered 415 like any unknown type and none are sent */
  readonly receipts?: ReceiptsPort;
  /** the user blocked this sender (message-requests.ts): its MESSAGEs get 403 and are not stored */
  readonly isBlocked?: (peer: string) => boolean;
}

/** What receive needs from the receipts service (services/receipts). */
export interface ReceiptsPort {
  /** an IMDN from `peer` (the SIP From): matched, never stored as a message */
  receive(accountId: AccountId, peer: string, cpim: CpimMessage): Promise<200 | 400>;
  /** a content message from `peer` was stored: send `delivered` if asked (§7.2.1.1) */
  stored(accountId: AccountId, peer: string, cpim: CpimMessage): void;
}

/** The sender's address as a conversation peer; a From URI our strict parser refuses is kept as written. */
function normalizedPeer(from: string): string {
  try {
    return normalizeContactAddress(from).uri;
  } catch {
    return from.trim();
  }
}

/** how many From URIs peerAddress remembers; past it the memo starts over (bounded whatever senders send) */
export const PEER_MEMO_LIMIT = 256;
const peerMemo = new Map<string, string>();

/**
 * normalizedPeer, remembered: a sender writes the same From URI in every MESSAGE, and re-parsing it
 * (regular expressions, several strings) cost ~1 µs per MESSAGE (issue 18). Pure, so the memo never
 * changes the answer.
 */
export function peerAddress(from: string): string {
  let peer = peerMemo.get(from);
  if (peer === undefined) {
    peer = normalizedPeer(from);
    if (peerMemo.size >= PEER_MEMO_LIMIT) peerMemo.clear();
    peerMemo.set(from, peer);
  }
  return peer;
}

/** for tests: how many From URIs are remembered */
export function peerMemoSize(): number {
  return peerMemo.size;
}

function validTime(d: Date | null): number | null {
  const t = d?.getTime();
  return t === undefined || Number.isNaN(t) ? null : t;
}

/**
 * Not an async function (issue 18): the usual MESSAGE (no S/MIME) runs to the group commit with one
 * `then` for its outcome instead of a suspended frame; a throw before that is a rejection, as it was.
 */
export function receiveMessage(deps: ReceiveDeps, accountId: AccountId, incoming: IncomingPagerMessage): Promise<ReceiveAnswer> {
  try {
    // the From URI parsed once per message: the block check, receipts and the conversation all use it
    const peer = peerAddress(incoming.from);
    // a blocked sender (issue 10): RFC 3261 §21.4.4 403, before any decoding, S/MIME work or storage
    if (deps.isBlocked?.(peer)) return Promise.resolve({ status: 403 });
    // an empty MESSAGE carries nothing to show: accepted, nothing stored
    if (incoming.body.length === 0) return Promise.resolve({ status: 200 });
    if (deps.smime && isSmime(incoming.contentType)) return receiveProtected(deps, deps.smime, accountId, incoming, peer);
    return receiveOpened(deps, accountId, incoming, peer, incoming, null);
  } catch (e) {
    return Promise.reject(e as Error);
  }
}

async function receiveProtected(
  deps: ReceiveDeps,
  smime: NonNullable<ReceiveDeps['smime']>,
  accountId: AccountId,
  incoming: IncomingPagerMessage,
  peer: string,
): Promise<ReceiveAnswer> {
  const opened = await openIncomingSmime(smime, accountId, incoming).catch((e: unknown) => {
    deps.onError('opening an S/MIME message failed', e);
    return { ok: false as const, answer: { status: 500 as const, reason: 'Could not open the protected message' } };
  });
  if (!opened.ok) return opened.answer;
  return receiveOpened(deps, accountId, incoming, peer, opened.message, opened.protection);
}

/** `m` is `incoming` itself or what S/MIME opened from it (`protection` then says how it was protected) */
function receiveOpened(
  deps: ReceiveDeps,
  accountId: AccountId,
  incoming: IncomingPagerMessage,
  peer: string,
  m: IncomingPagerMessage,
  protection: MessageProtection | null,
): Promise<ReceiveAnswer> {
  const decoded = decodeIncomingBody(m);
  if (decoded.ok === 'notification') {
    if (!deps.receipts) return Promise.resolve({ status: 415, accept: ACCEPTED_TYPES });
    return deps.receipts
      .receive(accountId, m.from === incoming.from ? peer : peerAddress(m.from), decoded.cpim)
      .then((status): ReceiveAnswer => (status === 200 ? { status } : { status, reason: 'Malformed IMDN' }));
  }
  if (!decoded.ok) {
    // RFC 3261 §21.4.16: the Accept of a 415 lists what we take, protected bodies included when we can open them
    if (decoded.answer.status === 415 && deps.smime && protection === null) return Promise.resolve({ status: 415, accept: ACCEPTED_TYPES_SMIME });
    return Promise.resolve(decoded.answer);
  }
  const body = decoded.body;
  try {
    const receivedAt = deps.now();
    const sipDate = validTime(m.date);
    // RFC 3428 §7: Expires counts from the Date header when there is one, else from receipt
    const expiresAt = m.expiresSeconds === null ? null : (sipDate ?? receivedAt) + m.expiresSeconds * 1000;
    const expired = expiresAt !== null && expiresAt <= receivedAt;
    const from = m.from === incoming.from ? peer : peerAddress(m.from);
    return deps.commit
      .submit({
        accountId,
        peer: from,
        senderName: m.fromDisplayName,
        body: body.text,
        contentType: body.contentType,
        createdAt: receivedAt,
        expiresAt,
        dialogId: m.dialog?.dialogId ?? null,
        sipCallId: m.callId,
        cseq: m.cseq,
        sipFromTag: m.fromTag ?? null,
        cpimMessageId: body.cpimMessageId,
        state: expired ? 'expired' : 'received',
        dateHeader: sipDate ?? validTime(body.cpimDateTime),
        // an expired message is shown (as expired) but does not count as unread
        read: expired,
        imdnRequest: body.cpim?.dispositionNotification ?? null,
        // RFC 3428 §11.3: what the signature and encryption said, kept with the message (tampered ones flagged)
        protection: protection === null ? null : protectionDto(protection),
      })
      .then(
        (outcome) => answerFor(deps, accountId, from, body, protection, outcome),
        (e: unknown) => storeFailed(deps, e),
      );
  } catch (e) {
    return Promise.resolve(storeFailed(deps, e));
  }
}

function answerFor(deps: ReceiveDeps, accountId: AccountId, from: string, body: DecodedBody, protection: MessageProtection | null, outcome: CommitOutcome): ReceiveAnswer {
  try {
    switch (outcome.kind) {
      case 'overloaded':
        // RFC 3261 §21.5.4: temporarily unable; try again after Retry-After (nothing was stored)
        return { status: 503, reason: 'Busy storing messages', retryAfterSeconds: outcome.retryAfterSeconds };
      case 'error':
        return storeFailed(deps, outcome.error);
      case 'duplicate':
        // a retransmission, forked copy or re-delivery (same Call-ID+CSeq or CPIM Message-ID): answer 200 again
        return { status: 200 };
      case 'inserted':
        // RFC 5438 §7.2.1.1: stored, so it may be reported delivered
        if (body.cpim !== null) deps.receipts?.stored(accountId, from, body.cpim);
        if (protection !== null) deps.smime?.onProtected?.(String(outcome.message.id), protection);
        deps.emit('chats:message-received', outcome.message);
        if (outcome.conversation !== null) deps.emit('chats:conversation-changed', outcome.conversation);
        return { status: 200 };
    }
  } catch (e) {
    return storeFailed(deps, e);
  }
}

function storeFailed(deps: ReceiveDeps, e: unknown): ReceiveAnswer {
  deps.onError('storing an incoming message failed', e);
  return { status: 500, reason: 'Could not store the message' };
}
