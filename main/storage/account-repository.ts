/** Accounts table. The password is only ever an opaque encrypted blob here (SecretStore output). */
import type { DatabaseSync, StatementSync } from 'node:sqlite';
import { defaultSrtpSetting, type AccountDto, type SrtpSetting, type TransportKind } from '#shared/domain/account.ts';
import type { AccountId } from '#shared/domain/ids.ts';
import { addressKey } from './address-key.ts';
import { blobOrNull, bool, int, intOrNull, text, textOrNull, type Row } from './row.ts';

/** What the accounts service writes: the DTO fields, plus the encrypted password (null = keep). */
export interface AccountRecord {
  readonly id: AccountId;
  readonly aor: string;
  readonly displayName: string;
  readonly authUser: string;
  /** SecretStore.encrypt(password); null keeps the stored secret (or none for a new account) */
  readonly passwordSecret: Uint8Array | null;
  readonly registrar: string;
  readonly outboundProxy: string | null;
  readonly transport: TransportKind;
  readonly port: number | null;
  readonly cpim: boolean;
  readonly pinnedCertificate: string | null;
  readonly enabled: boolean;
  readonly createdAt: number;
  /** true: the stored password is removed (the server it was for changed, issue 10); `passwordSecret` wins */
  readonly clearPassword?: boolean;
  readonly realm?: string | null;
  readonly extraRealms?: readonly string[];
  readonly allowDirect?: boolean;
  /** absent/null = the default for the transport (read back as such) */
  readonly srtp?: SrtpSetting | null;
  readonly srtpOverInsecure?: boolean;
  /** the realm learned from the registrar; written on every save (null forgets it, e.g. a new server) */
  readonly learnedRealm?: string | null;
}

const COLUMNS = `id, aor, display_name, auth_user, password_secret IS NOT NULL AS has_password, registrar,
  outbound_proxy, transport, port, cpim, pinned_certificate, enabled, realm, extra_realms, learned_realm, allow_direct,
  srtp, srtp_over_insecure`;

function realmList(row: Row): string[] {
  try {
    const parsed: unknown = JSON.parse(text(row, 'extra_realms'));
    return Array.isArray(parsed) ? parsed.filter((r): r is string => typeof r === 'string') : [];
  } catch {
    return [];
  }
}

function transport(row: Row): TransportKind {
  const t = text(row, 'transport');
  if (t === 'udp' || t === 'tcp' || t === 'tls') return t;
  throw new Error(`unknown transport ${t}`);
}

function srtpSetting(v: string | null): SrtpSetting | null {
  return v === 'off' || v === 'offered' || v === 'required' ? v : null;
}

function accountFromRow(row: Row): AccountDto {
  return {
    id: text(row, 'id') as AccountId,
    aor: text(row, 'aor'),
    displayName: text(row, 'display_name'),
    authUser: text(row, 'auth_user'),
    registrar: text(row, 'registrar'),
    outboundProxy: textOrNull(row, 'outbound_proxy'),
    transport: transport(row),
    port: intOrNull(row, 'port'),
    cpim: bool(row, 'cpim'),
    pinnedCertificate: textOrNull(row, 'pinned_certificate'),
    enabled: bool(row, 'enabled'),
    hasPassword: int(row, 'has_password') !== 0,
    realm: textOrNull(row, 'realm'),
    extraRealms: realmList(row),
    learnedRealm: textOrNull(row, 'learned_realm'),
    allowDirect: bool(row, 'allow_direct'),
    srtp: srtpSetting(textOrNull(row, 'srtp')) ?? defaultSrtpSetting(transport(row)),
    srtpOverInsecure: bool(row, 'srtp_over_insecure'),
  };
}

export class AccountRepository {
  readonly #list: StatementSync;
  readonly #get: StatementSync;
  readonly #getByKey: StatementSync;
  readonly #upsert: StatementSync;
  readonly #secret: StatementSync;
  readonly #remove: StatementSync;
  readonly #learn: StatementSync;

