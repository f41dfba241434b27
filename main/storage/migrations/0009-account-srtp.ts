/**
 * 0009 (issue 13): SRTP per account: the setting (off / offered / required; NULL = the default for the
 * transport, required on TLS and offered otherwise, which is what accounts saved before had) and the
 * consent to send SDES keys over UDP/TCP signalling (RFC 4568 §8.3; off by default).
 */
import type { Migration } from '../migrator.ts';

export const m0009AccountSrtp: Migration = {
  version: 9,
  name: '0009-account-srtp',
  up(db) {
    db.exec(`
      ALTER TABLE accounts ADD COLUMN srtp TEXT CHECK (srtp IS NULL OR srtp IN ('off', 'offered', 'required'));
      ALTER TABLE accounts ADD COLUMN srtp_over_insecure INTEGER NOT NULL DEFAULT 0 CHECK (srtp_over_insecure IN (0, 1));
    `);
  },
};
