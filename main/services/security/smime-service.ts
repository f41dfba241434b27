/**
 * S/MIME for the app (RFC 3428 §11.3, RFC 8551): the account identities (key sealed by the OS keychain,
 * RFC 3261 §23.2 identity in the certificate), the persisted trust store (TOFU, verified fingerprints,
 * loud certificate changes), the persisted bounded replay cache (RFC 3428 §11.2), the per-conversation
 * protection setting, and what the chat service needs to send and receive protected MESSAGEs.
 * The cryptography lives in main/security; this file decides and persists.
 */
import type { CertificateDto, ConversationProtectionDto, OwnIdentityDto, ProtectionSetting } from '#shared/domain/security.ts';
import type { AccountId, ConversationId } from '#shared/domain/ids.ts';
import { ServiceError } from '../../ipc/service-error.ts';
import type { Storage } from '../../storage/storage.ts';
import { addressOfUri } from '../../security/address-match.ts';
import { certificateFromPem, certificateToPem, fingerprint, generateIdentity, type Identity, type KeyKind, parseCertificate, subjectAltUris } from '../../security/certificate.ts';
import { certificateNamesAddress } from '../../security/address-match.ts';
import { sealIdentity, unsealIdentity, VaultUnavailableError } from '../../security/identity-vault.ts';
import { importPkcs12, Pkcs12Error } from '../../security/pkcs12.ts';
import { ReplayGuard } from '../../security/replay-guard.ts';
import type { OwnIdentity } from '../../security/smime-message.ts';
import { TrustStore } from '../../security/trust-store.ts';
import type { AccountsService } from '../accounts.ts';
import type { SecretStore } from '../secret-store.ts';
import { resolveTarget } from '../chats/outgoing-request.ts';
import type { SmimeReceiveDeps } from '../chats/smime-receive.ts';
import { effectiveProtection, type SendPlan, type SendPlanInputs } from '../chats/smime-send.ts';
import type { SmimeIdentityRecord } from '../../storage/smime-repository.ts';
import { ownCertificateDto, peerCertificateDto } from './certificate-view.ts';

export type SmimeStore = Pick<
  Storage,
  | 'getSmimeIdentity'
  | 'saveSmimeIdentity'
  | 'setSmimeIdentityEnabled'
  | 'listPeerCertificates'
  | 'savePeerCertificate'
  | 'replayEntries'
  | 'rememberReplay'
  | 'getConversationProtection'
  | 'setConversationProtection'
  | 'getConversation'
>;

export interface SmimeServiceOptions {
  readonly storage: SmimeStore;
  readonly secrets: SecretStore;
  readonly accounts: Pick<AccountsService, 'get'>;
  readonly now?: () => number;
  /** replay cache bound (entries); default 10 000 */
  readonly replayCapacity?: number;
  readonly onError?: (message: string, error: unknown) => void;
}

export interface SmimeDiagnostic {
  readonly at: number;
  readonly event: string;
  readonly detail: Readonly<Record<string, unknown>>;
}

const DIAGNOSTICS_KEPT = 200;

export class SmimeService {
  readonly trust: TrustStore;
  readonly replay: ReplayGuard;
  readonly #o: SmimeServiceOptions;
  readonly #now: () => number;
  readonly #unsealedCache = new Map<AccountId, Identity>();
  readonly #diagnostics: SmimeDiagnostic[] = [];

