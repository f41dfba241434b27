import { afterEach, describe, expect, it } from 'vitest';
import type { MessageId } from '#shared/domain/ids.ts';
import { openDatabase } from '../../../../main/storage/database.ts';
import { schemaVersion } from '../../../../main/storage/migrator.ts';
import { migrations } from '../../../../main/storage/migrations/index.ts';
import { createOperations } from '../../../../main/storage/operations.ts';
import { ALICE, accountRecord, incoming, outgoing, tempDir } from '../fixtures.ts';

const match = 'SELECT rowid FROM messages_fts WHERE messages_fts MATCH ? ORDER BY rowid';
const integrity = "INSERT INTO messages_fts (messages_fts) VALUES ('integrity-check')";
const tables = "SELECT name FROM sqlite_master WHERE name LIKE 'messages_fts%' ORDER BY name";

describe('migration 0014: the search index keeps no column sizes (issue 18)', () => {
  const tmp = tempDir();
  afterEach(() => tmp.remove());

  it('applies on schema 13: no docsize table, rows stored before are still found, with their snippet', () => {
    const path = tmp.file('a.db');
    const old = openDatabase(path, migrations.slice(0, 13));
    const ops = createOperations(old);
    ops.saveAccount(accountRecord());
    const c = ops.getOrCreateConversation(ALICE, 'sip:bob@example.test', { title: 'Bob', unknownSender: false });
    const before = ops.insertIncoming(incoming(c.id, { body: 'the quarterly report is late', sipCallId: 'q1', cseq: 1 }));
    ops.insertOutgoing(outgoing(c.id, { body: 'the quarterly numbers' }));
    const gone = ops.insertIncoming(incoming(c.id, { body: 'quarterly draft', sipCallId: 'q2', cseq: 1 }));
    if (!('inserted' in before) || !('inserted' in gone)) throw new Error('expected inserts');
    ops.deleteMessage(gone.inserted.id);
    expect(old.prepare(tables).all().map((r) => r['name'])).toContain('messages_fts_docsize');
    old.close();

    const db = openDatabase(path, migrations.slice(0, 14));
    expect(schemaVersion(db)).toBe(14);
    expect(db.prepare(tables).all().map((r) => r['name'])).not.toContain('messages_fts_docsize');
    expect(db.prepare("SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'messages_fts_%' ORDER BY name").all()).toEqual([
      { name: 'messages_fts_ad' },
      { name: 'messages_fts_au' },
    ]);
    expect(db.prepare(match).all('quarterly').map((r) => r['rowid'])).toEqual([1, 2]);
    db.exec(integrity);
    const now = createOperations(db);
    expect(now.search('report', 10)).toMatchObject([{ message: { id: before.inserted.id }, snippet: 'the quarterly report is late' }]);
    db.close();
  });

  it('new, deleted and edited messages keep the index consistent', () => {
    const db = openDatabase(tmp.file('b.db'));
    const ops = createOperations(db);
    ops.saveAccount(accountRecord());
    const c = ops.getOrCreateConversation(ALICE, 'sip:bob@example.test', { title: 'Bob', unknownSender: false });
    const item = (body: string, callId: string) => ({
      accountId: ALICE, peer: 'sip:bob@example.test', senderName: null, body, contentType: 'text/plain', createdAt: 5, expiresAt: null,
      dialogId: null, sipCallId: callId, cseq: 1, cpimMessageId: null, state: 'received' as const, dateHeader: null, read: false,
    });
    const batch = ops.storeIncomingBatch([item('lunch alpha', 'b1'), item('lunch beta', 'b2'), item('lunch gamma', 'b3')]);
    const ids = batch.outcomes.map((o) => (o.kind === 'inserted' ? Number(o.message.id) : 0));
    const one = ops.insertIncoming(incoming(c.id, { body: 'lunch delta', sipCallId: 'x1', cseq: 1 }));
    if (!('inserted' in one)) throw new Error('expected an insert');
    ops.deleteMessage(String(ids[0]) as MessageId);
    db.exec(`UPDATE messages SET body = 'dinner' WHERE id = ${String(ids[1])}`);
    expect(db.prepare(match).all('lunch').map((r) => r['rowid'])).toEqual([ids[2], Number(one.inserted.id)]);
    expect(ops.search('dinner', 10).map((h) => h.snippet)).toEqual(['dinner']);
    db.exec(integrity);
    db.close();
  });
});
