/** Opens the SQLite file with the connection settings the repositories rely on, then migrates it. */
import { DatabaseSync } from 'node:sqlite';
import { migrate, type Migration } from './migrator.ts';
import { migrations as allMigrations } from './migrations/index.ts';

export function openDatabase(path: string, migrations: readonly Migration[] = allMigrations): DatabaseSync {
  const db = new DatabaseSync(path, { enableForeignKeyConstraints: true });
  try {
    // WAL: readers never block the writer and a commit is one append (https://sqlite.org/wal.html).
    // ':memory:' databases stay in 'memory' journal mode; that is what SQLite supports there.
    db.exec('PRAGMA journal_mode = WAL');
    db.exec('PRAGMA synchronous = NORMAL');
    db.exec('PRAGMA foreign_keys = ON');
    db.exec('PRAGMA busy_timeout = 5000');
    migrate(db, migrations);
  } catch (e) {
    db.close();
    throw e;
  }
  return db;
}

/** Runs `fn` in one transaction; nested calls join the outer one. */
export function inTransaction<T>(db: DatabaseSync, fn: () => T): T {
  if (db.isTransaction) return fn();
  db.exec('BEGIN IMMEDIATE');
  try {
    const value = fn();
    db.exec('COMMIT');
    return value;
  } catch (e) {
    db.exec('ROLLBACK');
    throw e;
  }
}
