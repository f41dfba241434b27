import { afterEach, describe, expect, it } from 'vitest';
import type { MessageId } from '#shared/domain/ids.ts';
import { openDatabase } from '../../../../main/storage/database.ts';
import { schemaVersion } from '../../../../main/storage/migrator.ts';
import { migrations } from '../../../../main/storage/migrations/index.ts';
import { createOperations } from '../../../../main/storage/operations.ts';
import { ALICE, accountRecord, incoming, outgoing, tempDir } from '../fixtures.ts';

const match = 'SELECT rowid FROM messages_fts WHERE messages_fts MATCH ? ORDER BY rowid';
const integrity = "INSERT INTO messages_fts (messages_fts) VALUES ('integrity-check')";

describe('migration 0012: the message repository fills the search index (issue 18)', () => {
  const tmp = tempDir();
  afterEach(() => tmp.remove());

  it('applies on schema 11: the insert trigger is gone, rows indexed before stay found', () => {
    const path = tmp.file('a.db');
    const old = openDatabase(path, migrations.slice(0, 11));
    const ops = createOperations(old);
    ops.saveAccount(accountRecord());
    const c = ops.getOrCreateConversation(ALICE, 'sip:bob@example.test', { title: 'Bob', unknownSender: false });
    ops.insertIncoming(incoming(c.id, { body: 'the quarterly report' }));
    old.close();
    const db = openDatabase(path, migrations.slice(0, 12));
    expect(schemaVersion(db)).toBe(12);
    expect(db.prepare("SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'messages_fts_%' ORDER BY name").all()).toEqual([
      { name: 'messages_fts_ad' },
      { name: 'messages_fts_au' },
    ]);
    expect(db.prepare(match).all('quarterly')).toEqual([{ rowid: 1 }]);
    db.exec(integrity);
    db.close();
  });

  it('every way a message is stored is searchable; deletes and edits keep the index consistent', () => {
    const db = openDatabase(tmp.file('b.db'));
    const ops = createOperations(db);
    ops.saveAccount(accountRecord());
    const c = ops.getOrCreateConversation(ALICE, 'sip:bob@example.test', { title: 'Bob', unknownSender: false });
    const one = ops.insertIncoming(incoming(c.id, { body: 'lunch alpha', sipCallId: 'x1', cseq: 1 }));
    const out = ops.insertOutgoing(outgoing(c.id, { body: 'lunch beta' }));
    const item = (body: string, callId: string) => ({
      accountId: ALICE, peer: 'sip:carol@example.test', senderName: null, body, contentType: 'text/plain', createdAt: 5, expiresAt: null,
      dialogId: null, sipCallId: callId, cseq: 1, cpimMessageId: null, state: 'received' as const, dateHeader: null, read: false,
    });
    const batch = ops.storeIncomingBatch([item('lunch gamma', 'b1'), item('lunch gamma', 'b1'), item('lunch delta', 'b2')]);
    // a batch whose first try fails is stored one message per transaction: indexed all the same
    const retried = ops.storeIncomingBatch([item('lunch epsilon', 'r1'), { ...item('orphan lunch', 'r2'), accountId: 'nobody' as typeof ALICE }]);
    expect(batch.outcomes.map((o) => o.kind)).toEqual(['inserted', 'duplicate', 'inserted']);
    expect(retried.outcomes.map((o) => o.kind)).toEqual(['inserted', 'error']);
    const ids = [one, out, ...batch.outcomes, ...retried.outcomes].flatMap((o) =>
      'kind' in o ? (o.kind === 'inserted' ? [Number(o.message.id)] : []) : 'inserted' in o ? [Number(o.inserted.id)] : 'id' in o ? [Number(o.id)] : [],
    );
    expect(ids).toHaveLength(5);
    expect(db.prepare(match).all('lunch').map((r) => r['rowid'])).toEqual(ids);
    expect(ops.search('gamma', 10).map((h) => h.message.body)).toEqual(['lunch gamma']);
    db.exec(integrity);
    ops.deleteMessage(String(ids[2]) as MessageId);
    db.exec(`UPDATE messages SET body = 'dinner' WHERE id = ${String(ids[3])}`);
    expect(db.prepare(match).all('lunch').map((r) => r['rowid'])).toEqual([ids[0], ids[1], ids[4]]);
    expect(db.prepare(match).all('dinner').map((r) => r['rowid'])).toEqual([ids[3]]);
    db.exec(integrity);
    db.close();
  });
});
