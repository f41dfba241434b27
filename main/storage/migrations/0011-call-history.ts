/**
 * 0011 (issue 16, call history): every call that ended, as the Calls screen and the conversation
 * timeline show it (direction, peer, times, end reason, missed), so "Recent calls" and the call rows
 * survive a restart. One row per call, written once when the call ends (never per state change);
 * call-repository.ts keeps only the newest CALL_HISTORY_LIMIT rows. No foreign key to accounts: the
 * history of a removed account stays readable, as a phone's call log does.
 */
import type { Migration } from '../migrator.ts';

export const m0011CallHistory: Migration = {
  version: 11,
  name: '0011-call-history',
  up(db) {
    db.exec(`
      CREATE TABLE calls (
        id           TEXT PRIMARY KEY,
        account_id   TEXT NOT NULL,
        direction    TEXT NOT NULL CHECK (direction IN ('in', 'out')),
        peer         TEXT NOT NULL,
        peer_name    TEXT NOT NULL,
        started_at   INTEGER NOT NULL,
        connected_at INTEGER,
        ended_at     INTEGER NOT NULL,
        end_reason   TEXT,
        -- an incoming call never answered (and not declined by the user): the missed-call badge
        missed       INTEGER NOT NULL CHECK (missed IN (0, 1)),
        encrypted    INTEGER NOT NULL CHECK (encrypted IN (0, 1)),
        codec        TEXT,
        wideband     INTEGER NOT NULL CHECK (wideband IN (0, 1))
      ) STRICT;
      CREATE INDEX calls_by_start ON calls (started_at DESC, id);
    `);
  },
};
