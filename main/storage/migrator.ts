/**
 * Numbered schema migrations. The schema version is `PRAGMA user_version`: migration N moves the
 * database from version N-1 to N inside one transaction, so a crash mid-way leaves the old version
 * intact and the next open simply retries. Re-opening an up-to-date database runs nothing.
 */
import type { DatabaseSync } from 'node:sqlite';

export interface Migration {
  /** the schema version this migration produces (1, 2, 3 ...) */
  readonly version: number;
  readonly name: string;
  up(db: DatabaseSync): void;
}

export function schemaVersion(db: DatabaseSync): number {
  const row = db.prepare('PRAGMA user_version').get();
  const v = row?.['user_version'];
  if (typeof v !== 'number') throw new Error('PRAGMA user_version returned no number');
  return v;
}

/** Applies every migration above the current version, in order; returns the versions applied. */
export function migrate(db: DatabaseSync, migrations: readonly Migration[]): number[] {
  migrations.forEach((m, i) => {
    if (m.version !== i + 1) throw new Error(`migration ${m.name} has version ${m.version}, expected ${i + 1}`);
  });
  const current = schemaVersion(db);
  if (current > migrations.length) {
    throw new Error(`database schema version ${current} is newer than this app knows (${migrations.length})`);
  }
  const applied: number[] = [];
  for (const m of migrations.slice(current)) {
    db.exec('BEGIN IMMEDIATE');
    try {
      m.up(db);
      // PRAGMA takes no bound parameters; the version is an integer we control
      db.exec(`PRAGMA user_version = ${String(m.version)}`);
      db.exec('COMMIT');
    } catch (e) {
      db.exec('ROLLBACK');
      throw new Error(`migration ${m.name} failed: ${e instanceof Error ? e.message : String(e)}`, { cause: e });
    }
    applied.push(m.version);
  }
  return applied;
}
