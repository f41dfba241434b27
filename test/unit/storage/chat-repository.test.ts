import { beforeEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../../main/storage/database.ts';
import { createOperations, type StorageOperations } from '../../../main/storage/operations.ts';
import type { AccountId, ContactId, ConversationId, MessageId } from '#shared/domain/ids.ts';
import { ALICE, accountRecord, incoming, outgoing } from './fixtures.ts';

const BOB = 'sip:bob@example.test';

describe('chat repository (conversations and messages)', () => {
  let ops: StorageOperations;
  let conv: ConversationId;
  beforeEach(() => {
    ops = createOperations(openDatabase(':memory:'));
    ops.saveAccount(accountRecord());
    conv = ops.getOrCreateConversation(ALICE, BOB, { title: 'Bob', unknownSender: false, createdAt: 500 }).id;
  });

  describe('getOrCreateConversation', () => {
    it('returns the same conversation for the same user@host, whatever the scheme, host case or parameters', () => {
      const again = ops.getOrCreateConversation(ALICE, '<sips:bob@EXAMPLE.test:5061;transport=tls>', {
        title: 'other',
        unknownSender: true,
      });
      expect(again).toMatchObject({ id: conv, peer: BOB, title: 'Bob', unknownSender: false, unread: 0, lastActivity: 500 });
      expect(ops.listConversations()).toHaveLength(1);
    });

    it('treats the user part as case-sensitive (RFC 3261 §19.1.4)', () => {
      const other = ops.getOrCreateConversation(ALICE, 'sip:BOB@example.test', { title: 'B', unknownSender: true });
      expect(other.id).not.toBe(conv);
      expect(other.unknownSender).toBe(true);
    });

    it('links the contact with the same address and shows its name as the title', () => {
      ops.saveContact({ id: 'c1' as ContactId, displayName: 'Carol C.', address: 'sip:carol@example.test', note: '', createdAt: 1 });
      const c = ops.getOrCreateConversation(ALICE, 'sip:carol@Example.Test', { title: 'carol', unknownSender: false });
      expect(c).toMatchObject({ contactId: 'c1', title: 'Carol C.' });
    });
  });

  describe('insertOutgoing / updateMessageState', () => {
    it('stores a queued message with its UTF-8 size and reports the delivery outcome with code and reason', () => {
      const m = ops.insertOutgoing(outgoing(conv, { body: 'héllo €' }));
      expect(m).toMatchObject({ conversationId: conv, direction: 'out', state: 'queued', bytes: 10, sentAt: null, code: null });
      const u = ops.updateMessageState(m.id, 'failed', 404, 'not found (404)', 21_000, { sipCallId: 'x1', cseq: 3 });
      expect(u).toMatchObject({ id: m.id, state: 'failed', code: 404, reason: 'not found (404)', sentAt: 21_000 });
      expect(ops.getStoredMessage(m.id)).toMatchObject({ sipCallId: 'x1', cseq: 3, peer: BOB, accountId: ALICE });
      expect(ops.updateMessageState(m.id, 'delivered', 200, null, null, { sentOutOfDialog: true })).toMatchObject({
        state: 'delivered',
        sentAt: 21_000,
        sentOutOfDialog: true,
      });
    });

    it('answers null for an unknown or malformed message id', () => {
      expect(ops.updateMessageState('999' as MessageId, 'failed', null, null, null)).toBeNull();
      expect(ops.updateMessageState('abc' as MessageId, 'failed', null, null, null)).toBeNull();
      expect(ops.getMessage('1 OR 1=1' as MessageId)).toBeNull();
    });

    it('rejects a message for a conversation that does not exist', () => {
      expect(() => ops.insertOutgoing(outgoing('4242' as ConversationId))).toThrow(/no conversation/);
    });
  });

  describe('insertIncoming (duplicate detection)', () => {
    it('MUST store a retransmitted or forked MESSAGE (same Call-ID and CSeq) once (RFC 3261 §17.2.3, §8.2.2.2)', () => {
      const first = ops.insertIncoming(incoming(conv, { sipCallId: 'abc@host', cseq: 1 }));
      expect(first).toMatchObject({ inserted: { direction: 'in', state: 'received', body: 'hello' } });
      expect(ops.insertIncoming(incoming(conv, { sipCallId: 'abc@host', cseq: 1, createdAt: 10_001 }))).toEqual({ duplicate: true });
      expect(ops.insertIncoming(incoming(conv, { sipCallId: 'abc@host', cseq: 2, body: 'hello again' }))).toHaveProperty('inserted');
      expect(ops.pageMessages(conv, null, 10).total).toBe(2);
    });

    it('MUST store a store-and-forward re-delivery (same CPIM Message-ID, new Call-ID) once (RFC 3862 §5.1)', () => {
      ops.insertIncoming(incoming(conv, { sipCallId: 'c1', cseq: 1, cpimMessageId: 'msg-77' }));
      expect(ops.insertIncoming(incoming(conv, { sipCallId: 'c2', cseq: 9, cpimMessageId: 'msg-77' }))).toEqual({ duplicate: true });
    });

    it('does not treat the same Call-ID/CSeq on another account as a duplicate', () => {
      const other = 'acc-2' as AccountId;
      ops.saveAccount(accountRecord({ id: other, aor: 'sip:alice2@example.test' }));
      const conv2 = ops.getOrCreateConversation(other, BOB, { title: 'Bob', unknownSender: false }).id;
      ops.insertIncoming(incoming(conv, { sipCallId: 'same', cseq: 1 }));
      expect(ops.insertIncoming(incoming(conv2, { sipCallId: 'same', cseq: 1 }))).toHaveProperty('inserted');
    });
  });

  describe('conversation list, unread and delete', () => {
    it('lists by last activity with the last message and the unread count; markRead clears it', () => {
      const carol = ops.getOrCreateConversation(ALICE, 'sip:carol@example.test', { title: 'Carol', unknownSender: true, createdAt: 600 }).id;
      ops.insertIncoming(incoming(conv, { body: 'one', createdAt: 1_000 }));
      ops.insertIncoming(incoming(conv, { body: 'two', createdAt: 2_000 }));
      ops.insertIncoming(incoming(carol, { body: 'three', createdAt: 1_500, read: true }));
      const list = ops.listConversations();
      expect(list.map((c) => [c.title, c.unread, c.lastMessage?.body, c.lastActivity])).toEqual([
        ['Bob', 2, 'two', 2_000],
        ['Carol', 0, 'three', 1_500],
      ]);
      expect(ops.markRead(conv)).toBe(2);
      expect(ops.getConversation(conv)?.unread).toBe(0);
    });

    it('deletes one message, reporting its conversation, and counts follow', () => {
      const a = ops.insertIncoming(incoming(conv, { createdAt: 1 }));
      ops.insertOutgoing(outgoing(conv, { createdAt: 2 }));
      if (!('inserted' in a)) throw new Error('expected insert');
      expect(ops.deleteMessage(a.inserted.id)).toEqual({ id: a.inserted.id, conversationId: conv });
      expect(ops.deleteMessage(a.inserted.id)).toBeNull();
      expect(ops.getConversation(conv)).toMatchObject({ unread: 0 });
      expect(ops.pageMessages(conv, null, 10).total).toBe(1);
    });

    it('removing the account removes its conversations, messages and their search entries (cascade)', () => {
      ops.insertIncoming(incoming(conv, { body: 'cascade me' }));
      expect(ops.removeAccount(ALICE)).toBe(true);
      expect(ops.listConversations()).toEqual([]);
      expect(ops.search('cascade', 10)).toEqual([]);
    });

    it('removing a contact keeps the conversation and falls back to its stored title', () => {
      ops.saveContact({ id: 'c9' as ContactId, displayName: 'Robert', address: BOB, note: '', createdAt: 1 });
      expect(ops.getConversation(conv)).toMatchObject({ contactId: 'c9', title: 'Robert' });
      ops.removeContact('c9' as ContactId);
      expect(ops.getConversation(conv)).toMatchObject({ contactId: null, title: 'Bob' });
    });
  });

  describe('pendingOutbox', () => {
    it('lists queued and sending messages of the account, oldest first, with their peer and wire ids', () => {
      const m1 = ops.insertOutgoing(outgoing(conv, { createdAt: 300, cpimMessageId: 'k1' }));
      const m2 = ops.insertOutgoing(outgoing(conv, { createdAt: 100 }));
      const m3 = ops.insertOutgoing(outgoing(conv, { createdAt: 200 }));
      ops.updateMessageState(m3.id, 'sending', null, null, null);
      const done = ops.insertOutgoing(outgoing(conv, { createdAt: 50 }));
      ops.updateMessageState(done.id, 'delivered', 200, null, 60);
      const out = ops.pendingOutbox(ALICE);
      expect(out.map((o) => o.message.id)).toEqual([m2.id, m3.id, m1.id]);
      expect(out[2]).toMatchObject({ peer: BOB, cpimMessageId: 'k1', accountId: ALICE });
      expect(ops.pendingOutbox('acc-none' as AccountId)).toEqual([]);
    });
  });
});
