/**
 * 0005: S/MIME (RFC 3428 §11.3, RFC 8551) state that must survive a restart:
 * - smime_identities: an account's certificate and its private key sealed by the OS keychain (never clear);
 * - smime_peer_certificates: the trust store (TOFU, verified fingerprints, a pending changed certificate);
 * - smime_replay: the bounded seen-cache of protected messages (RFC 3428 §11.2 replay protection);
 * - conversations.protection / protection_required: the per-conversation setting (NULL = default);
 * - messages.protection: the bubble's protection state (JSON of MessageProtectionDto).
 */
import type { Migration } from '../migrator.ts';

export const m0005Smime: Migration = {
  version: 5,
  name: '0005-smime',
  up(db) {
    db.exec(`
      CREATE TABLE smime_identities (
        account_id TEXT PRIMARY KEY REFERENCES accounts(id) ON DELETE CASCADE,
        certificate BLOB NOT NULL,
        sealed_key BLOB NOT NULL,
        enabled INTEGER NOT NULL DEFAULT 1 CHECK (enabled IN (0, 1)),
        created_at INTEGER NOT NULL
      ) STRICT;
      CREATE TABLE smime_peer_certificates (
        address TEXT PRIMARY KEY,
        certificate BLOB NOT NULL,
        fingerprint TEXT NOT NULL,
        level TEXT NOT NULL CHECK (level IN ('unverified', 'verified')),
        learned_at INTEGER NOT NULL,
        pending_certificate BLOB,
        pending_fingerprint TEXT,
        pending_seen_at INTEGER
      ) STRICT;
      CREATE TABLE smime_replay (
        key TEXT PRIMARY KEY,
        date_ms INTEGER NOT NULL
      ) STRICT;
      CREATE INDEX smime_replay_by_date ON smime_replay (date_ms);
      ALTER TABLE conversations ADD COLUMN protection TEXT CHECK (protection IN ('off', 'sign', 'sign+encrypt'));
      ALTER TABLE conversations ADD COLUMN protection_required INTEGER NOT NULL DEFAULT 0;
      ALTER TABLE messages ADD COLUMN protection TEXT;
    `);
  },
};
