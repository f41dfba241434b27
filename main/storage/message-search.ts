/** Full-text search over message bodies (FTS5 table of migration 0003), most recently stored first. */
import type { DatabaseSync, StatementSync } from 'node:sqlite';
import type { SearchHit } from '#shared/domain/chat.ts';
import { CONVERSATION_TITLE } from './conversation-repository.ts';
import { ftsMatchExpression } from './fts-query.ts';
import { MESSAGE_COLUMNS, messageFromRow } from './message-row.ts';
import { text } from './row.ts';

export const MAX_SEARCH_HITS = 500;

export class MessageSearch {
  readonly #search: StatementSync;

  constructor(db: DatabaseSync) {
    // Newest first by message id (= arrival order): FTS5 walks its doclists backwards by rowid and stops
    // at LIMIT, instead of sorting every match. snippet(): column 0, no markers (plain text), ~12 tokens.
    this.#search = db.prepare(`
      SELECT ${MESSAGE_COLUMNS}, snippet(messages_fts, 0, '', '', '…', 12) AS snippet,
        ${CONVERSATION_TITLE} AS conversation_title
      FROM messages_fts
        JOIN messages m ON m.id = messages_fts.rowid
        JOIN conversations c ON c.id = m.conversation_id
        LEFT JOIN contacts ct ON ct.id = c.contact_id
      WHERE messages_fts MATCH :q
      ORDER BY messages_fts.rowid DESC
      LIMIT :n`);
  }

  /** `query` is what the user typed; it is never interpreted as FTS syntax. */
  search(query: string, limit: number): SearchHit[] {
    const q = ftsMatchExpression(query);
    if (q === null) return [];
    const n = Math.max(1, Math.min(MAX_SEARCH_HITS, Math.trunc(limit)));
    return this.#search.all({ q, n }).map((row) => ({
      message: messageFromRow(row),
      conversationTitle: text(row, 'conversation_title'),
      snippet: text(row, 'snippet'),
    }));
  }
}
