import { describe, expect, it } from 'vitest';
import { createTestSecretStore, safeStorageSecretStore } from '../../../main/services/secret-store.ts';

describe('createTestSecretStore (AES-256-GCM, in-memory key)', () => {
  it('round-trips a password and never contains it in the blob', () => {
    const store = createTestSecretStore();
    const blob = store.encrypt('s3cret-pässword');
    expect(blob.includes(Buffer.from('s3cret'))).toBe(false);
    expect(store.decrypt(blob)).toBe('s3cret-pässword');
  });

  it('uses a fresh IV each time, so equal passwords give different blobs', () => {
    const store = createTestSecretStore();
    expect(store.encrypt('x').equals(store.encrypt('x'))).toBe(false);
  });

  it('refuses a tampered blob, a truncated one, and one from another key', () => {
    const store = createTestSecretStore();
    const blob = store.encrypt('password');
    const tampered = Buffer.from(blob);
    tampered[tampered.length - 1] = (tampered[tampered.length - 1] ?? 0) ^ 1;
    expect(() => store.decrypt(tampered)).toThrow();
    expect(() => store.decrypt(blob.subarray(0, 10))).toThrow(/not a secret/);
    expect(() => createTestSecretStore().decrypt(blob)).toThrow();
  });

  it('adapts an Electron safeStorage-shaped object', () => {
    const store = safeStorageSecretStore({
      isEncryptionAvailable: () => false,
      encryptString: (p) => Buffer.from(p).reverse(),
      decryptString: (b) => Buffer.from(b).reverse().toString(),
    });
    expect(store.isAvailable()).toBe(false);
    expect(store.decrypt(store.encrypt('abc'))).toBe('abc');
  });
});
