/**
 * The storage API as the worker serves it: one operation per repository method (never per SQL
 * statement), each a synchronous call on the worker's DatabaseSync. Arguments and results are plain
 * structured-clone data so they cross the thread boundary unchanged (Uint8Array blobs included).
 */
import type { DatabaseSync } from 'node:sqlite';
import type { CallDto } from '#shared/domain/call.ts';
import type { MessageState } from '#shared/domain/chat.ts';
import type { AccountId, ContactId, ConversationId, MessageId } from '#shared/domain/ids.ts';
import { AccountRepository, type AccountRecord } from './account-repository.ts';
import { BlockRepository } from './block-repository.ts';
import { CallRepository } from './call-repository.ts';
import { ContactRepository, type ContactRecord } from './contact-repository.ts';
import { ConversationRepository, type ConversationOptions } from './conversation-repository.ts';
import {
  MessageRepository,
  type IncomingMessageInput,
  type MessageStateExtra,
  type OutgoingMessageInput,
} from './message-repository.ts';
import { storeIncomingBatch, storeIncomingRows, type IncomingBatchItem } from './incoming-batch.ts';
import { unpackIncomingBatch, type PackedIncomingBatch } from './incoming-wire.ts';
import { beginSending, type WireIds } from './begin-sending.ts';
import { finishSending, openConversationFor, queueOutgoing, sendContext } from './outgoing-ops.ts';
import { MessageSearch } from './message-search.ts';
import { ReceiptRepository } from './receipt-repository.ts';
import { schemaVersion } from './migrator.ts';
import { SmimeRepository, type PeerCertificateRow, type SmimeIdentityRecord } from './smime-repository.ts';
import type { ProtectionSetting } from '#shared/domain/security.ts';
import { text } from './row.ts';

export interface StorageInfo {
  readonly schemaVersion: number;
  readonly journalMode: string;
  readonly foreignKeys: boolean;
}

