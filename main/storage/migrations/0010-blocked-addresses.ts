/**
 * 0010 (issue 10, message requests): addresses the user blocked. One row per address key (user@host,
 * address-key.ts), whether or not the address is a contact: a MESSAGE from a blocked address is answered
 * 403 and never stored. A conversation started by an unknown sender (`unknown_sender`, 0002) is a message
 * request until the user accepts it (which clears the flag) — no new column is needed for that.
 */
import type { Migration } from '../migrator.ts';

export const m0010BlockedAddresses: Migration = {
  version: 10,
  name: '0010-blocked-addresses',
  up(db) {
    db.exec(`
      CREATE TABLE blocked_addresses (
        address_key TEXT PRIMARY KEY,
        address     TEXT NOT NULL,
        blocked_at  INTEGER NOT NULL
      ) STRICT;
    `);
  },
};
