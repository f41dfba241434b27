/**
 * Where account passwords are encrypted before they reach the database. In the app this is Electron's
 * safeStorage (Keychain / DPAPI / libsecret or KWallet) through `safeStorageSecretStore`, with the
 * asynchronous API (the synchronous one is deprecated in Electron 45 and removed in 46); tests and the dev
 * host use `createTestSecretStore`, AES-256-GCM with a random key that lives only in memory.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

/**
 * keyring: a real OS secret store protects the key. obscured: Linux `basic_text` backend, i.e. no keyring,
 * encrypted with a key hard-coded in Chromium (anyone who reads the file can read the password).
 * unavailable: nothing can encrypt.
 */
export type SecretProtection = 'keyring' | 'obscured' | 'unavailable';

export interface SecretStore {
  protection(): Promise<SecretProtection>;
  encrypt(plain: string): Promise<Buffer>;
  decrypt(blob: Buffer): Promise<string>;
}

/** The subset of Electron's `safeStorage` we use (kept structural so this file never imports electron). */
export interface SafeStorageLike {
  isAsyncEncryptionAvailable(): Promise<boolean>;
  encryptStringAsync(plainText: string): Promise<Buffer>;
  decryptStringAsync(encrypted: Buffer): Promise<{ shouldReEncrypt: boolean; result: string }>;
  /** Linux only */
  getSelectedStorageBackend?(): string;
  /** deprecated synchronous API: only a fallback to read what older versions stored */
  decryptString?(encrypted: Buffer): string;
}

export function safeStorageSecretStore(safeStorage: SafeStorageLike, platform: NodeJS.Platform = process.platform): SecretStore {
  return {
    async protection() {
      if (!(await safeStorage.isAsyncEncryptionAvailable())) return 'unavailable';
      if (platform === 'linux' && safeStorage.getSelectedStorageBackend?.() === 'basic_text') return 'obscured';
      return 'keyring';
    },
    encrypt: (plain) => safeStorage.encryptStringAsync(plain),
    async decrypt(blob) {
      try {
        // Electron documents that decryptStringAsync also reads what encryptString (sync) stored
        return (await safeStorage.decryptStringAsync(blob)).result;
      } catch (error) {
        if (!safeStorage.decryptString) throw error;
        return safeStorage.decryptString(blob); // a ciphertext the async path could not read: the legacy API
      }
    },
  };
}

const VERSION = 1;
const IV_BYTES = 12;
const TAG_BYTES = 16;

/** blob = version (1 byte) | IV (12) | GCM tag (16) | ciphertext. A tampered blob fails to decrypt. */
export function createTestSecretStore(protection: SecretProtection = 'keyring'): SecretStore {
  const key = randomBytes(32);
  return {
    protection: () => Promise.resolve(protection),
    async encrypt(plain) {
      const iv = randomBytes(IV_BYTES);
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
      return Buffer.concat([Buffer.from([VERSION]), iv, cipher.getAuthTag(), body]);
    },
    async decrypt(blob) {
      if (blob.length < 1 + IV_BYTES + TAG_BYTES || blob[0] !== VERSION) throw new Error('not a secret of this store');
      const iv = blob.subarray(1, 1 + IV_BYTES);
      const tag = blob.subarray(1 + IV_BYTES, 1 + IV_BYTES + TAG_BYTES);
      const decipher = createDecipheriv('aes-256-gcm', key, iv);
      decipher.setAuthTag(tag);
      return Buffer.concat([decipher.update(blob.subarray(1 + IV_BYTES + TAG_BYTES)), decipher.final()]).toString('utf8');
    },
  };
}
