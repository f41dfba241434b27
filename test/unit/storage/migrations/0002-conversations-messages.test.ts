import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../../../main/storage/database.ts';
import { migrate, schemaVersion } from '../../../../main/storage/migrator.ts';
import { migrations } from '../../../../main/storage/migrations/index.ts';
import { tableNames, tempDir } from '../fixtures.ts';

const upTo1 = migrations.slice(0, 1);
const upTo2 = migrations.slice(0, 2);

const insertMessage = `INSERT INTO messages (conversation_id, account_id, direction, state, body, content_type, created_at,
  bytes, read, sip_call_id, cseq, cpim_message_id) VALUES (1, 'a1', ?, ?, 'x', 'text/plain', ?, 1, 0, ?, ?, ?)`;

describe('migration 0002-conversations-messages', () => {
  const tmp = tempDir();
  afterEach(() => tmp.remove());

  it('applies on schema 1 and the accounts and contacts already stored survive', () => {
    const path = tmp.file('a.db');
    const v1 = openDatabase(path, upTo1);
    v1.prepare(`INSERT INTO accounts (id, aor, aor_key, display_name, auth_user, password_secret, registrar, transport,
      cpim, enabled, created_at) VALUES ('a1', 'sip:a@x', 'a@x', 'A', 'a', x'0102', 'x', 'udp', 0, 1, 1)`).run();
    v1.close();

    const v2 = openDatabase(path, upTo2);
    expect(schemaVersion(v2)).toBe(2);
    expect(tableNames(v2)).toEqual(expect.arrayContaining(['conversations', 'messages', 'messages_by_conversation']));
    const row = v2.prepare('SELECT id, password_secret FROM accounts').get();
    expect(row?.['id']).toBe('a1');
    expect(row?.['password_secret']).toEqual(new Uint8Array([1, 2]));
    v2.close();

    const again = openDatabase(path, upTo2);
    expect(migrate(again, upTo2)).toEqual([]);
    again.close();
  });

  it('keeps unread, message count and last activity by triggers', () => {
    const db = openDatabase(':memory:', upTo2);
    db.exec(`INSERT INTO accounts (id, aor, aor_key, display_name, auth_user, registrar, transport, cpim, enabled,
      created_at) VALUES ('a1', 'sip:a@x', 'a@x', '', 'a', 'x', 'udp', 0, 1, 1);
      INSERT INTO conversations (account_id, peer, peer_key, title, last_activity) VALUES ('a1', 'sip:b@x', 'b@x', 'B', 5)`);
    const ins = db.prepare(insertMessage);
    ins.run('in', 'received', 100, 'c1', 1, null);
    ins.run('out', 'queued', 200, null, null, null);
    const conv = () => db.prepare('SELECT unread, message_count, last_activity FROM conversations').get();
    expect(conv()).toEqual({ unread: 1, message_count: 2, last_activity: 200 });
    db.exec('UPDATE messages SET read = 1');
    expect(conv()).toEqual({ unread: 0, message_count: 2, last_activity: 200 });
    db.exec('DELETE FROM messages');
    expect(conv()).toEqual({ unread: 0, message_count: 0, last_activity: 200 });
    db.close();
  });

  it('MUST reject a second incoming copy with the same Call-ID and CSeq, or the same CPIM Message-ID (RFC 3261 §17.2.3, RFC 3862 §5.1)', () => {
    const db = openDatabase(':memory:', upTo2);
    db.exec(`INSERT INTO accounts (id, aor, aor_key, display_name, auth_user, registrar, transport, cpim, enabled,
      created_at) VALUES ('a1', 'sip:a@x', 'a@x', '', 'a', 'x', 'udp', 0, 1, 1);
      INSERT INTO conversations (account_id, peer, peer_key, title, last_activity) VALUES ('a1', 'sip:b@x', 'b@x', 'B', 5)`);
    const ins = db.prepare(insertMessage);
    ins.run('in', 'received', 1, 'call-1', 7, null);
    expect(() => ins.run('in', 'received', 2, 'call-1', 7, null)).toThrow(/UNIQUE/);
    ins.run('in', 'received', 3, 'call-1', 8, 'cpim-1');
    expect(() => ins.run('in', 'received', 4, 'call-2', 1, 'cpim-1')).toThrow(/UNIQUE/);
    // outgoing rows are not subject to the incoming dedup keys
    ins.run('out', 'sending', 5, 'call-1', 7, 'cpim-1');
    db.close();
  });
});