  constructor(db: DatabaseSync) {
    this.#list = db.prepare(`SELECT ${COLUMNS} FROM accounts ORDER BY created_at, id`);
    this.#get = db.prepare(`SELECT ${COLUMNS} FROM accounts WHERE id = ?`);
    this.#getByKey = db.prepare(`SELECT ${COLUMNS} FROM accounts WHERE aor_key = ?`);
    this.#upsert = db.prepare(`
      INSERT INTO accounts (id, aor, aor_key, display_name, auth_user, password_secret, registrar, outbound_proxy,
        transport, port, cpim, pinned_certificate, enabled, created_at, realm, extra_realms, learned_realm, allow_direct,
        srtp, srtp_over_insecure)
      VALUES (:id, :aor, :aorKey, :displayName, :authUser, :secret, :registrar, :outboundProxy,
        :transport, :port, :cpim, :pinnedCertificate, :enabled, :createdAt, :realm, :extraRealms, :learnedRealm, :allowDirect,
        :srtp, :srtpOverInsecure)
      ON CONFLICT (id) DO UPDATE SET
        aor = excluded.aor, aor_key = excluded.aor_key, display_name = excluded.display_name,
        auth_user = excluded.auth_user,
        password_secret = CASE WHEN :clear = 1 THEN excluded.password_secret ELSE coalesce(excluded.password_secret, password_secret) END,
        realm = excluded.realm, extra_realms = excluded.extra_realms, learned_realm = excluded.learned_realm,
        allow_direct = excluded.allow_direct, srtp = excluded.srtp, srtp_over_insecure = excluded.srtp_over_insecure,
        registrar = excluded.registrar, outbound_proxy = excluded.outbound_proxy, transport = excluded.transport,
        port = excluded.port, cpim = excluded.cpim, pinned_certificate = excluded.pinned_certificate,
        enabled = excluded.enabled`);
    this.#secret = db.prepare('SELECT password_secret FROM accounts WHERE id = ?');
    this.#remove = db.prepare('DELETE FROM accounts WHERE id = ?');
    // only while none is learned: the first successful challenge binds the realm (issue 10)
    this.#learn = db.prepare('UPDATE accounts SET learned_realm = ? WHERE id = ? AND learned_realm IS NULL');
  }

  list(): AccountDto[] {
    return this.#list.all().map(accountFromRow);
  }

  get(id: AccountId): AccountDto | null {
    const row = this.#get.get(id);
    return row === undefined ? null : accountFromRow(row);
  }

  /** The account whose address of record matches `aor` (user@host, host case-insensitive). */
  findByAor(aor: string): AccountDto | null {
    const row = this.#getByKey.get(addressKey(aor));
    return row === undefined ? null : accountFromRow(row);
  }

  /** Inserts or updates; throws on a second account with the same address of record. */
  save(a: AccountRecord): AccountDto {
    this.#upsert.run({
      id: a.id,
      aor: a.aor,
      aorKey: addressKey(a.aor),
      displayName: a.displayName,
      authUser: a.authUser,
      secret: a.passwordSecret,
      registrar: a.registrar,
      outboundProxy: a.outboundProxy,
      transport: a.transport,
      port: a.port,
      cpim: a.cpim ? 1 : 0,
      pinnedCertificate: a.pinnedCertificate,
      enabled: a.enabled ? 1 : 0,
      createdAt: a.createdAt,
      realm: a.realm ?? null,
      extraRealms: JSON.stringify(a.extraRealms ?? []),
      learnedRealm: a.learnedRealm ?? null,
      allowDirect: a.allowDirect === true ? 1 : 0,
      srtp: a.srtp ?? null,
      srtpOverInsecure: a.srtpOverInsecure === true ? 1 : 0,
      clear: a.clearPassword === true ? 1 : 0,
    });
    const saved = this.get(a.id);
    if (saved === null) throw new Error('account vanished after save');
    return saved;
  }

  /** The encrypted password; null when the account has none or does not exist. */
  secret(id: AccountId): Uint8Array | null {
    const row = this.#secret.get(id);
    return row === undefined ? null : blobOrNull(row, 'password_secret');
  }

  /** Stores the realm the registrar's first successful challenge used; false when one was already stored. */
  learnRealm(id: AccountId, realm: string): boolean {
    return Number(this.#learn.run(realm, id).changes) > 0;
  }

  /** Deletes the account and, by cascade, its conversations and messages. */
  remove(id: AccountId): boolean {
    return Number(this.#remove.run(id).changes) > 0;
  }
}
