/**
 * 0012 (issue 18): new messages are added to the full-text index by the message repository, not by an
 * AFTER INSERT trigger. FTS5 flushes its pending terms to a new index segment whenever a statement opens
 * a savepoint in a transaction that has written to it (its xSavepoint syncs), and every INSERT INTO
 * messages opens one (it has triggers and constraints that may abort). With the trigger, a group commit
 * of N received messages wrote N tiny segments and merged them again: a third of the storage worker's
 * time under load. The repository now indexes a batch's messages together at the end of its transaction
 * (one flush at COMMIT), and a single insert right after its row, in the same transaction as before.
 * The delete and update triggers stay: every row the repository inserts is indexed (external-content
 * table, https://sqlite.org/fts5.html §4.4.3), so deleting one keeps the index consistent.
 */
import type { Migration } from '../migrator.ts';

export const m0012SearchIndexByRepository: Migration = {
  version: 12,
  name: '0012-search-index-by-repository',
  up(db) {
    db.exec('DROP TRIGGER messages_fts_ai');
  },
};
