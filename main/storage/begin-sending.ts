/**
 * Issue 18, the send path: one storage round trip between "this message goes out now" and the wire.
 * In one worker call: checks the message is still an outgoing one waiting to be sent (not deleted, not
 * answered meanwhile, not past its Expires, RFC 3428 §7), marks it sending with its request identity
 * (Call-ID, CSeq, From tag, CPIM Message-ID: committed before the first transmission, issue 11, so a
 * re-send after a crash is a retransmission of the same request, RFC 3261 §17.2.3) and reads what building
 * and protecting the request needs: the account, the conversation's S/MIME setting and the account's
 * S/MIME identity (RFC 3428 §11.3). Before, these were three to six round trips, each waiting for the one
 * before.
 */
import type { AccountDto } from '#shared/domain/account.ts';
import type { MessageDto } from '#shared/domain/chat.ts';
import type { AccountId, MessageId } from '#shared/domain/ids.ts';
import type { AccountRepository } from './account-repository.ts';
import type { MessageRepository } from './message-repository.ts';
import type { StoredMessage } from './message-row.ts';
import type { ConversationProtectionRow, SmimeIdentityRecord, SmimeRepository } from './smime-repository.ts';

export interface WireIds {
  readonly callId: string;
  readonly cseq: number;
  readonly fromTag: string;
}

export type SendingStarted =
  /** deleted, answered meanwhile, or not this account's */
  | { readonly kind: 'gone' }
  /** past its Expires: marked failed (null: it vanished meanwhile) */
  | { readonly kind: 'expired'; readonly message: MessageDto | null }
  | {
      readonly kind: 'sending';
      /** as it was read, before the UPDATE (its state, reason, body, peer ...) */
      readonly stored: StoredMessage;
      /** the message, now `sending` with its wire ids stored */
      readonly message: MessageDto;
      /** the identity it is sent with: the kept one (a re-send), else the fresh one given */
      readonly wire: WireIds;
      readonly cpimMessageId: string;
      /** null: the account is gone */
      readonly account: AccountDto | null;
      readonly protection: ConversationProtectionRow | null;
      readonly identity: SmimeIdentityRecord | null;
    };

export const EXPIRED_REASON = 'expired before it could be sent';

/** the kept request identity, when all of it was stored; else the fresh one the outbox made is used */
function keptWire(stored: StoredMessage): WireIds | null {
  if (stored.sipCallId === null || stored.cseq === null || stored.sipFromTag === null) return null;
  return { callId: stored.sipCallId, cseq: stored.cseq, fromTag: stored.sipFromTag };
}

export function beginSending(
  repos: { readonly messages: MessageRepository; readonly accounts: AccountRepository; readonly smime: SmimeRepository },
  id: MessageId,
  accountId: AccountId,
  now: number,
  fresh: WireIds,
): SendingStarted {
  const stored = repos.messages.getStored(id);
  const m = stored?.message;
  if (stored === null || m === undefined || m.direction !== 'out' || stored.accountId !== accountId) return { kind: 'gone' };
  if (m.state !== 'queued' && m.state !== 'sending') return { kind: 'gone' };
  if (m.expiresAt !== null && m.expiresAt <= now) {
    return { kind: 'expired', message: repos.messages.updateState(id, 'failed', null, EXPIRED_REASON, null) };
  }
  const wire = keptWire(stored) ?? fresh;
  const cpimMessageId = stored.cpimMessageId ?? `m${String(m.id)}-${String(m.createdAt)}`;
  const extra = { sipCallId: wire.callId, cseq: wire.cseq, sipFromTag: wire.fromTag, cpimMessageId };
  const message = repos.messages.updateState(id, 'sending', null, null, now, extra);
  if (message === null) return { kind: 'gone' };
  return {
    kind: 'sending',
    stored,
    message,
    wire,
    cpimMessageId,
    account: repos.accounts.get(accountId),
    protection: repos.smime.getConversationProtection(m.conversationId),
    identity: repos.smime.getIdentity(accountId),
  };
}
