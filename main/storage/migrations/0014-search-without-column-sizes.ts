/**
 * 0014 (issue 18): the full-text index keeps no per-row column sizes. FTS5 stores, for every row it
 * indexes, the token count of each column in a `messages_fts_docsize` table (https://sqlite.org/fts5.html
 * §4.8 "the columnsize option"): one more B-tree insert per received message, and one more page written
 * by every group commit. Only ranking functions such as bm25() read it by default; message search orders
 * by rowid and its snippet() counts the tokens of the few rows it shows when asked (FTS5 tokenizes the
 * row's text instead, same result). The table is recreated with `columnsize = 0` and rebuilt from
 * `messages` (external content, as 0003); the delete and update triggers are recreated as they were.
 */
import type { Migration } from '../migrator.ts';

export const m0014SearchWithoutColumnSizes: Migration = {
  version: 14,
  name: '0014-search-without-column-sizes',
  up(db) {
    db.exec(`
      DROP TRIGGER messages_fts_ad;
      DROP TRIGGER messages_fts_au;
      DROP TABLE messages_fts;
      CREATE VIRTUAL TABLE messages_fts USING fts5 (
        body,
        content = 'messages',
        content_rowid = 'id',
        tokenize = 'unicode61 remove_diacritics 2',
        columnsize = 0
      );
      CREATE TRIGGER messages_fts_ad AFTER DELETE ON messages BEGIN
        INSERT INTO messages_fts (messages_fts, rowid, body) VALUES ('delete', OLD.id, OLD.body);
      END;
      CREATE TRIGGER messages_fts_au AFTER UPDATE OF body ON messages BEGIN
        INSERT INTO messages_fts (messages_fts, rowid, body) VALUES ('delete', OLD.id, OLD.body);
        INSERT INTO messages_fts (rowid, body) VALUES (NEW.id, NEW.body);
      END;
      INSERT INTO messages_fts (messages_fts) VALUES ('rebuild');
    `);
  },
};
