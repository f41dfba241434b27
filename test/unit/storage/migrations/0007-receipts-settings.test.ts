import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../../../main/storage/database.ts';
import { migrate, schemaVersion } from '../../../../main/storage/migrator.ts';
import { migrations } from '../../../../main/storage/migrations/index.ts';
import { tempDir } from '../fixtures.ts';

const upTo6 = migrations.slice(0, 6);
const upTo7 = migrations.slice(0, 7);

describe('migration 0007-receipts-settings', () => {
  const tmp = tempDir();
  afterEach(() => tmp.remove());

  it('applies on schema 6: messages survive with no receipt, receipts only take known values, settings work', () => {
    const path = tmp.file('a.db');
    const old = openDatabase(path, upTo6);
    old.exec(`INSERT INTO accounts (id, aor, aor_key, display_name, auth_user, registrar, transport, cpim, enabled,
      created_at) VALUES ('a1', 'sip:a@x', 'a@x', '', 'a', 'x', 'udp', 1, 1, 1);
      INSERT INTO conversations (account_id, peer, peer_key, title, last_activity) VALUES ('a1', 'sip:b@x', 'b@x', 'B', 5);
      INSERT INTO messages (conversation_id, account_id, direction, state, body, content_type, created_at, bytes, cpim_message_id)
        VALUES (1, 'a1', 'out', 'accepted', 'stored by the PBX', 'text/plain', 1, 17, 'm-1')`);
    old.close();
    const db = openDatabase(path, upTo7);
    expect(schemaVersion(db)).toBe(7);
    expect(db.prepare('SELECT body, receipt, imdn_request, imdn_displayed_at FROM messages').all()).toEqual([
      { body: 'stored by the PBX', receipt: null, imdn_request: null, imdn_displayed_at: null },
    ]);
    expect(() => db.exec(`UPDATE messages SET receipt = 'seen'`)).toThrow(/CHECK/);
    db.exec(`UPDATE messages SET receipt = 'read'`);
    const plan = db.prepare(`EXPLAIN QUERY PLAN SELECT id FROM messages WHERE account_id = 'a1' AND direction = 'out'
      AND cpim_message_id = 'm-1'`).all();
    expect(JSON.stringify(plan)).toContain('messages_out_by_cpim');
    db.exec(`INSERT INTO settings (key, value) VALUES ('privacy', '{}')`);
    expect(db.prepare('SELECT value FROM settings').get()).toEqual({ value: '{}' });
    db.close();
    const again = openDatabase(path, upTo7);
    expect(migrate(again, upTo7)).toEqual([]);
    again.close();
  });
});
