/**
 * Where account passwords are encrypted before they reach the database. In the app this is Electron's
 * safeStorage (OS keychain / DPAPI / libsecret) through `safeStorageSecretStore`; tests and the dev host
 * use `createTestSecretStore`, AES-256-GCM with a random key that lives only in memory.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

export interface SecretStore {
  isAvailable(): boolean;
  encrypt(plain: string): Buffer;
  decrypt(blob: Buffer): string;
}

/** The subset of Electron's `safeStorage` we use (kept structural so this file never imports electron). */
export interface SafeStorageLike {
  isEncryptionAvailable(): boolean;
  encryptString(plainText: string): Buffer;
  decryptString(encrypted: Buffer): string;
}

export function safeStorageSecretStore(safeStorage: SafeStorageLike): SecretStore {
  return {
    isAvailable: () => safeStorage.isEncryptionAvailable(),
    encrypt: (plain) => safeStorage.encryptString(plain),
    decrypt: (blob) => safeStorage.decryptString(blob),
  };
}

const VERSION = 1;
const IV_BYTES = 12;
const TAG_BYTES = 16;

/** blob = version (1 byte) | IV (12) | GCM tag (16) | ciphertext. A tampered blob fails to decrypt. */
export function createTestSecretStore(): SecretStore {
  const key = randomBytes(32);
  return {
    isAvailable: () => true,
    encrypt(plain) {
      const iv = randomBytes(IV_BYTES);
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
      return Buffer.concat([Buffer.from([VERSION]), iv, cipher.getAuthTag(), body]);
    },
    decrypt(blob) {
      if (blob.length < 1 + IV_BYTES + TAG_BYTES || blob[0] !== VERSION) throw new Error('not a secret of this store');
      const iv = blob.subarray(1, 1 + IV_BYTES);
      const tag = blob.subarray(1 + IV_BYTES, 1 + IV_BYTES + TAG_BYTES);
      const decipher = createDecipheriv('aes-256-gcm', key, iv);
      decipher.setAuthTag(tag);
      return Buffer.concat([decipher.update(blob.subarray(1 + IV_BYTES + TAG_BYTES)), decipher.final()]).toString('utf8');
    },
  };
}
