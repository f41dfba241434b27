import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../../../main/storage/database.ts';
import { schemaVersion } from '../../../../main/storage/migrator.ts';
import { migrations } from '../../../../main/storage/migrations/index.ts';
import { createOperations } from '../../../../main/storage/operations.ts';
import { ALICE, accountRecord, incoming, tempDir } from '../fixtures.ts';

describe('migration 0013: the replay window is written when an incoming row is deleted (issue 18)', () => {
  const tmp = tempDir();
  afterEach(() => tmp.remove());

  it('applies on schema 12: a message received before (no From tag kept, its identity in incoming_seen) stays deduplicated, deleted or not', () => {
    const path = tmp.file('a.db');
    const old = openDatabase(path, migrations.slice(0, 12));
    const ops = createOperations(old);
    ops.saveAccount(accountRecord());
    const c = ops.getOrCreateConversation(ALICE, 'sip:bob@example.test', { title: 'Bob', unknownSender: false });
    // what schema 12 wrote for a received MESSAGE: the row without its From tag, and its identity
    old.prepare(`INSERT INTO messages (conversation_id, account_id, direction, state, body, content_type, sip_call_id, cseq, created_at, bytes)
      VALUES (?, ?, 'in', 'received', 'before', 'text/plain', 'c1@h', 7, 10000, 6)`).run(Number(c.id), ALICE);
    old.exec("INSERT INTO messages_fts (rowid, body) VALUES (last_insert_rowid(), 'before')");
    old.prepare(`INSERT INTO incoming_seen (account_id, sip_call_id, cseq, from_tag, seen_at) VALUES (?, 'c1@h', 7, 'ft', 10000)`).run(ALICE);
    old.close();

    const db = openDatabase(path, migrations.slice(0, 13));
    expect(schemaVersion(db)).toBe(13);
    const now = createOperations(db);
    const replay = incoming(c.id, { sipCallId: 'c1@h', cseq: 7, sipFromTag: 'ft', body: 'before', createdAt: 20_000 });
    expect(now.insertIncoming(replay)).toEqual({ duplicate: true });
    const [only] = now.pageMessages(c.id, null, 10).messages;
    if (only === undefined) throw new Error('the old row is gone');
    now.deleteMessage(only.id);
    expect(now.insertIncoming(replay)).toEqual({ duplicate: true });
    expect(now.pageMessages(c.id, null, 10).total).toBe(0);
    // a message received after the upgrade is not written to incoming_seen until its row is deleted
    const fresh = now.insertIncoming(incoming(c.id, { sipCallId: 'c2@h', cseq: 1, sipFromTag: 'ft2', createdAt: 30_000 }));
    if (!('inserted' in fresh)) throw new Error('expected an insert');
    const seen = () => db.prepare('SELECT sip_call_id, cseq, from_tag, seen_at FROM incoming_seen ORDER BY sip_call_id').all();
    expect(seen()).toEqual([{ sip_call_id: 'c1@h', cseq: 7, from_tag: 'ft', seen_at: 10_000 }]);
    now.deleteMessage(fresh.inserted.id);
    expect(seen()).toEqual([
      { sip_call_id: 'c1@h', cseq: 7, from_tag: 'ft', seen_at: 10_000 },
      { sip_call_id: 'c2@h', cseq: 1, from_tag: 'ft2', seen_at: 30_000 },
    ]);
    db.close();
  });
});
