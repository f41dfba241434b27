/**
 * Issue 18, the send path before and after the wire: each user action and each outcome is one storage
 * round trip instead of two to four, each of which waited for the one before.
 *
 * - `openConversationFor`: the account (the given one, else the first enabled), the contact's name for
 *   the title, the conversation (created when missing) and accepting it when it was a message request.
 * - `sendContext`: the conversation and its account, what sizing a text needs (RFC 3428 §8, 1300 bytes).
 * - `queueOutgoing`: the message parts stored as `queued` in one transaction (a split text is stored
 *   whole or not at all) and the conversation as it is after them.
 * - `finishSending`: an outgoing message's outcome (RFC 3428 §4, §7) stored, with the conversation
 *   read after it (what the UI shows as the last message).
 */
import type { AccountDto } from '#shared/domain/account.ts';
import type { ConversationDto, MessageDto, MessageState } from '#shared/domain/chat.ts';
import type { AccountId, ConversationId, MessageId } from '#shared/domain/ids.ts';
import type { DatabaseSync } from 'node:sqlite';
import type { AccountRepository } from './account-repository.ts';
import type { ContactRepository } from './contact-repository.ts';
import type { ConversationRepository } from './conversation-repository.ts';
import { inTransaction } from './database.ts';
import type { MessageRepository, MessageStateExtra, OutgoingMessageInput } from './message-repository.ts';

export interface OutgoingRepos {
  readonly db: DatabaseSync;
  readonly accounts: AccountRepository;
  readonly contacts: ContactRepository;
  readonly conversations: ConversationRepository;
  readonly messages: MessageRepository;
}

export type OpenedConversation =
  | { readonly kind: 'opened'; readonly conversation: ConversationDto }
  /** the account asked for does not exist */
  | { readonly kind: 'no-such-account' }
  /** no account asked for, and there is none */
  | { readonly kind: 'no-account' };

export function openConversationFor(r: OutgoingRepos, accountId: AccountId | null, uri: string, createdAt: number): OpenedConversation {
  return inTransaction(r.db, () => {
    let account: AccountDto | null;
    if (accountId !== null) account = r.accounts.get(accountId);
    else {
      const all = r.accounts.list();
      account = all.find((a) => a.enabled) ?? all[0] ?? null;
      if (account === null) return { kind: 'no-account' };
    }
    if (account === null) return { kind: 'no-such-account' };
    const contact = r.contacts.findByAddress(uri);
    let conversation = r.conversations.getOrCreate(account.id, uri, {
      title: contact?.displayName || uri.replace(/^(sips?|im):/, ''),
      unknownSender: false,
      createdAt,
    });
    // the user starts a chat with the sender of a message request: that is accepting it (Signal does the same)
    if (conversation.unknownSender) conversation = r.conversations.accept(conversation.id) ?? conversation;
    return { kind: 'opened', conversation };
  });
}

export interface SendContext {
  readonly conversation: ConversationDto;
  /** null: the conversation's account is gone */
  readonly account: AccountDto | null;
}

/** null: no such conversation */
export function sendContext(r: OutgoingRepos, conversationId: ConversationId): SendContext | null {
  const conversation = r.conversations.get(conversationId);
  if (conversation === null) return null;
  return { conversation, account: r.accounts.get(conversation.accountId) };
}

export interface QueuedOutgoing {
  readonly messages: readonly MessageDto[];
  /** after the inserts; null if it vanished */
  readonly conversation: ConversationDto | null;
}

export function queueOutgoing(r: OutgoingRepos, parts: readonly OutgoingMessageInput[]): QueuedOutgoing {
  const messages = inTransaction(r.db, () => parts.map((p) => r.messages.insertOutgoing(p)));
  const first = parts[0];
  return { messages, conversation: first === undefined ? null : r.conversations.get(first.conversationId) };
}

export interface FinishedSending {
  /** null: the message vanished meanwhile (deleted) */
  readonly message: MessageDto | null;
  readonly conversation: ConversationDto | null;
}

export function finishSending(
  r: OutgoingRepos,
  id: MessageId,
  state: MessageState,
  code: number | null,
  reason: string | null,
  extra: MessageStateExtra = {},
): FinishedSending {
  const message = r.messages.updateState(id, state, code, reason, null, extra);
  return { message, conversation: message === null ? null : r.conversations.get(message.conversationId) };
}
