/**
 * The account's S/MIME private key at rest: encrypted with the same secret store as passwords
 * (Electron safeStorage: OS keychain / DPAPI / libsecret). Only the sealed blob reaches the database.
 * The store is the async SecretStore (issue 12's safeStorage move); an `obscured` store (Linux basic_text,
 * no keyring) is refused like an unavailable one: a private key is never kept merely obscured.
 */
import type { Identity } from './certificate.ts';

export interface SecretSealer {
  protection(): Promise<'keyring' | 'obscured' | 'unavailable'>;
  encrypt(plain: string): Promise<Buffer>;
  decrypt(blob: Buffer): Promise<string>;
}

export interface SealedIdentity {
  /** DER certificate: public, stored as is */
  readonly certificate: Uint8Array;
  /** the PKCS#8 private key encrypted by the secret store */
  readonly sealedKey: Buffer;
}

export class VaultUnavailableError extends Error {
  constructor() {
    super('the OS keychain is not available: the S/MIME private key cannot be stored safely');
    this.name = 'VaultUnavailableError';
  }
}

export async function sealIdentity(store: SecretSealer, id: Identity): Promise<SealedIdentity> {
  // never fall back to storing the key in clear (same rule as passwords)
  if ((await store.protection()) !== 'keyring') throw new VaultUnavailableError();
  const sealedKey = await store.encrypt(Buffer.from(id.privateKey).toString('base64'));
  return { certificate: id.certificate, sealedKey };
}

export async function unsealIdentity(store: SecretSealer, sealed: SealedIdentity): Promise<Identity> {
  const b64 = await store.decrypt(sealed.sealedKey);
  return { certificate: sealed.certificate, privateKey: new Uint8Array(Buffer.from(b64, 'base64')) };
}
