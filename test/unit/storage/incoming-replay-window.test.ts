import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../../main/storage/database.ts';
import { INCOMING_REPLAY_WINDOW_MS, MessageRepository } from '../../../main/storage/message-repository.ts';
import { createOperations } from '../../../main/storage/operations.ts';
import type { ConversationId } from '#shared/domain/ids.ts';
import { ALICE, accountRecord, incoming, tempDir } from './fixtures.ts';

const BOB = 'sip:bob@example.test';

function open(path: string) {
  const db = openDatabase(path);
  const ops = createOperations(db);
  if (ops.getAccount(ALICE) === null) ops.saveAccount(accountRecord());
  const conv = ops.getOrCreateConversation(ALICE, BOB, { title: 'Bob', unknownSender: false, createdAt: 500 }).id;
  return { db, ops, conv };
}

describe('incoming replay window: Call-ID + CSeq + From tag remembered across restarts (RFC 3261 §17.2.3)', () => {
  const tmp = tempDir();
  afterEach(() => tmp.remove());

  it('MUST answer a replay after a restart as a duplicate, even when the message was deleted meanwhile', () => {
    const path = tmp.file('replay.db');
    const first = open(path);
    const r = first.ops.insertIncoming(incoming(first.conv, { sipCallId: 'c1@h', cseq: 7, sipFromTag: 'ft1' }));
    if (!('inserted' in r)) throw new Error('expected an insert');
    first.ops.deleteMessage(r.inserted.id);
    first.db.close();

    const second = open(path);
    expect(second.ops.insertIncoming(incoming(second.conv, { sipCallId: 'c1@h', cseq: 7, sipFromTag: 'ft1', createdAt: 20_000 }))).toEqual({
      duplicate: true,
    });
    expect(second.ops.pageMessages(second.conv, null, 10).total).toBe(0);
    second.db.close();
  });

  it('treats another CSeq or another From tag under the same Call-ID as a new request', () => {
    const { db, ops, conv } = open(':memory:');
    expect(ops.insertIncoming(incoming(conv, { sipCallId: 'c2', cseq: 1, sipFromTag: 'a', body: 'one' }))).toHaveProperty('inserted');
    expect(ops.insertIncoming(incoming(conv, { sipCallId: 'c2', cseq: 1, sipFromTag: 'a', body: 'one' }))).toEqual({ duplicate: true });
    expect(ops.insertIncoming(incoming(conv, { sipCallId: 'c2', cseq: 2, sipFromTag: 'a', body: 'two' }))).toHaveProperty('inserted');
    expect(ops.pageMessages(conv, null, 10).messages.map((m) => m.body)).toEqual(['two', 'one']);
    db.close();
  });

  it("a sender's re-send that had to answer a 401/407 again (same Call-ID and body, CSeq + 1..3) is the same message", () => {
    const { db, ops, conv } = open(':memory:');
    expect(ops.insertIncoming(incoming(conv, { sipCallId: 'c3', cseq: 5, sipFromTag: 'a', body: 'only once' }))).toHaveProperty('inserted');
    // restarted sender: its copy without credentials got 407, the answered one carries CSeq 6 (RFC 3261 §22.2)
    expect(ops.insertIncoming(incoming(conv, { sipCallId: 'c3', cseq: 6, sipFromTag: 'a', body: 'only once' }))).toEqual({ duplicate: true });
    expect(ops.insertIncoming(incoming(conv, { sipCallId: 'c3', cseq: 8, sipFromTag: 'a', body: 'only once' }))).toEqual({ duplicate: true });
    // far above: not a retry of it; another body under the same Call-ID: another message; in a dialog: CSeq rules
    expect(ops.insertIncoming(incoming(conv, { sipCallId: 'c3', cseq: 20, sipFromTag: 'a', body: 'only once' }))).toHaveProperty('inserted');
    expect(ops.insertIncoming(incoming(conv, { sipCallId: 'c3', cseq: 7, sipFromTag: 'a', body: 'something else' }))).toHaveProperty('inserted');
    expect(ops.insertIncoming(incoming(conv, { sipCallId: 'd1', cseq: 2, sipFromTag: 'a', body: 'ok', dialogId: 'dlg' }))).toHaveProperty('inserted');
    expect(ops.insertIncoming(incoming(conv, { sipCallId: 'd1', cseq: 3, sipFromTag: 'a', body: 'ok', dialogId: 'dlg' }))).toHaveProperty('inserted');
    db.close();
  });

  it('either way round: the copy answered after a 407 (CSeq 2) stored first, then the re-send with the stored CSeq 1', () => {
    const { db, ops, conv } = open(':memory:');
    // the sender's connection broke before the 200 came back; it re-sends with the CSeq it had stored
    expect(ops.insertIncoming(incoming(conv, { sipCallId: 'c4', cseq: 2, sipFromTag: 'a', body: 'cut short' }))).toHaveProperty('inserted');
    expect(ops.insertIncoming(incoming(conv, { sipCallId: 'c4', cseq: 1, sipFromTag: 'a', body: 'cut short' }))).toEqual({ duplicate: true });
    expect(ops.pageMessages(conv, null, 10).messages.map((m) => m.body)).toEqual(['cut short']);
    db.close();
  });

  it('forgets identities older than the window (bounded), pruning when the repository opens', () => {
    const path = tmp.file('prune.db');
    const first = open(path);
    for (const [sipCallId, createdAt] of [['old', 1_000], ['recent', 1_000 + INCOMING_REPLAY_WINDOW_MS]] as const) {
      const r = first.ops.insertIncoming(incoming(first.conv, { sipCallId, cseq: 1, sipFromTag: 't', createdAt }));
      if (!('inserted' in r)) throw new Error('expected an insert');
      first.ops.deleteMessage(r.inserted.id);
    }
    first.db.close();

    const db = openDatabase(path);
    const repo = new MessageRepository(db);
    const conv = '1' as ConversationId;
    const now = 2_000 + INCOMING_REPLAY_WINDOW_MS;
    // the first insert after opening prunes what is older than the window (counted from receipt)
    expect(repo.insertIncoming(incoming(conv, { sipCallId: 'new', cseq: 1, sipFromTag: 't', createdAt: now }))).toHaveProperty('inserted');
    const keys = db.prepare('SELECT sip_call_id FROM incoming_seen ORDER BY sip_call_id').all().map((r) => r['sip_call_id']);
    expect(keys).toEqual(['recent']);
    expect(repo.insertIncoming(incoming(conv, { sipCallId: 'recent', cseq: 1, sipFromTag: 't', createdAt: now }))).toEqual({ duplicate: true });
    expect(repo.insertIncoming(incoming(conv, { sipCallId: 'old', cseq: 1, sipFromTag: 't', createdAt: now }))).toHaveProperty('inserted');
    db.close();
  });

  it('remembers the messages of a deleted conversation: a replay is not stored again in a new one', () => {
    const { db, ops, conv } = open(':memory:');
    for (const cseq of [1, 2]) ops.insertIncoming(incoming(conv, { sipCallId: 'gone', cseq, sipFromTag: 't', body: `m${String(cseq)}` }));
    expect(ops.deleteConversation(conv)).toBe(true);
    const again = ops.getOrCreateConversation(ALICE, BOB, { title: 'Bob', unknownSender: false }).id;
    for (const cseq of [1, 2]) {
      expect(ops.insertIncoming(incoming(again, { sipCallId: 'gone', cseq, sipFromTag: 't', body: `m${String(cseq)}` }))).toEqual({ duplicate: true });
    }
    // the same Call-ID and CSeq with another From tag is another request (RFC 3261 §8.2.2.2): stored
    expect(ops.insertIncoming(incoming(again, { sipCallId: 'gone', cseq: 1, sipFromTag: 'u', body: 'm1' }))).toHaveProperty('inserted');
    db.close();
  });

  it('a request answered as a duplicate of a row is remembered itself, so deleting that row does not let it in', () => {
    const { db, ops, conv } = open(':memory:');
    const r = ops.insertIncoming(incoming(conv, { sipCallId: 'c5', cseq: 1, sipFromTag: 'a', body: 'auth retry' }));
    if (!('inserted' in r)) throw new Error('expected an insert');
    // the re-send answered after a 407 (CSeq 2), and a CPIM re-delivery under a new Call-ID (RFC 3862 §5.1)
    expect(ops.insertIncoming(incoming(conv, { sipCallId: 'c5', cseq: 2, sipFromTag: 'a', body: 'auth retry' }))).toEqual({ duplicate: true });
    ops.insertIncoming(incoming(conv, { sipCallId: 'p1', cseq: 1, sipFromTag: 'a', body: 'cpim', cpimMessageId: 'id-1' }));
    expect(ops.insertIncoming(incoming(conv, { sipCallId: 'p2', cseq: 1, sipFromTag: 'b', body: 'cpim', cpimMessageId: 'id-1' }))).toEqual({ duplicate: true });
    expect(ops.deleteConversation(conv)).toBe(true);
    const again = ops.getOrCreateConversation(ALICE, BOB, { title: 'Bob', unknownSender: false }).id;
    expect(ops.insertIncoming(incoming(again, { sipCallId: 'c5', cseq: 2, sipFromTag: 'a', body: 'auth retry' }))).toEqual({ duplicate: true });
    expect(ops.insertIncoming(incoming(again, { sipCallId: 'p2', cseq: 1, sipFromTag: 'b', body: 'cpim', cpimMessageId: 'id-1' }))).toEqual({ duplicate: true });
    expect(ops.pageMessages(again, null, 10).total).toBe(0);
    db.close();
  });

  it('remembers nothing for a request without Call-ID/CSeq (a local insert)', () => {
    const { db, ops, conv } = open(':memory:');
    ops.insertIncoming(incoming(conv, { body: 'x' }));
    ops.insertIncoming(incoming(conv, { body: 'x' }));
    expect(ops.pageMessages(conv, null, 10).total).toBe(2);
    expect(db.prepare('SELECT count(*) AS n FROM incoming_seen').get()).toEqual({ n: 0 });
    db.close();
  });
});
