/**
 * 0008 (issue 10): the account's digest realm binding (RFC 3261 §22: credentials answer only the realm
 * of the account): a configured realm, extra realms (an outbound proxy with its own realm, a JSON list),
 * the realm learned from the registrar's first successful challenge, and the peer-to-peer switch
 * (allow requests from outside the registered path; off by default).
 */
import type { Migration } from '../migrator.ts';

export const m0008AccountRealms: Migration = {
  version: 8,
  name: '0008-account-realms',
  up(db) {
    db.exec(`
      ALTER TABLE accounts ADD COLUMN realm TEXT;
      ALTER TABLE accounts ADD COLUMN extra_realms TEXT NOT NULL DEFAULT '[]';
      ALTER TABLE accounts ADD COLUMN learned_realm TEXT;
      ALTER TABLE accounts ADD COLUMN allow_direct INTEGER NOT NULL DEFAULT 0 CHECK (allow_direct IN (0, 1));
    `);
  },
};
