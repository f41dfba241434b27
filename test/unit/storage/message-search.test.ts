import { beforeEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../../main/storage/database.ts';
import { ftsMatchExpression } from '../../../main/storage/fts-query.ts';
import { createOperations, type StorageOperations } from '../../../main/storage/operations.ts';
import type { ContactId, ConversationId } from '#shared/domain/ids.ts';
import { ALICE, accountRecord, incoming, outgoing } from './fixtures.ts';

describe('message search (FTS5)', () => {
  let ops: StorageOperations;
  let conv: ConversationId;
  beforeEach(() => {
    ops = createOperations(openDatabase(':memory:'));
    ops.saveAccount(accountRecord());
    conv = ops.getOrCreateConversation(ALICE, 'sip:bob@example.test', { title: 'Bob', unknownSender: false }).id;
    ops.insertIncoming(incoming(conv, { body: 'Is the quarterly report ready?', createdAt: 1 }));
    ops.insertOutgoing(outgoing(conv, { body: 'Lunch at noon, then the report.', createdAt: 2 }));
    ops.insertIncoming(incoming(conv, { body: 'Café "Zürich" OR NEAR(x) -minus col:val', createdAt: 3 }));
  });

  it('finds messages by word prefix, newest stored first, with the conversation title and a plain snippet', () => {
    const hits = ops.search('repo', 10);
    expect(hits.map((h) => h.message.body)).toEqual(['Lunch at noon, then the report.', 'Is the quarterly report ready?']);
    expect(hits[0]).toMatchObject({ conversationTitle: 'Bob', snippet: 'Lunch at noon, then the report.' });
  });

  it('ANDs the terms and folds case and diacritics', () => {
    expect(ops.search('REPORT quarterly', 10).map((h) => h.message.createdAt)).toEqual([1]);
    expect(ops.search('cafe zurich', 10)).toHaveLength(1);
  });

  it('treats FTS syntax in the query as text and never fails on it', () => {
    for (const q of ['"', '" OR "', 'NEAR(x', 'col:val', '-minus', '*', 'AND', '(', '^report', "'; DROP TABLE messages; --"]) {
      expect(() => ops.search(q, 10), q).not.toThrow();
    }
    expect(ops.search('"zürich"', 10)).toHaveLength(1);
    expect(ops.search('NEAR(x)', 10)).toHaveLength(1);
    expect(ops.search('   ', 10)).toEqual([]);
    expect(ops.pageMessages(conv, null, 10).total).toBe(3);
  });

  it('quotes every term of the MATCH expression (https://sqlite.org/fts5.html §3.1)', () => {
    expect(ftsMatchExpression('a "b" c*')).toBe('"a"* """b"""* "c*"*');
    expect(ftsMatchExpression('!! ??')).toBeNull();
  });

  it('shows the contact name as the conversation title once linked', () => {
    ops.saveContact({ id: 'c1' as ContactId, displayName: 'Bob Builder', address: 'bob@example.test', note: '', createdAt: 1 });
    expect(ops.search('lunch', 5)[0]?.conversationTitle).toBe('Bob Builder');
  });
});
