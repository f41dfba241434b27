import { describe, expect, it } from 'vitest';
import { createTestSecretStore, safeStorageSecretStore } from '../../../main/services/secret-store.ts';
import { safeStorageStandIn as fakeSafeStorage } from '../../support/safe-storage-stand-in.ts';

describe('createTestSecretStore (AES-256-GCM, in-memory key)', () => {
  it('round-trips a password and never contains it in the blob', async () => {
    const store = createTestSecretStore();
    const blob = await store.encrypt('s3cret-pässword');
    expect(blob.includes(Buffer.from('s3cret'))).toBe(false);
    expect(await store.decrypt(blob)).toBe('s3cret-pässword');
  });

  it('uses a fresh IV each time, so equal passwords give different blobs', async () => {
    const store = createTestSecretStore();
    expect((await store.encrypt('x')).equals(await store.encrypt('x'))).toBe(false);
  });

  it('refuses a tampered blob, a truncated one, and one from another key', async () => {
    const store = createTestSecretStore();
    const blob = await store.encrypt('password');
    const tampered = Buffer.from(blob);
    tampered[tampered.length - 1] = (tampered[tampered.length - 1] ?? 0) ^ 1;
    await expect(store.decrypt(tampered)).rejects.toThrow();
    await expect(store.decrypt(blob.subarray(0, 10))).rejects.toThrow(/not a secret/);
    await expect(createTestSecretStore().decrypt(blob)).rejects.toThrow();
  });
});

describe('safeStorageSecretStore (production adapter over the async safeStorage API)', () => {
  it('encrypts and decrypts with the async API only, never the deprecated sync one', async () => {
    const { api, calls } = fakeSafeStorage();
    const store = safeStorageSecretStore(api, 'darwin');
    expect(await store.protection()).toBe('keyring');
    const blob = await store.encrypt('pässword');
    expect(blob.includes(Buffer.from('pässword'))).toBe(false);
    expect(await store.decrypt(blob)).toBe('pässword');
    expect(calls).toEqual(['isAsyncEncryptionAvailable', 'encryptStringAsync', 'decryptStringAsync']);
  });

  it('reads what the older sync API stored (through decryptStringAsync, or the legacy call as a fallback)', async () => {
    const viaAsync = fakeSafeStorage({ asyncReadsLegacy: true });
    const legacy = viaAsync.api.encryptString('old-password');
    expect(await safeStorageSecretStore(viaAsync.api, 'win32').decrypt(legacy)).toBe('old-password');
    expect(viaAsync.calls).toEqual(['decryptStringAsync']);

    const viaFallback = fakeSafeStorage({ asyncReadsLegacy: false });
    expect(await safeStorageSecretStore(viaFallback.api, 'win32').decrypt(viaFallback.api.encryptString('old'))).toBe('old');
    expect(viaFallback.calls).toEqual(['decryptStringAsync', 'decryptString']);
  });

  it('detects the Linux basic_text backend (no keyring) as obscured; other backends and OSes are keyring', async () => {
    expect(await safeStorageSecretStore(fakeSafeStorage({ backend: 'basic_text' }).api, 'linux').protection()).toBe('obscured');
    expect(await safeStorageSecretStore(fakeSafeStorage({ backend: 'kwallet6' }).api, 'linux').protection()).toBe('keyring');
    expect(await safeStorageSecretStore(fakeSafeStorage({ backend: 'basic_text' }).api, 'darwin').protection()).toBe('keyring');
    expect(await safeStorageSecretStore(fakeSafeStorage({ available: false }).api, 'linux').protection()).toBe('unavailable');
  });

  it('a ciphertext nobody can read still rejects (no silent empty password)', async () => {
    const { api } = fakeSafeStorage();
    const garbage = Buffer.from('v11garbage-garbage-garbage-garbage');
    await expect(safeStorageSecretStore(api, 'linux').decrypt(garbage)).rejects.toThrow();
  });
});
