import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../../../main/storage/database.ts';
import { migrate, schemaVersion } from '../../../../main/storage/migrator.ts';
import { migrations } from '../../../../main/storage/migrations/index.ts';
import { AccountRepository } from '../../../../main/storage/account-repository.ts';
import type { AccountId } from '#shared/domain/ids.ts';
import { tempDir } from '../fixtures.ts';

const before = migrations.slice(0, 8);
const upTo9 = migrations.slice(0, 9);

describe('migration 0009-account-srtp (issue 13)', () => {
  const tmp = tempDir();
  afterEach(() => tmp.remove());

  it('applies on schema 8: existing accounts read the transport default (TLS required, UDP offered), no keys over UDP', () => {
    const path = tmp.file('a.db');
    const old = openDatabase(path, before);
    old.exec(`INSERT INTO accounts (id, aor, aor_key, display_name, auth_user, registrar, transport, cpim, enabled, created_at)
      VALUES ('u', 'sip:u@x', 'u@x', 'U', 'u', 'x', 'udp', 0, 1, 1), ('t', 'sip:t@x', 't@x', 'T', 't', 'x', 'tls', 0, 1, 2)`);
    old.close();
    const db = openDatabase(path, upTo9);
    expect(schemaVersion(db)).toBe(9);
    const repo = new AccountRepository(db);
    expect(repo.get('u' as AccountId)).toMatchObject({ aor: 'sip:u@x', srtp: 'offered', srtpOverInsecure: false });
    expect(repo.get('t' as AccountId)).toMatchObject({ aor: 'sip:t@x', srtp: 'required', srtpOverInsecure: false });
    expect(() => db.exec(`UPDATE accounts SET srtp = 'sometimes'`)).toThrow();
    expect(() => db.exec(`UPDATE accounts SET srtp_over_insecure = 2`)).toThrow();
    db.close();
    const again = openDatabase(path, upTo9);
    expect(migrate(again, upTo9)).toEqual([]);
    again.close();
  });
});
