/**
 * The outbox's slow path before a send (outbox.ts): a message that may have to wait is read first — gone
 * or answered meanwhile, past its Expires (RFC 3428 §7), held behind an earlier message to the same place
 * (RFC 3428 §8 order), or its account cannot send now (it stays queued, with the reason). Otherwise it may
 * go, and storage/begin-sending.ts marks it sending.
 */
import type { MessageDto } from '#shared/domain/chat.ts';
import type { AccountId, MessageId } from '#shared/domain/ids.ts';
import type { Storage } from '../../storage/storage.ts';
import { EXPIRED_REASON } from '../../storage/begin-sending.ts';
import { resolveTarget } from './outgoing-request.ts';
import type { PagerSender } from './pager.ts';
import { waitingReason, WILL_RETRY } from './outbox-policy.ts';

/** an account|destination pair's message waiting to be (re-)sent; later ones wait behind it */
export interface RetryHold {
  readonly holder: MessageId;
  readonly waiting: boolean;
}

export interface CheckDeps {
  readonly storage: Pick<Storage, 'getStoredMessage' | 'updateMessageState'>;
  readonly now: () => number;
  readonly sender: Pick<PagerSender, 'canSend'>;
  readonly retryHold: Map<string, RetryHold>;
  /** false: resume re-queued the message meanwhile, its newer queue entry delivers it */
  readonly current: () => boolean;
}

/** Reads the message: expired, held behind an earlier one, or waiting for its account; else it may go. */
export async function checkQueued(
  deps: CheckDeps,
  id: MessageId,
  run: { account: AccountId | null },
): Promise<{ readonly go: AccountId } | { readonly result: MessageDto | null }> {
  const { storage, now } = deps;
  const stored = await storage.getStoredMessage(id);
  // deleted, or answered meanwhile
  if (stored === null || stored.message.direction !== 'out') return { result: null };
  if (stored.message.state !== 'queued' && stored.message.state !== 'sending') return { result: null };
  const m = stored.message;
  // RFC 3428 §7: past its Expires the message is of no use to the recipient
  if (m.expiresAt !== null && m.expiresAt <= now()) return { result: await storage.updateMessageState(id, 'failed', null, EXPIRED_REASON, null) };
  run.account = stored.accountId;
  const accountId = stored.accountId;
  if (!deps.current()) return { result: null };
  const holdKey = `${accountId}|${resolveTarget(stored.peer).toLowerCase()}`;
  const hold = deps.retryHold.get(holdKey);
  if (hold !== undefined) {
    // an earlier message to the same place waits to be (re-)sent: this one goes after it (RFC 3428 §8)
    const r = deps.sender.canSend?.(accountId);
    const waits = hold.waiting ? waitingReason(now(), r !== undefined && !r.ready ? r.retryAt : null) : `${WILL_RETRY} — after an earlier message`;
    return { result: await storage.updateMessageState(id, 'queued', null, waits, null) };
  }
  // `sending` only while a request is on the wire: while not registered it stays queued, with the reason;
  // later messages to the same place wait behind it, so none overtakes it the moment the account is back
  const readiness = deps.sender.canSend?.(accountId) ?? { ready: true };
  if (!readiness.ready) {
    deps.retryHold.set(holdKey, { holder: id, waiting: true });
    const again = m.reason?.startsWith(WILL_RETRY) === true ? `${WILL_RETRY} — ` : '';
    return { result: await storage.updateMessageState(id, 'queued', null, again + waitingReason(now(), readiness.retryAt), null) };
  }
  return { go: accountId };
}