export function createOperations(db: DatabaseSync) {
  const accounts = new AccountRepository(db);
  const contacts = new ContactRepository(db);
  const conversations = new ConversationRepository(db);
  const messages = new MessageRepository(db);
  const search = new MessageSearch(db);
  const smime = new SmimeRepository(db);
  const receipts = new ReceiptRepository(db);
  const blocks = new BlockRepository(db);
  const calls = new CallRepository(db);
  const outgoing = { db, accounts, contacts, conversations, messages };
  return {
    info: (): StorageInfo => ({
      schemaVersion: schemaVersion(db),
      journalMode: text(db.prepare('PRAGMA journal_mode').get() ?? {}, 'journal_mode'),
      foreignKeys: db.prepare('PRAGMA foreign_keys').get()?.['foreign_keys'] === 1,
    }),

    listAccounts: () => accounts.list(),
    getAccount: (id: AccountId) => accounts.get(id),
    findAccountByAor: (aor: string) => accounts.findByAor(aor),
    saveAccount: (record: AccountRecord) => accounts.save(record),
    getAccountSecret: (id: AccountId) => accounts.secret(id),
    learnAccountRealm: (id: AccountId, realm: string) => accounts.learnRealm(id, realm),
    removeAccount: (id: AccountId) => accounts.remove(id),

    listContacts: () => contacts.list(),
    getContact: (id: ContactId) => contacts.get(id),
    findContactByAddress: (address: string) => contacts.findByAddress(address),
    searchContacts: (query: string, limit: number) => contacts.search(query, limit),
    saveContact: (record: ContactRecord) => contacts.save(record),
    removeContact: (id: ContactId) => contacts.remove(id),
    listBlocked: () => blocks.list(),
    blockedKeys: () => blocks.keys(),
    blockAddress: (address: string, at: number) => blocks.block(address, at),
    unblockAddress: (address: string) => blocks.unblock(address),

    getOrCreateConversation: (accountId: AccountId, peer: string, options: ConversationOptions) =>
      conversations.getOrCreate(accountId, peer, options),
    getConversation: (id: ConversationId) => conversations.get(id),
    listConversations: () => conversations.list(),
    markRead: (conversationId: ConversationId) => conversations.markRead(conversationId),
    acceptConversation: (id: ConversationId) => conversations.accept(id),
    deleteConversation: (id: ConversationId) => conversations.delete(id),

    insertOutgoing: (message: OutgoingMessageInput) => messages.insertOutgoing(message),
    insertIncoming: (message: IncomingMessageInput) => messages.insertIncoming(message),
    /** group commit: the messages that arrived together, one transaction, one round trip */
    storeIncomingBatch: (items: readonly IncomingBatchItem[]) => storeIncomingBatch(db, { contacts, conversations, messages }, items),
    /** the same across the thread boundary: what Storage.storeIncomingBatch sends (incoming-wire.ts) */
    storeIncomingPacked: (packed: PackedIncomingBatch) => storeIncomingRows(db, { contacts, conversations, messages }, unpackIncomingBatch(packed)),
    updateMessageState: (
      id: MessageId,
      state: MessageState,
      code: number | null,
      reason: string | null,
      sentAt: number | null,
      extra?: MessageStateExtra,
    ) => messages.updateState(id, state, code, reason, sentAt, extra),
    /** the outbox's one round trip before the wire (begin-sending.ts) */
    beginSending: (id: MessageId, accountId: AccountId, now: number, fresh: WireIds) => beginSending({ messages, accounts, smime }, id, accountId, now, fresh),
    /** issue 18: one round trip per user action and per outcome on the send path (outgoing-ops.ts) */
    openConversationFor: (accountId: AccountId | null, uri: string, createdAt: number) => openConversationFor(outgoing, accountId, uri, createdAt),
    sendContext: (conversationId: ConversationId) => sendContext(outgoing, conversationId),
    queueOutgoing: (parts: readonly OutgoingMessageInput[]) => queueOutgoing(outgoing, parts),
    finishSending: (id: MessageId, state: MessageState, code: number | null, reason: string | null, extra?: MessageStateExtra) =>
      finishSending(outgoing, id, state, code, reason, extra),
    getMessage: (id: MessageId) => messages.get(id),
    getStoredMessage: (id: MessageId) => messages.getStored(id),
    deleteMessage: (id: MessageId) => messages.delete(id),
    pageMessages: (conversationId: ConversationId, before: string | null, limit: number) =>
      messages.page(conversationId, before, limit),
    pendingOutbox: (accountId: AccountId) => messages.pendingOutbox(accountId),
    search: (query: string, limit: number) => search.search(query, limit),

    getSmimeIdentity: (accountId: AccountId) => smime.getIdentity(accountId),
    saveSmimeIdentity: (record: SmimeIdentityRecord) => smime.saveIdentity(record),
    setSmimeIdentityEnabled: (accountId: AccountId, enabled: boolean) => smime.setIdentityEnabled(accountId, enabled),
    listPeerCertificates: () => smime.listPeerCertificates(),
    savePeerCertificate: (record: PeerCertificateRow) => smime.savePeerCertificate(record),
    replayEntries: () => smime.replayEntries(),
    rememberReplay: (key: string, dateMs: number, max: number) => smime.rememberReplay(key, dateMs, max),
    getConversationProtection: (id: ConversationId) => smime.getConversationProtection(id),
    setConversationProtection: (id: ConversationId, setting: ProtectionSetting | null, required: boolean) =>
      smime.setConversationProtection(id, setting, required),
    applyReceipt: (accountId: AccountId, peer: string, cpimMessageId: string, receipt: 'delivered' | 'read') =>
      receipts.applyReceipt(accountId, peer, cpimMessageId, receipt),
    takeDisplayReceipts: (conversationId: ConversationId, ids: readonly MessageId[], at: number) =>
      receipts.takeDisplayReceipts(conversationId, ids, at),
    listCallHistory: (limit?: number) => calls.list(limit),
    saveEndedCall: (call: CallDto) => calls.save(call),
    getSetting: (key: string) => receipts.getSetting(key),
    setSetting: (key: string, value: string) => receipts.setSetting(key, value),
  };
}

export type StorageOperations = ReturnType<typeof createOperations>;
export type OperationName = keyof StorageOperations;
