/**
 * 0007: receipts (RFC 5438 IMDN) and app settings.
 * - outgoing: `receipt` is what the recipient's device reported (delivered, then read); it only ever
 *   moves forward, so a late or repeated IMDN changes nothing;
 * - incoming: `imdn_request` keeps the sender's imdn.Disposition-Notification (§6.2) so a display
 *   notification can be sent when the message is actually seen, `imdn_displayed_at` records that it was
 *   sent (at most once, §7.2.1.2);
 * - IMDNs are matched to outgoing messages by (account, CPIM Message-ID) (§7.1.2): an index for that;
 * - `settings`: small key/value store for app-wide preferences (privacy).
 */
import type { Migration } from '../migrator.ts';

export const m0007ReceiptsSettings: Migration = {
  version: 7,
  name: '0007-receipts-settings',
  up(db) {
    db.exec(`
      ALTER TABLE messages ADD COLUMN receipt TEXT CHECK (receipt IN ('delivered', 'read'));
      ALTER TABLE messages ADD COLUMN imdn_request TEXT;
      ALTER TABLE messages ADD COLUMN imdn_displayed_at INTEGER;
      CREATE INDEX messages_out_by_cpim ON messages (account_id, cpim_message_id)
        WHERE direction = 'out' AND cpim_message_id IS NOT NULL;
      CREATE TABLE settings (
        key   TEXT PRIMARY KEY,
        value TEXT NOT NULL
      ) STRICT;
    `);
  },
};
