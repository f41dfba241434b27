/**
 * 0013 (issue 18): the replay window (0006) is written when an incoming message row is DELETED, not for
 * every message received. While its row exists a received request is already recognised by the row
 * itself (messages_dedup_sip: account + Call-ID + CSeq, RFC 3261 §17.2.3), so `incoming_seen` only has
 * to remember the identities whose rows are gone — a deleted message or conversation (the cascade fires
 * this trigger too) — for the rest of their window, counted from receipt as before. Writing it per
 * received message cost two B-tree inserts with the whole key (the table and its seen_at index): 8 of
 * the 26 pages a 24-message group commit wrote.
 *
 * Incoming rows now keep their From tag (sip_from_tag, so far only filled for outgoing ones). Rows
 * received before 0013 have none, and need none: their identities were written to incoming_seen when
 * they arrived and stay there for their window.
 */
import type { Migration } from '../migrator.ts';

export const m0013ReplayWindowOnDelete: Migration = {
  version: 13,
  name: '0013-replay-window-on-delete',
  up(db) {
    db.exec(`
      CREATE TRIGGER messages_seen_ad AFTER DELETE ON messages
      WHEN OLD.direction = 'in' AND OLD.sip_call_id IS NOT NULL AND OLD.cseq IS NOT NULL AND OLD.sip_from_tag IS NOT NULL BEGIN
        INSERT OR IGNORE INTO incoming_seen (account_id, sip_call_id, cseq, from_tag, seen_at)
        VALUES (OLD.account_id, OLD.sip_call_id, OLD.cseq, OLD.sip_from_tag, OLD.created_at);
      END;
    `);
  },
};
