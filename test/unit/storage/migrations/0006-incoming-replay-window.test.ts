import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../../../main/storage/database.ts';
import { migrate, schemaVersion } from '../../../../main/storage/migrator.ts';
import { migrations } from '../../../../main/storage/migrations/index.ts';
import { tempDir } from '../fixtures.ts';

const upTo5 = migrations.slice(0, 5);
const upTo6 = migrations.slice(0, 6);

describe('migration 0006-incoming-replay-window', () => {
  const tmp = tempDir();
  afterEach(() => tmp.remove());

  it('applies on schema 5: messages survive, incoming_seen starts empty, keyed by account + Call-ID + CSeq + From tag', () => {
    const path = tmp.file('a.db');
    const old = openDatabase(path, upTo5);
    old.exec(`INSERT INTO accounts (id, aor, aor_key, display_name, auth_user, registrar, transport, cpim, enabled,
      created_at) VALUES ('a1', 'sip:a@x', 'a@x', '', 'a', 'x', 'udp', 0, 1, 1);
      INSERT INTO conversations (account_id, peer, peer_key, title, last_activity) VALUES ('a1', 'sip:b@x', 'b@x', 'B', 5);
      INSERT INTO messages (conversation_id, account_id, direction, state, body, content_type, sip_call_id, cseq, created_at, bytes)
        VALUES (1, 'a1', 'in', 'received', 'old one', 'text/plain', 'c1', 1, 1, 7)`);
    old.close();
    const db = openDatabase(path, upTo6);
    expect(schemaVersion(db)).toBe(6);
    expect(db.prepare('SELECT body FROM messages').all()).toEqual([{ body: 'old one' }]);
    expect(db.prepare('SELECT count(*) AS n FROM incoming_seen').get()).toEqual({ n: 0 });
    const insert = db.prepare(`INSERT INTO incoming_seen (account_id, sip_call_id, cseq, from_tag, seen_at)
      VALUES ('a1', 'c1', 1, ?, 5) ON CONFLICT DO NOTHING`);
    expect(Number(insert.run('t1').changes)).toBe(1);
    expect(Number(insert.run('t1').changes)).toBe(0);
    expect(Number(insert.run('t2').changes)).toBe(1);
    // the old message stays protected by the Call-ID + CSeq index of 0002
    expect(() =>
      db.exec(`INSERT INTO messages (conversation_id, account_id, direction, state, body, content_type, sip_call_id, cseq, created_at, bytes)
        VALUES (1, 'a1', 'in', 'received', 'again', 'text/plain', 'c1', 1, 2, 5)`),
    ).toThrow(/UNIQUE/);
    db.close();
    const again = openDatabase(path, upTo6);
    expect(migrate(again, upTo6)).toEqual([]);
    again.close();
  });
});
