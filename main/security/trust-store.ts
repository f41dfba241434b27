/**
 * Contacts' certificates: trust on first use, fingerprint verification out of band, loud changes.
 * Pure logic over a record per peer address; the caller persists `records()` / `load()`.
 */

export type TrustLevel = 'unverified' | 'verified';

export interface PeerCertificateRecord {
  address: string;
  certificate: Uint8Array;
  fingerprint: string;
  level: TrustLevel;
  learnedAt: number;
  /** a different certificate seen since, not yet accepted by the user */
  pending?: { certificate: Uint8Array; fingerprint: string; seenAt: number };
}

/** What a signer certificate means for the peer's trust. */
export type TrustVerdict =
  | 'first-use' // stored now, "not verified yet"
  | 'unverified' // same certificate as before, never verified
  | 'verified' // same certificate as the one the user verified
  | 'changed'; // another certificate than the one we hold: announce loudly, mark until accepted

export class TrustStore {
  private readonly byAddress = new Map<string, PeerCertificateRecord>();
  private readonly now: () => number;
  /** called with every record that changed (the caller persists it) */
  private readonly onChange: (record: PeerCertificateRecord) => void;

  constructor(now: () => number = Date.now, onChange: (record: PeerCertificateRecord) => void = () => undefined) {
    this.now = now;
    this.onChange = onChange;
  }

  load(records: readonly PeerCertificateRecord[]): void {
    for (const r of records) this.byAddress.set(r.address, r);
  }

  records(): PeerCertificateRecord[] {
    return [...this.byAddress.values()];
  }

  get(address: string): PeerCertificateRecord | undefined {
    return this.byAddress.get(address);
  }

  /** The certificate to encrypt to (never a pending, unaccepted one). */
  certificateFor(address: string): Uint8Array | undefined {
    return this.byAddress.get(address)?.certificate;
  }

  /** Record a certificate seen on a valid signature from `address`. */
  observe(address: string, certificate: Uint8Array, fingerprint: string): TrustVerdict {
    const r = this.byAddress.get(address);
    if (!r) {
      const fresh: PeerCertificateRecord = { address, certificate, fingerprint, level: 'unverified', learnedAt: this.now() };
      this.byAddress.set(address, fresh);
      this.onChange(fresh);
      return 'first-use';
    }
    if (r.fingerprint === fingerprint) return r.level;
    if (!r.pending || r.pending.fingerprint !== fingerprint) {
      r.pending = { certificate, fingerprint, seenAt: this.now() };
      this.onChange(r);
    }
    return 'changed';
  }

  /** Import a contact's certificate by hand; replaces nothing silently (a different one becomes pending). */
  import(address: string, certificate: Uint8Array, fingerprint: string): TrustVerdict {
    return this.observe(address, certificate, fingerprint);
  }

  /** The user compared the fingerprint out of band. */
  markVerified(address: string, fingerprint: string): boolean {
    const r = this.byAddress.get(address);
    if (!r || r.fingerprint !== fingerprint) return false;
    r.level = 'verified';
    this.onChange(r);
    return true;
  }

  /** The user accepts the changed certificate: it replaces the old one, not verified yet. */
  acceptChange(address: string): boolean {
    const r = this.byAddress.get(address);
    if (!r?.pending) return false;
    const accepted: PeerCertificateRecord = { address, certificate: r.pending.certificate, fingerprint: r.pending.fingerprint, level: 'unverified', learnedAt: this.now() };
    this.byAddress.set(address, accepted);
    this.onChange(accepted);
    return true;
  }
}
