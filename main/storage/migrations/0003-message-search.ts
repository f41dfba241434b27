/**
 * 0003: full-text search over message bodies with FTS5, as an external-content table over `messages`
 * kept in sync by triggers (https://sqlite.org/fts5.html §4.4.3). Existing rows are indexed on upgrade.
 */
import type { Migration } from '../migrator.ts';

export const m0003MessageSearch: Migration = {
  version: 3,
  name: '0003-message-search',
  up(db) {
    db.exec(`
      CREATE VIRTUAL TABLE messages_fts USING fts5 (
        body,
        content = 'messages',
        content_rowid = 'id',
        tokenize = 'unicode61 remove_diacritics 2'
      );
      CREATE TRIGGER messages_fts_ai AFTER INSERT ON messages BEGIN
        INSERT INTO messages_fts (rowid, body) VALUES (NEW.id, NEW.body);
      END;
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