  private constructor(o: SmimeServiceOptions) {
    this.#o = o;
    this.#now = o.now ?? Date.now;
    const fail = (what: string) => (e: unknown) => (o.onError ?? ((m, err) => console.error(m, err)))(what, e);
    this.trust = new TrustStore(this.#now, (r) => void o.storage.savePeerCertificate(r).catch(fail('saving a contact certificate failed')));
    const max = o.replayCapacity ?? 10_000;
    this.replay = new ReplayGuard({
      now: this.#now,
      maxEntries: max,
      onRemember: (key, dateMs) => void o.storage.rememberReplay(key, dateMs, max).catch(fail('saving the replay cache failed')),
    });
  }

  static async open(o: SmimeServiceOptions): Promise<SmimeService> {
    const s = new SmimeService(o);
    s.trust.load(await o.storage.listPeerCertificates());
    s.replay.restore({ entries: await o.storage.replayEntries() });
    return s;
  }

  /** What ChatService.receive needs (smime-receive.ts). */
  receiveDeps(): SmimeReceiveDeps {
    return {
      identity: (accountId) => this.identity(accountId as AccountId),
      trust: this.trust,
      replay: this.replay,
      diagnostics: (event, detail) => this.#record(event, detail),
    };
  }

  diagnostics(): readonly SmimeDiagnostic[] {
    return [...this.#diagnostics];
  }

  #record(event: string, detail: Record<string, unknown>): void {
    this.#diagnostics.push({ at: this.#now(), event, detail });
    if (this.#diagnostics.length > DIAGNOSTICS_KEPT) this.#diagnostics.shift();
  }

  /** Our unsealed identity for the account, when it has one and S/MIME is enabled. */
  async identity(accountId: AccountId): Promise<OwnIdentity | undefined> {
    const record = await this.#o.storage.getSmimeIdentity(accountId);
    if (record === null || !record.enabled) return undefined;
    return this.#unsealed(accountId, record);
  }

  /** the identity's key unsealed once per certificate (the keychain is slow) */
  async #unsealed(accountId: AccountId, record: SmimeIdentityRecord): Promise<OwnIdentity> {
    const cached = this.#unsealedCache.get(accountId);
    if (cached && Buffer.from(cached.certificate).equals(Buffer.from(record.certificate))) return cached;
    const id = await unsealIdentity(this.#o.secrets, { certificate: record.certificate, sealedKey: Buffer.from(record.sealedKey) });
    this.#unsealedCache.set(accountId, id);
    return id;
  }

  async ownIdentity(accountId: AccountId): Promise<OwnIdentityDto | null> {
    const account = await this.#o.accounts.get(accountId);
    const r = await this.#o.storage.getSmimeIdentity(accountId);
    if (r === null) return null;
    return { accountId, enabled: r.enabled, certificate: await ownCertificateDto(account.aor, r.certificate, r.createdAt) };
  }

  async #store(accountId: AccountId, id: Identity): Promise<OwnIdentityDto> {
    let sealed;
    try {
      sealed = await sealIdentity(this.#o.secrets, id);
    } catch (e) {
      if (e instanceof VaultUnavailableError) throw new ServiceError('keychain-unavailable', 'The system keychain is not available, so the private key cannot be stored safely.');
      throw e;
    }
    await this.#o.storage.saveSmimeIdentity({ accountId, certificate: sealed.certificate, sealedKey: sealed.sealedKey, enabled: true, createdAt: this.#now() });
    this.#unsealedCache.set(accountId, id);
    const dto = await this.ownIdentity(accountId);
    if (dto === null) throw new Error('identity vanished');
    return dto;
  }

  /** A new key pair and a self-signed certificate whose subjectAltName is the account's SIP URI (RFC 3261 §23.2). */
  async generate(accountId: AccountId, kind: KeyKind = 'rsa-2048'): Promise<OwnIdentityDto> {
    const account = await this.#o.accounts.get(accountId);
    const id = await generateIdentity(account.aor, { kind, displayName: account.displayName || account.aor, now: new Date(this.#now()) });
    return this.#store(accountId, id);
  }

  /** A PKCS#12 from the user's CA (RFC 7292); its certificate must name the account's address. */
  async importPkcs12(accountId: AccountId, der: Uint8Array, password: string): Promise<OwnIdentityDto> {
    const account = await this.#o.accounts.get(accountId);
    let id: Identity;
    try {
      id = await importPkcs12(der, password);
    } catch (e) {
      if (e instanceof Pkcs12Error) throw new ServiceError('invalid-input', 'The file could not be opened: wrong password or not a PKCS#12 file.');
      throw e;
    }
    if (!certificateNamesAddress(subjectAltUris(parseCertificate(id.certificate)), account.aor)) {
      throw new ServiceError('invalid-input', `The certificate does not name ${account.aor}; receivers would flag every message as a sender mismatch.`);
    }
    return this.#store(accountId, id);
  }

  async setEnabled(accountId: AccountId, enabled: boolean): Promise<OwnIdentityDto> {
    if (!(await this.#o.storage.setSmimeIdentityEnabled(accountId, enabled))) throw new ServiceError('not-found', 'Create or import a certificate first.');
    const dto = await this.ownIdentity(accountId);
    if (dto === null) throw new ServiceError('not-found', 'Create or import a certificate first.');
    return dto;
  }

  /** Our certificate as PEM (RFC 7468), to share. */
  async exportCertificatePem(accountId: AccountId): Promise<string> {
    const r = await this.#o.storage.getSmimeIdentity(accountId);
    if (r === null) throw new ServiceError('not-found', 'Create or import a certificate first.');
    return certificateToPem(r.certificate);
  }

  async listContactCertificates(): Promise<CertificateDto[]> {
    return Promise.all(this.trust.records().map(peerCertificateDto));
  }

  async #peerDto(address: string): Promise<CertificateDto> {
    const r = this.trust.get(address);
    if (!r) throw new ServiceError('not-found', 'No certificate is known for that contact.');
    return peerCertificateDto(r);
  }

  /** A contact's certificate imported by hand (PEM); a different one than we hold becomes a pending change. */
  async importContactCertificate(address: string, pem: string): Promise<CertificateDto> {
    const key = addressOfUri(resolveTarget(address));
    if (!key) throw new ServiceError('invalid-input', 'That is not a SIP address.');
    let der: Uint8Array;
    try {
      der = certificateFromPem(pem);
    } catch {
      throw new ServiceError('invalid-input', 'That is not a PEM certificate.');
    }
    if (!certificateNamesAddress(subjectAltUris(parseCertificate(der)), `sip:${key}`)) {
      throw new ServiceError('invalid-input', `The certificate does not name ${key}.`);
    }
    this.trust.import(key, der, await fingerprint(der));
    return this.#peerDto(key);
  }

  /** The user compared the safety number out of band. */
  async markVerified(address: string, fp: string): Promise<CertificateDto> {
    if (!this.trust.markVerified(address, fp)) throw new ServiceError('invalid-state', 'That fingerprint is not the certificate we hold for this contact.');
    return this.#peerDto(address);
  }

  /** The user accepts a changed certificate: it replaces the old one, not verified yet. */
  async acceptChange(address: string): Promise<CertificateDto> {
    if (!this.trust.acceptChange(address)) throw new ServiceError('invalid-state', 'There is no changed certificate to accept.');
    return this.#peerDto(address);
  }

  async getConversationProtection(conversationId: ConversationId): Promise<ConversationProtectionDto> {
    const conversation = await this.#o.storage.getConversation(conversationId);
    const row = await this.#o.storage.getConversationProtection(conversationId);
    if (conversation === null || row === null) throw new ServiceError('not-found', 'That conversation no longer exists.');
    const record = await this.#o.storage.getSmimeIdentity(conversation.accountId);
    const key = addressOfUri(resolveTarget(conversation.peer));
    const peer = key ? this.trust.get(key) : undefined;
    const enabled = record?.enabled ?? false;
    const effective = effectiveProtection(row, enabled, peer !== undefined);
    let note: string | null = null;
    if (!enabled && row.setting !== 'off') note = record === null ? 'No certificate for this account yet: messages go out in clear.' : 'S/MIME is turned off for this account.';
    else if (row.setting === 'sign+encrypt' && effective === 'sign') note = 'No certificate for this contact yet: messages are signed but not encrypted until they send a signed message or you import theirs.';
    else if (row.setting === null && effective === 'sign') note = 'Signed only until we learn the contact’s certificate; then encrypted too.';
    return { conversationId, setting: row.setting, effective, required: row.required, note, peerCertificate: peer ? await peerCertificateDto(peer) : null };
  }

  async setConversationProtection(conversationId: ConversationId, setting: ProtectionSetting | null, required: boolean): Promise<ConversationProtectionDto> {
    if (setting === 'off' && required) throw new ServiceError('invalid-input', 'Protection cannot be both off and required.');
    if (!(await this.#o.storage.setConversationProtection(conversationId, setting, required))) throw new ServiceError('not-found', 'That conversation no longer exists.');
    return this.getConversationProtection(conversationId);
  }

  /**
   * How to send the next message of a conversation (RFC 3428 §11.3; default per smime-send.ts), from the
   * rows the outbox read in the call that marked the message sending (issue 18, storage/begin-sending.ts):
   * no storage call here.
   */
  async planFrom(read: SendPlanInputs): Promise<SendPlan> {
    const row = read.protection ?? { setting: null, required: false };
    const record = read.identity;
    const key = addressOfUri(resolveTarget(read.peer));
    const peerCertificate = key ? this.trust.certificateFor(key) : undefined;
    const enabled = record?.enabled ?? false;
    if (record === null || !enabled) {
      if (row.required && row.setting !== 'off') return { mode: 'blocked', reason: 'protection is required but this account has no S/MIME certificate turned on' };
      return { mode: 'off', required: false };
    }
    const mode = effectiveProtection(row, enabled, peerCertificate !== undefined);
    if (mode === 'off') return { mode: 'off', required: false };
    if (row.required && row.setting === 'sign+encrypt' && peerCertificate === undefined) {
      return { mode: 'blocked', reason: 'encryption is required but we have no certificate for the recipient yet' };
    }
    let me: OwnIdentity | undefined;
    try {
      me = await this.#unsealed(read.accountId, record);
    } catch (e) {
      this.#record('smime-key-unavailable', { accountId: read.accountId, error: e instanceof Error ? e.message : String(e) });
    }
    if (!me) return { mode: 'blocked', reason: 'the S/MIME private key could not be unlocked from the system keychain' };
    return { mode, required: row.required, me, peerCertificate: mode === 'sign+encrypt' ? peerCertificate : undefined, signer: read.aor };
  }
}
