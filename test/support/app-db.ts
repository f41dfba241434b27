/**
 * What an app process stored, read from its database through a second, read-only connection (the app
 * keeps running): incoming rows per SIP Call-ID, for "stored exactly once" checks.
 */
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';

export function storedByCallId(dataDir: string): Map<string, number> {
  const db = new DatabaseSync(join(dataDir, 'messenger.db'), { readOnly: true });
  try {
    const rows = db.prepare(`SELECT sip_call_id AS id, count(*) AS n FROM messages WHERE direction = 'in' GROUP BY sip_call_id`).all() as Array<{ id: string | null; n: number }>;
    return new Map(rows.map((r) => [r.id ?? '', r.n]));
  } finally {
    db.close();
  }
}
