/**
 * S/MIME state at rest (migration 0005): account identities (sealed keys only), the trust store of
 * contacts' certificates, the bounded replay cache (RFC 3428 §11.2) and per-conversation protection.
 */
import type { DatabaseSync, StatementSync } from 'node:sqlite';
import type { ProtectionSetting } from '#shared/domain/security.ts';
import type { AccountId, ConversationId } from '#shared/domain/ids.ts';
import { inTransaction } from './database.ts';
import { toRowId } from './ids.ts';
import { blobOrNull, int, intOrNull, text, textOrNull, type Row } from './row.ts';

export interface SmimeIdentityRecord {
  readonly accountId: AccountId;
  readonly certificate: Uint8Array;
  /** the PKCS#8 key sealed by the secret store (OS keychain) */
  readonly sealedKey: Uint8Array;
  readonly enabled: boolean;
  readonly createdAt: number;
}

export interface PeerCertificateRow {
  readonly address: string;
  readonly certificate: Uint8Array;
  readonly fingerprint: string;
  readonly level: 'unverified' | 'verified';
  readonly learnedAt: number;
  readonly pending?: { readonly certificate: Uint8Array; readonly fingerprint: string; readonly seenAt: number };
}

export interface ConversationProtectionRow {
  readonly setting: ProtectionSetting | null;
  readonly required: boolean;
}

const SETTINGS: readonly ProtectionSetting[] = ['off', 'sign', 'sign+encrypt'];

function blob(row: Row, name: string): Uint8Array {
  const b = blobOrNull(row, name);
  if (b === null) throw new Error(`column ${name}: expected blob`);
  return b;
}

function peerFromRow(row: Row): PeerCertificateRow {
  const level = text(row, 'level') === 'verified' ? 'verified' : 'unverified';
  const pc = blobOrNull(row, 'pending_certificate');
  const pf = textOrNull(row, 'pending_fingerprint');
  const ps = intOrNull(row, 'pending_seen_at');
  return {
    address: text(row, 'address'),
    certificate: blob(row, 'certificate'),
    fingerprint: text(row, 'fingerprint'),
    level,
    learnedAt: int(row, 'learned_at'),
    ...(pc !== null && pf !== null && ps !== null ? { pending: { certificate: pc, fingerprint: pf, seenAt: ps } } : {}),
  };
}

export class SmimeRepository {
  readonly #db: DatabaseSync;
  readonly #getIdentity: StatementSync;
  readonly #saveIdentity: StatementSync;
  readonly #enableIdentity: StatementSync;
  readonly #listPeers: StatementSync;
  readonly #savePeer: StatementSync;
  readonly #replayKeys: StatementSync;
  readonly #replayInsert: StatementSync;
  readonly #replayCount: StatementSync;
  readonly #replayTrim: StatementSync;
  readonly #getProtection: StatementSync;
  readonly #setProtection: StatementSync;

  constructor(db: DatabaseSync) {
    this.#db = db;
    this.#getIdentity = db.prepare('SELECT * FROM smime_identities WHERE account_id = ?');
    this.#saveIdentity = db.prepare(`INSERT INTO smime_identities (account_id, certificate, sealed_key, enabled, created_at)
      VALUES (:a, :c, :k, :e, :t) ON CONFLICT (account_id) DO UPDATE SET certificate = :c, sealed_key = :k, enabled = :e, created_at = :t`);
    this.#enableIdentity = db.prepare('UPDATE smime_identities SET enabled = ? WHERE account_id = ?');
    this.#listPeers = db.prepare('SELECT * FROM smime_peer_certificates ORDER BY address');
    this.#savePeer = db.prepare(`INSERT INTO smime_peer_certificates (address, certificate, fingerprint, level, learned_at,
        pending_certificate, pending_fingerprint, pending_seen_at)
      VALUES (:a, :c, :f, :l, :t, :pc, :pf, :ps)
      ON CONFLICT (address) DO UPDATE SET certificate = :c, fingerprint = :f, level = :l, learned_at = :t,
        pending_certificate = :pc, pending_fingerprint = :pf, pending_seen_at = :ps`);
    // oldest (by inner Date) first, so a restore keeps the newest when it must drop some
    this.#replayKeys = db.prepare('SELECT key, date_ms FROM smime_replay ORDER BY date_ms, rowid');
    this.#replayInsert = db.prepare('INSERT OR IGNORE INTO smime_replay (key, date_ms) VALUES (?, ?)');
    this.#replayCount = db.prepare('SELECT count(*) AS n FROM smime_replay');
    this.#replayTrim = db.prepare(`DELETE FROM smime_replay WHERE rowid IN
      (SELECT rowid FROM smime_replay ORDER BY date_ms, rowid LIMIT ?)`);
    this.#getProtection = db.prepare('SELECT protection, protection_required FROM conversations WHERE id = ?');
    this.#setProtection = db.prepare('UPDATE conversations SET protection = ?, protection_required = ? WHERE id = ?');
  }

  getIdentity(accountId: AccountId): SmimeIdentityRecord | null {
    const row = this.#getIdentity.get(accountId);
    if (row === undefined) return null;
    return {
      accountId,
      certificate: blob(row, 'certificate'),
      sealedKey: blob(row, 'sealed_key'),
      enabled: int(row, 'enabled') !== 0,
      createdAt: int(row, 'created_at'),
    };
  }

  saveIdentity(r: SmimeIdentityRecord): void {
    this.#saveIdentity.run({ a: r.accountId, c: r.certificate, k: r.sealedKey, e: r.enabled ? 1 : 0, t: r.createdAt });
  }

  setIdentityEnabled(accountId: AccountId, enabled: boolean): boolean {
    return Number(this.#enableIdentity.run(enabled ? 1 : 0, accountId).changes) > 0;
  }

  listPeerCertificates(): PeerCertificateRow[] {
    return this.#listPeers.all().map(peerFromRow);
  }

  savePeerCertificate(r: PeerCertificateRow): void {
    this.#savePeer.run({
      a: r.address,
      c: r.certificate,
      f: r.fingerprint,
      l: r.level,
      t: r.learnedAt,
      pc: r.pending?.certificate ?? null,
      pf: r.pending?.fingerprint ?? null,
      ps: r.pending?.seenAt ?? null,
    });
  }

  /** The persisted seen-cache, oldest first. */
  replayEntries(): Array<[string, number]> {
    return this.#replayKeys.all().map((r) => [text(r, 'key'), int(r, 'date_ms')]);
  }

  /** Remembers one accepted protected message; keeps at most `max` entries (oldest inner Date dropped). */
  rememberReplay(key: string, dateMs: number, max: number): void {
    inTransaction(this.#db, () => {
      this.#replayInsert.run(key, dateMs);
      const n = int(this.#replayCount.get() ?? {}, 'n');
      if (n > max) this.#replayTrim.run(n - max);
    });
  }

  getConversationProtection(id: ConversationId): ConversationProtectionRow | null {
    const rowId = toRowId(id);
    const row = rowId === null ? undefined : this.#getProtection.get(rowId);
    if (row === undefined) return null;
    const p = textOrNull(row, 'protection');
    return { setting: SETTINGS.find((s) => s === p) ?? null, required: int(row, 'protection_required') !== 0 };
  }

  setConversationProtection(id: ConversationId, setting: ProtectionSetting | null, required: boolean): boolean {
    const rowId = toRowId(id);
    if (rowId === null) return false;
    return Number(this.#setProtection.run(setting, required ? 1 : 0, rowId).changes) > 0;
  }
}
