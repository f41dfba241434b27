/**
 * 0002: conversations and messages.
 * - history is paged by keyset on (conversation_id, created_at, id) through `messages_by_conversation`;
 * - duplicates of an incoming MESSAGE (UDP retransmission, forking, store-and-forward re-delivery) are
 *   rejected by unique partial indexes on (account, Call-ID, CSeq) (RFC 3261 §17.2.3 / §8.2.2.2) and on
 *   (account, CPIM Message-ID) (RFC 3862 §5.1 / RFC 5438 §6.3);
 * - unsent outgoing messages are found through the partial `messages_outbox` index;
 * - conversations keep message_count, unread and last_activity up to date by triggers.
 */
import type { Migration } from '../migrator.ts';

export const m0002ConversationsMessages: Migration = {
  version: 2,
  name: '0002-conversations-messages',
  up(db) {
    db.exec(`
      CREATE TABLE conversations (
        id             INTEGER PRIMARY KEY AUTOINCREMENT,
        account_id     TEXT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
        peer           TEXT NOT NULL,
        peer_key       TEXT NOT NULL,
        title          TEXT NOT NULL,
        contact_id     TEXT REFERENCES contacts (id) ON DELETE SET NULL,
        unknown_sender INTEGER NOT NULL DEFAULT 0 CHECK (unknown_sender IN (0, 1)),
        unread         INTEGER NOT NULL DEFAULT 0,
        message_count  INTEGER NOT NULL DEFAULT 0,
        last_activity  INTEGER NOT NULL,
        UNIQUE (account_id, peer_key)
      ) STRICT;
      CREATE INDEX conversations_by_activity ON conversations (last_activity DESC, id DESC);
      CREATE INDEX conversations_by_peer_key ON conversations (peer_key);
      CREATE INDEX conversations_by_contact ON conversations (contact_id);

      CREATE TABLE messages (
        id                  INTEGER PRIMARY KEY AUTOINCREMENT,
        conversation_id     INTEGER NOT NULL REFERENCES conversations (id) ON DELETE CASCADE,
        account_id          TEXT NOT NULL,
        direction           TEXT NOT NULL CHECK (direction IN ('in', 'out')),
        state               TEXT NOT NULL,
        body                TEXT NOT NULL,
        content_type        TEXT NOT NULL,
        code                INTEGER,
        reason              TEXT,
        sip_call_id         TEXT,
        cseq                INTEGER,
        cpim_message_id     TEXT,
        dialog_id           TEXT,
        call_id             TEXT,
        sent_out_of_dialog  INTEGER NOT NULL DEFAULT 0 CHECK (sent_out_of_dialog IN (0, 1)),
        created_at          INTEGER NOT NULL,
        sent_at             INTEGER,
        date_header         INTEGER,
        expires_at          INTEGER,
        bytes               INTEGER NOT NULL,
        read                INTEGER NOT NULL DEFAULT 0 CHECK (read IN (0, 1))
      ) STRICT;
      CREATE INDEX messages_by_conversation ON messages (conversation_id, created_at, id);
      CREATE UNIQUE INDEX messages_dedup_sip ON messages (account_id, sip_call_id, cseq)
        WHERE direction = 'in' AND sip_call_id IS NOT NULL AND cseq IS NOT NULL;
      CREATE UNIQUE INDEX messages_dedup_cpim ON messages (account_id, cpim_message_id)
        WHERE direction = 'in' AND cpim_message_id IS NOT NULL;
      CREATE INDEX messages_outbox ON messages (account_id, created_at, id)
        WHERE direction = 'out' AND state IN ('queued', 'sending');

      CREATE TRIGGER messages_count_ai AFTER INSERT ON messages BEGIN
        UPDATE conversations SET
          message_count = message_count + 1,
          unread = unread + (NEW.direction = 'in' AND NEW.read = 0),
          last_activity = max(last_activity, NEW.created_at)
        WHERE id = NEW.conversation_id;
      END;
      CREATE TRIGGER messages_count_ad AFTER DELETE ON messages BEGIN
        UPDATE conversations SET
          message_count = message_count - 1,
          unread = unread - (OLD.direction = 'in' AND OLD.read = 0)
        WHERE id = OLD.conversation_id;
      END;
      CREATE TRIGGER messages_unread_au AFTER UPDATE OF read ON messages
      WHEN OLD.read <> NEW.read AND NEW.direction = 'in' BEGIN
        UPDATE conversations SET unread = unread + (OLD.read - NEW.read) WHERE id = NEW.conversation_id;
      END;
    `);
  },
};
