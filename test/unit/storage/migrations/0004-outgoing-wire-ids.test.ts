import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../../../main/storage/database.ts';
import { migrate, schemaVersion } from '../../../../main/storage/migrator.ts';
import { migrations } from '../../../../main/storage/migrations/index.ts';
import { tempDir } from '../fixtures.ts';

const upTo3 = migrations.slice(0, 3);
const upTo4 = migrations.slice(0, 4);

describe('migration 0004-outgoing-wire-ids', () => {
  const tmp = tempDir();
  afterEach(() => tmp.remove());

  it('applies on schema 3: messages survive, the From tag column starts empty and can be written once', () => {
    const path = tmp.file('a.db');
    const old = openDatabase(path, upTo3);
    old.exec(`INSERT INTO accounts (id, aor, aor_key, display_name, auth_user, registrar, transport, cpim, enabled,
      created_at) VALUES ('a1', 'sip:a@x', 'a@x', '', 'a', 'x', 'udp', 0, 1, 1);
      INSERT INTO conversations (account_id, peer, peer_key, title, last_activity) VALUES ('a1', 'sip:b@x', 'b@x', 'B', 5);
      INSERT INTO messages (conversation_id, account_id, direction, state, body, content_type, created_at, bytes)
        VALUES (1, 'a1', 'out', 'sending', 'in flight', 'text/plain', 1, 9)`);
    old.close();
    const db = openDatabase(path, upTo4);
    expect(schemaVersion(db)).toBe(4);
    expect(db.prepare('SELECT body, sip_from_tag FROM messages').all()).toEqual([{ body: 'in flight', sip_from_tag: null }]);
    db.exec(`UPDATE messages SET sip_from_tag = 'abc'`);
    expect(db.prepare('SELECT sip_from_tag FROM messages').get()).toEqual({ sip_from_tag: 'abc' });
    db.close();
    const again = openDatabase(path, upTo4);
    expect(migrate(again, upTo4)).toEqual([]);
    again.close();
  });
});
