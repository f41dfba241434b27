import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../../../main/storage/database.ts';
import { migrate, schemaVersion } from '../../../../main/storage/migrator.ts';
import { migrations } from '../../../../main/storage/migrations/index.ts';
import { tempDir } from '../fixtures.ts';

const upTo2 = migrations.slice(0, 2);
const upTo3 = migrations.slice(0, 3);

function seed(path: string): void {
  const db = openDatabase(path, upTo2);
  db.exec(`INSERT INTO accounts (id, aor, aor_key, display_name, auth_user, registrar, transport, cpim, enabled,
    created_at) VALUES ('a1', 'sip:a@x', 'a@x', '', 'a', 'x', 'udp', 0, 1, 1);
    INSERT INTO conversations (account_id, peer, peer_key, title, last_activity) VALUES ('a1', 'sip:b@x', 'b@x', 'B', 5);
    INSERT INTO messages (conversation_id, account_id, direction, state, body, content_type, created_at, bytes)
      VALUES (1, 'a1', 'in', 'received', 'the quarterly report is late', 'text/plain', 1, 28)`);
  db.close();
}

const match = 'SELECT rowid FROM messages_fts WHERE messages_fts MATCH ?';

describe('migration 0003-message-search', () => {
  const tmp = tempDir();
  afterEach(() => tmp.remove());

  it('applies on schema 2, messages survive and are indexed on upgrade', () => {
    const path = tmp.file('a.db');
    seed(path);
    const db = openDatabase(path, upTo3);
    expect(schemaVersion(db)).toBe(3);
    expect(db.prepare('SELECT count(*) AS n FROM messages').get()).toEqual({ n: 1 });
    expect(db.prepare(match).all('quarterly')).toEqual([{ rowid: 1 }]);
    db.close();
    const again = openDatabase(path, upTo3);
    expect(migrate(again, upTo3)).toEqual([]);
    again.close();
  });

  it('keeps the external-content index in sync on insert, body update and delete', () => {
    const path = tmp.file('b.db');
    seed(path);
    const db = openDatabase(path, upTo3);
    db.exec(`INSERT INTO messages (conversation_id, account_id, direction, state, body, content_type, created_at, bytes)
      VALUES (1, 'a1', 'out', 'queued', 'lunch tomorrow?', 'text/plain', 2, 15)`);
    expect(db.prepare(match).all('lunch')).toEqual([{ rowid: 2 }]);
    db.exec("UPDATE messages SET body = 'dinner tonight?' WHERE id = 2");
    expect(db.prepare(match).all('lunch')).toEqual([]);
    expect(db.prepare(match).all('dinner')).toEqual([{ rowid: 2 }]);
    db.exec('DELETE FROM messages WHERE id = 2');
    expect(db.prepare(match).all('dinner')).toEqual([]);
    // FTS5 integrity-check compares the index with the content table
    db.exec("INSERT INTO messages_fts (messages_fts) VALUES ('integrity-check')");
    db.close();
  });

  it('refuses a database newer than the app', () => {
    const path = tmp.file('c.db');
    openDatabase(path, upTo3).close();
    expect(() => openDatabase(path, upTo2)).toThrow(/newer than this app/);
  });
});
