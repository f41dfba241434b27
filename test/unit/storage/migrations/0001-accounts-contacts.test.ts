import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../../../main/storage/database.ts';
import { migrate, schemaVersion } from '../../../../main/storage/migrator.ts';
import { migrations } from '../../../../main/storage/migrations/index.ts';
import { tableNames, tempDir } from '../fixtures.ts';

const upTo1 = migrations.slice(0, 1);

describe('migration 0001-accounts-contacts', () => {
  const tmp = tempDir();
  afterEach(() => tmp.remove());

  it('applies on an empty database and sets user_version 1', () => {
    const db = openDatabase(tmp.file('a.db'), upTo1);
    expect(schemaVersion(db)).toBe(1);
    expect(tableNames(db)).toEqual(expect.arrayContaining(['accounts', 'contacts', 'contacts_by_name']));
    db.close();
  });

  it('keeps data and applies nothing on re-open (idempotent)', () => {
    const path = tmp.file('b.db');
    const db = openDatabase(path, upTo1);
    db.prepare(`INSERT INTO contacts (id, display_name, address, address_key, note, created_at)
      VALUES ('c1', 'Bob', 'sip:bob@example.test', 'bob@example.test', '', 1)`).run();
    db.close();
    const again = openDatabase(path, upTo1);
    expect(migrate(again, upTo1)).toEqual([]);
    expect(again.prepare('SELECT display_name FROM contacts').get()).toEqual({ display_name: 'Bob' });
    again.close();
  });

  it('stores the password only as a blob column: there is no plain-text password column', () => {
    const db = openDatabase(':memory:', upTo1);
    const cols = db.prepare('PRAGMA table_info(accounts)').all().map((r) => [r['name'], r['type']]);
    expect(cols).toContainEqual(['password_secret', 'BLOB']);
    expect(cols.map(([n]) => n)).not.toContain('password');
    db.close();
  });

  it('rejects a second account with the same address of record', () => {
    const db = openDatabase(':memory:', upTo1);
    const ins = db.prepare(`INSERT INTO accounts (id, aor, aor_key, display_name, auth_user, registrar, transport, cpim,
      enabled, created_at) VALUES (?, 'sip:a@x', 'a@x', '', 'a', 'x', 'udp', 0, 1, 1)`);
    ins.run('a1');
    expect(() => ins.run('a2')).toThrow(/UNIQUE/);
    db.close();
  });
});
