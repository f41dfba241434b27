/** 0001: SIP accounts (password only as an encrypted blob) and the contact list. */
import type { Migration } from '../migrator.ts';

export const m0001AccountsContacts: Migration = {
  version: 1,
  name: '0001-accounts-contacts',
  up(db) {
    db.exec(`
      CREATE TABLE accounts (
        id                 TEXT PRIMARY KEY,
        aor                TEXT NOT NULL,
        -- user@host with the host lower-cased: one account per address of record
        aor_key            TEXT NOT NULL UNIQUE,
        display_name       TEXT NOT NULL,
        auth_user          TEXT NOT NULL,
        -- SecretStore.encrypt(password); never the plain text
        password_secret    BLOB,
        registrar          TEXT NOT NULL,
        outbound_proxy     TEXT,
        transport          TEXT NOT NULL CHECK (transport IN ('udp', 'tcp', 'tls')),
        port               INTEGER CHECK (port IS NULL OR port BETWEEN 1 AND 65535),
        cpim               INTEGER NOT NULL CHECK (cpim IN (0, 1)),
        pinned_certificate TEXT,
        enabled            INTEGER NOT NULL CHECK (enabled IN (0, 1)),
        created_at         INTEGER NOT NULL
      ) STRICT;

      CREATE TABLE contacts (
        id           TEXT PRIMARY KEY,
        display_name TEXT NOT NULL,
        address      TEXT NOT NULL,
        address_key  TEXT NOT NULL UNIQUE,
        note         TEXT NOT NULL,
        created_at   INTEGER NOT NULL
      ) STRICT;
      CREATE INDEX contacts_by_name ON contacts (display_name COLLATE NOCASE);
    `);
  },
};
