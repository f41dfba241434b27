import { beforeEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../../main/storage/database.ts';
import { createOperations, type StorageOperations } from '../../../main/storage/operations.ts';
import type { ConversationId } from '#shared/domain/ids.ts';
import { ALICE, accountRecord, incoming, outgoing } from './fixtures.ts';

describe('deleting a conversation (issue 16 item 12)', () => {
  let ops: StorageOperations;
  let bob: ConversationId;
  let carol: ConversationId;
  beforeEach(() => {
    ops = createOperations(openDatabase(':memory:'));
    ops.saveAccount(accountRecord());
    bob = ops.getOrCreateConversation(ALICE, 'sip:bob@example.test', { title: 'Bob', unknownSender: false, createdAt: 1 }).id;
    carol = ops.getOrCreateConversation(ALICE, 'sip:carol@example.test', { title: 'Carol', unknownSender: false, createdAt: 1 }).id;
    ops.insertIncoming(incoming(bob, { body: 'zebra crossing', sipCallId: 'b1' }));
    ops.insertOutgoing(outgoing(bob, { body: 'queued zebra' }));
    ops.insertIncoming(incoming(carol, { body: 'zebra too', sipCallId: 'c1' }));
  });

  it('takes its messages (and their search entries) with it, and nothing of the other conversations', () => {
    expect(ops.search('zebra', 10)).toHaveLength(3);
    expect(ops.deleteConversation(bob)).toBe(true);
    expect(ops.getConversation(bob)).toBeNull();
    expect(ops.listConversations().map((c) => c.id)).toEqual([carol]);
    expect(ops.pageMessages(bob, null, 10).total).toBe(0);
    expect(ops.pendingOutbox(ALICE)).toEqual([]);
    expect(ops.search('zebra', 10).map((h) => h.message.body)).toEqual(['zebra too']);
    expect(ops.pageMessages(carol, null, 10).total).toBe(1);
  });

  it('a second delete, or an id that is no conversation, deletes nothing', () => {
    expect(ops.deleteConversation(bob)).toBe(true);
    expect(ops.deleteConversation(bob)).toBe(false);
    expect(ops.deleteConversation('nope' as ConversationId)).toBe(false);
    expect(ops.listConversations()).toHaveLength(1);
  });
});
