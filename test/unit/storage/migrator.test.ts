import { describe, expect, it } from 'vitest';
import { DatabaseSync } from 'node:sqlite';
import { migrate, schemaVersion, type Migration } from '../../../main/storage/migrator.ts';

const ok1: Migration = { version: 1, name: 'one', up: (db) => db.exec('CREATE TABLE a (x INTEGER)') };
const broken2: Migration = {
  version: 2,
  name: 'two',
  up: (db) => {
    db.exec('CREATE TABLE b (x INTEGER)');
    db.exec('THIS IS NOT SQL');
  },
};

describe('migrate (PRAGMA user_version)', () => {
  it('applies pending migrations in order and nothing on the next run', () => {
    const db = new DatabaseSync(':memory:');
    expect(migrate(db, [ok1])).toEqual([1]);
    expect(schemaVersion(db)).toBe(1);
    expect(migrate(db, [ok1])).toEqual([]);
  });

  it('rolls a failing migration back whole and keeps the previous version', () => {
    const db = new DatabaseSync(':memory:');
    migrate(db, [ok1]);
    expect(() => migrate(db, [ok1, broken2])).toThrow(/migration two failed/);
    expect(schemaVersion(db)).toBe(1);
    expect(db.prepare("SELECT count(*) AS n FROM sqlite_schema WHERE name = 'b'").get()).toEqual({ n: 0 });
  });

  it('rejects a list whose versions are not 1, 2, 3 ...', () => {
    const db = new DatabaseSync(':memory:');
    expect(() => migrate(db, [{ ...ok1, version: 2 }])).toThrow(/expected 1/);
  });
});
