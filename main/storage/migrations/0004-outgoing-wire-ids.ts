/**
 * 0004: the From tag of an outgoing pager MESSAGE is kept with its Call-ID and CSeq, so a re-send after
 * a restart is the same request (RFC 3261 §8.1.3.5 / §17.2.3: a retransmission, not a new message) to
 * any receiver, ours included.
 */
import type { Migration } from '../migrator.ts';

export const m0004OutgoingWireIds: Migration = {
  version: 4,
  name: '0004-outgoing-wire-ids',
  up(db) {
    db.exec(`ALTER TABLE messages ADD COLUMN sip_from_tag TEXT;`);
  },
};
