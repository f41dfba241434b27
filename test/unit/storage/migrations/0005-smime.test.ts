import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../../../main/storage/database.ts';
import { migrate, schemaVersion } from '../../../../main/storage/migrator.ts';
import { migrations } from '../../../../main/storage/migrations/index.ts';
import { tempDir } from '../fixtures.ts';

const upTo4 = migrations.slice(0, 4);
const upTo5 = migrations.slice(0, 5);

describe('migration 0005-smime', () => {
  const tmp = tempDir();
  afterEach(() => tmp.remove());

  it('applies on schema 4: conversations and messages survive with no protection chosen; the S/MIME tables start empty', () => {
    const path = tmp.file('a.db');
    const old = openDatabase(path, upTo4);
    old.exec(`INSERT INTO accounts (id, aor, aor_key, display_name, auth_user, registrar, transport, cpim, enabled,
      created_at) VALUES ('a1', 'sip:a@x', 'a@x', '', 'a', 'x', 'udp', 0, 1, 1);
      INSERT INTO conversations (account_id, peer, peer_key, title, last_activity) VALUES ('a1', 'sip:b@x', 'b@x', 'B', 5);
      INSERT INTO messages (conversation_id, account_id, direction, state, body, content_type, created_at, bytes)
        VALUES (1, 'a1', 'in', 'received', 'old one', 'text/plain', 1, 7)`);
    old.close();
    const db = openDatabase(path, upTo5);
    expect(schemaVersion(db)).toBe(5);
    expect(db.prepare('SELECT body, protection FROM messages').all()).toEqual([{ body: 'old one', protection: null }]);
    expect(db.prepare('SELECT protection, protection_required FROM conversations').get()).toEqual({ protection: null, protection_required: 0 });
    for (const t of ['smime_identities', 'smime_peer_certificates', 'smime_replay']) {
      expect(db.prepare(`SELECT count(*) AS n FROM ${t}`).get()).toEqual({ n: 0 });
    }
    // the setting is one of three words; anything else is refused by the schema
    expect(() => db.exec(`UPDATE conversations SET protection = 'maybe'`)).toThrow(/CHECK/);
    db.exec(`UPDATE conversations SET protection = 'sign', protection_required = 1`);
    // an identity goes with its account
    db.exec(`INSERT INTO smime_identities (account_id, certificate, sealed_key, created_at) VALUES ('a1', x'3000', x'01', 1)`);
    db.exec(`DELETE FROM accounts WHERE id = 'a1'`);
    expect(db.prepare('SELECT count(*) AS n FROM smime_identities').get()).toEqual({ n: 0 });
    db.close();
    const again = openDatabase(path, upTo5);
    expect(migrate(again, upTo5)).toEqual([]);
    again.close();
  });
});
