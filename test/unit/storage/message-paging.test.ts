import { beforeEach, describe, expect, it } from 'vitest';
import type { DatabaseSync } from 'node:sqlite';
import { openDatabase } from '../../../main/storage/database.ts';
import { MESSAGE_SQL } from '../../../main/storage/message-repository.ts';
import { createOperations, type StorageOperations } from '../../../main/storage/operations.ts';
import type { MessageDto } from '#shared/domain/chat.ts';
import type { ConversationId } from '#shared/domain/ids.ts';
import { ALICE, accountRecord, incoming, outgoing } from './fixtures.ts';

function plan(db: DatabaseSync, sql: string, params: Record<string, number> | string): string {
  const stmt = db.prepare(`EXPLAIN QUERY PLAN ${sql}`);
  return (typeof params === 'string' ? stmt.all(params) : stmt.all(params))
    .map((r) => String(r['detail']))
    .join('\n');
}

describe('message paging (keyset on conversation_id, created_at, id)', () => {
  let db: DatabaseSync;
  let ops: StorageOperations;
  let conv: ConversationId;
  beforeEach(() => {
    db = openDatabase(':memory:');
    ops = createOperations(db);
    ops.saveAccount(accountRecord());
    conv = ops.getOrCreateConversation(ALICE, 'sip:bob@example.test', { title: 'Bob', unknownSender: false }).id;
  });

  function pageAll(limit: number): MessageDto[][] {
    const pages: MessageDto[][] = [];
    let cursor: string | null = null;
    do {
      const page = ops.pageMessages(conv, cursor, limit);
      pages.push([...page.messages]);
      cursor = page.nextCursor;
    } while (cursor !== null);
    return pages;
  }

  it('returns newest first, every message exactly once, also when several share a timestamp', () => {
    const ids: string[] = [];
    for (let i = 0; i < 25; i++) {
      // 5 messages per millisecond: the id breaks the ties
      ids.push(ops.insertOutgoing(outgoing(conv, { body: `m${String(i)}`, createdAt: 1_000 + Math.floor(i / 5) })).id);
    }
    const pages = pageAll(10);
    expect(pages.map((p) => p.length)).toEqual([10, 10, 5]);
    expect(pages.flat().map((m) => m.id)).toEqual([...ids].reverse());
    expect(ops.pageMessages(conv, null, 10).total).toBe(25);
  });

  it('does not repeat or skip messages when new ones arrive between pages', () => {
    for (let i = 0; i < 6; i++) ops.insertIncoming(incoming(conv, { body: `old${String(i)}`, createdAt: 100 + i }));
    const first = ops.pageMessages(conv, null, 3);
    ops.insertIncoming(incoming(conv, { body: 'new', createdAt: 500 }));
    const second = ops.pageMessages(conv, first.nextCursor, 3);
    expect([...first.messages, ...second.messages].map((m) => m.body)).toEqual(['old5', 'old4', 'old3', 'old2', 'old1', 'old0']);
    expect(second.nextCursor).toBeNull();
  });

  it('answers an empty page for an unknown conversation and rejects a forged cursor', () => {
    expect(ops.pageMessages('77' as ConversationId, null, 10)).toEqual({ messages: [], nextCursor: null, total: 0 });
    expect(() => ops.pageMessages(conv, "1' OR 1=1 --", 10)).toThrow(/invalid paging cursor/);
  });

  it('MUST read pages through messages_by_conversation, with no full scan and no sort step', () => {
    const first = plan(db, MESSAGE_SQL.firstPage, { c: 1, n: 50 });
    const older = plan(db, MESSAGE_SQL.olderPage, { c: 1, t: 5, i: 5, n: 50 });
    for (const p of [first, older]) {
      expect(p).toMatch(/SEARCH m USING INDEX messages_by_conversation \(conversation_id=\?/);
      expect(p).not.toMatch(/SCAN|TEMP B-TREE/);
    }
    const outbox = plan(db, MESSAGE_SQL.outbox, 'acc');
    expect(outbox).toMatch(/USING INDEX messages_outbox/);
    expect(outbox).not.toMatch(/TEMP B-TREE/);
  });
});
