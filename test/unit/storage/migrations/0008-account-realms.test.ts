import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../../../main/storage/database.ts';
import { migrate, schemaVersion } from '../../../../main/storage/migrator.ts';
import { migrations } from '../../../../main/storage/migrations/index.ts';
import { AccountRepository } from '../../../../main/storage/account-repository.ts';
import type { AccountId } from '#shared/domain/ids.ts';
import { tempDir } from '../fixtures.ts';

const before = migrations.slice(0, 7);
const upTo8 = migrations.slice(0, 8);

describe('migration 0008-account-realms (issue 10)', () => {
  const tmp = tempDir();
  afterEach(() => tmp.remove());

  it('applies on schema 7: an existing account keeps its data, has no realm, no extra realms, direct requests off', () => {
    const path = tmp.file('a.db');
    const old = openDatabase(path, before);
    old.exec(`INSERT INTO accounts (id, aor, aor_key, display_name, auth_user, registrar, transport, cpim, enabled,
      created_at) VALUES ('a1', 'sip:a@x', 'a@x', 'A', 'a', 'x', 'udp', 0, 1, 1)`);
    old.close();
    const db = openDatabase(path, upTo8);
    expect(schemaVersion(db)).toBe(8);
    // the repository reads the columns of later migrations too (0009: SRTP)
    migrate(db, migrations);
    const repo = new AccountRepository(db);
    expect(repo.get('a1' as AccountId)).toMatchObject({ aor: 'sip:a@x', realm: null, extraRealms: [], learnedRealm: null, allowDirect: false });
    // the first learning is stored; a second one never replaces it
    expect(repo.learnRealm('a1' as AccountId, 'x-realm')).toBe(true);
    expect(repo.learnRealm('a1' as AccountId, 'other')).toBe(false);
    expect(repo.get('a1' as AccountId)?.learnedRealm).toBe('x-realm');
    expect(() => db.exec(`UPDATE accounts SET allow_direct = 2`)).toThrow();
    db.close();
    const again = openDatabase(path, migrations);
    expect(migrate(again, migrations)).toEqual([]);
    again.close();
  });
});
