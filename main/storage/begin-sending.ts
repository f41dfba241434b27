/**
 * Issue 18, the send path: one storage round trip between "this message goes out now" and the wire.
 * Marks the message sending with its request identity (Call-ID, CSeq, From tag, CPIM Message-ID: committed
 * before the first transmission, issue 11, so a re-send after a crash is a retransmission of the same
 * request) and reads, in the same worker call, what building and protecting the request needs: the
 * account, the conversation's S/MIME setting and the account's S/MIME identity (RFC 3428 §11.3). Before,
 * these were four round trips, each waiting for the one before.
 */
import type { AccountDto } from '#shared/domain/account.ts';
import type { MessageDto } from '#shared/domain/chat.ts';
import type { AccountId, MessageId } from '#shared/domain/ids.ts';
import type { AccountRepository } from './account-repository.ts';
import type { MessageRepository, MessageStateExtra } from './message-repository.ts';
import type { ConversationProtectionRow, SmimeIdentityRecord, SmimeRepository } from './smime-repository.ts';

export interface SendingStarted {
  /** the message, now `sending` with its wire ids stored */
  readonly message: MessageDto;
  /** null: the account is gone */
  readonly account: AccountDto | null;
  readonly protection: ConversationProtectionRow | null;
  readonly identity: SmimeIdentityRecord | null;
}

/** null: the message no longer exists */
export function beginSending(
  repos: { readonly messages: MessageRepository; readonly accounts: AccountRepository; readonly smime: SmimeRepository },
  id: MessageId,
  accountId: AccountId,
  sentAt: number,
  wire: MessageStateExtra,
): SendingStarted | null {
  const message = repos.messages.updateState(id, 'sending', null, null, sentAt, wire);
  if (message === null) return null;
  return {
    message,
    account: repos.accounts.get(accountId),
    protection: repos.smime.getConversationProtection(message.conversationId),
    identity: repos.smime.getIdentity(accountId),
  };
}
