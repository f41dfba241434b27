/**
 * 0006: the requests we answered as "stored" are remembered by (account, Call-ID, CSeq, From tag) for a
 * bounded window, apart from the message rows. A sender that re-sends the same request after a restart
 * (RFC 3261 §17.2.3: same Call-ID, CSeq and From tag make it a retransmission) is answered 200 again and
 * stored once, even after the user deleted the message or this app restarted. Pruned by `seen_at`.
 * Messages stored before 0006 stay deduplicated by the messages_dedup_sip index (Call-ID + CSeq).
 */
import type { Migration } from '../migrator.ts';

export const m0006IncomingReplayWindow: Migration = {
  version: 6,
  name: '0006-incoming-replay-window',
  up(db) {
    db.exec(`
      CREATE TABLE incoming_seen (
        account_id  TEXT NOT NULL,
        sip_call_id TEXT NOT NULL,
        cseq        INTEGER NOT NULL,
        from_tag    TEXT NOT NULL,
        seen_at     INTEGER NOT NULL,
        PRIMARY KEY (account_id, sip_call_id, cseq, from_tag)
      ) STRICT, WITHOUT ROWID;
      CREATE INDEX incoming_seen_by_time ON incoming_seen (seen_at);
    `);
  },
};
