/**
 * A stand-in for Electron's safeStorage with the same contract, for testing the production secret store
 * (`safeStorageSecretStore`) without Electron: the async API (Electron 45) and the legacy sync one, both
 * sharing one key, with a "v10"/"v11" prefix like Chromium's OSCrypt; `backend` is what
 * getSelectedStorageBackend() answers on Linux. It records every call so tests see which API was used.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import type { SafeStorageLike } from '../../main/services/secret-store.ts';

export interface SafeStorageStandIn {
  readonly api: SafeStorageLike & { encryptString(plain: string): Buffer };
  readonly calls: string[];
}

export function safeStorageStandIn(opts: { available?: boolean; backend?: string; asyncReadsLegacy?: boolean } = {}): SafeStorageStandIn {
  const key = randomBytes(32);
  const calls: string[] = [];
  const seal = (prefix: string, plain: string) => {
    const iv = randomBytes(12);
    const c = createCipheriv('aes-256-gcm', key, iv);
    const body = Buffer.concat([c.update(plain, 'utf8'), c.final()]);
    return Buffer.concat([Buffer.from(prefix), iv, c.getAuthTag(), body]);
  };
  const open = (blob: Buffer) => {
    const d = createDecipheriv('aes-256-gcm', key, blob.subarray(3, 15));
    d.setAuthTag(blob.subarray(15, 31));
    return Buffer.concat([d.update(blob.subarray(31)), d.final()]).toString('utf8');
  };
  const api: SafeStorageStandIn['api'] = {
    isAsyncEncryptionAvailable: async () => (calls.push('isAsyncEncryptionAvailable'), opts.available ?? true),
    encryptStringAsync: async (p) => (calls.push('encryptStringAsync'), seal('v11', p)),
    decryptStringAsync: async (b) => {
      calls.push('decryptStringAsync');
      const prefix = b.subarray(0, 3).toString();
      if (prefix !== 'v11' && !(prefix === 'v10' && opts.asyncReadsLegacy)) throw new Error('Error while decrypting the ciphertext provided to safeStorage.decryptStringAsync.');
      return { shouldReEncrypt: prefix === 'v10', result: open(b) };
    },
    getSelectedStorageBackend: () => (calls.push('getSelectedStorageBackend'), opts.backend ?? 'gnome_libsecret'),
    decryptString: (b) => (calls.push('decryptString'), open(b)),
    encryptString: (p) => seal('v10', p),
  };
  return { api, calls };
}
