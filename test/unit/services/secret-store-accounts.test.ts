/**
 * The production secret store (`safeStorageSecretStore`, what main/index.ts hands the services) behind the
 * real AccountsService and SQLite storage, over a stand-in for Electron's safeStorage: what reaches the
 * database is safeStorage's ciphertext, a restart reads it back through the async API, a password stored by
 * an older version (legacy sync API) still reads, and Linux without a keyring is never stored silently.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { AccountsService } from '../../../main/services/accounts.ts';
import { safeStorageSecretStore } from '../../../main/services/secret-store.ts';
import { openStorage, type Storage } from '../../../main/storage/storage.ts';
import type { AccountInput } from '#shared/domain/account.ts';
import { safeStorageStandIn } from '../../support/safe-storage-stand-in.ts';
import { tempDir } from '../storage/fixtures.ts';

const PASSWORD = 'Correct-Horse-Battery-Staple-7';

function input(over: Partial<AccountInput> = {}): AccountInput {
  return {
    id: null,
    aor: 'sip:alice@example.test',
    displayName: 'Alice',
    authUser: '',
    password: PASSWORD,
    registrar: '',
    outboundProxy: null,
    transport: 'udp',
    port: null,
    cpim: false,
    pinnedCertificate: null,
    enabled: true,
    ...over,
  };
}

describe('safeStorageSecretStore behind AccountsService (the production password path)', () => {
  const tmp = tempDir();
  let storage: Storage;
  beforeAll(async () => {
    storage = await openStorage(tmp.file('secrets.db'));
  });
  afterAll(async () => {
    await storage.close();
    tmp.remove();
  });
  beforeEach(async () => {
    for (const a of await storage.listAccounts()) await storage.removeAccount(a.id);
  });

  it('stores safeStorage ciphertext (async API), never the password, and a restarted service reads it back', async () => {
    const safe = safeStorageStandIn();
    const service = new AccountsService({ storage, secrets: safeStorageSecretStore(safe.api, 'darwin'), emit: () => {} });
    const saved = await service.save(input());
    expect(saved.hasPassword).toBe(true);
    const blob = await storage.getAccountSecret(saved.id);
    if (blob === null) throw new Error('no secret stored');
    const bytes = Buffer.from(blob);
    expect(bytes.subarray(0, 3).toString()).toBe('v11'); // what encryptStringAsync made, stored as is
    expect(bytes.includes(Buffer.from(PASSWORD))).toBe(false);
    expect(safe.calls).toContain('encryptStringAsync');

    const restarted = new AccountsService({ storage, secrets: safeStorageSecretStore(safe.api, 'darwin'), emit: () => {} });
    expect(await restarted.getCredentials(saved.id)).toEqual({ authUser: 'alice', password: PASSWORD });
    expect(safe.calls).not.toContain('decryptString'); // the deprecated sync API is not needed for our own blobs
  });

  it('a password an older version stored with the sync API still reads (legacy fallback)', async () => {
    const safe = safeStorageStandIn({ asyncReadsLegacy: false });
    // the older version: same keychain entry, but encryptString (sync, "v10" blobs)
    const older = { ...safeStorageSecretStore(safe.api, 'win32'), encrypt: (plain: string) => Promise.resolve(safe.api.encryptString(plain)) };
    const saved = await new AccountsService({ storage, secrets: older, emit: () => {} }).save(input({ password: 'legacy-pw' }));
    expect(Buffer.from((await storage.getAccountSecret(saved.id)) ?? []).subarray(0, 3).toString()).toBe('v10');
    const service = new AccountsService({ storage, secrets: safeStorageSecretStore(safe.api, 'win32'), emit: () => {} });
    expect((await service.getCredentials(saved.id)).password).toBe('legacy-pw');
    expect(safe.calls.slice(-2)).toEqual(['decryptStringAsync', 'decryptString']);
  });

  it('Linux basic_text (no keyring): refused unless the user says store anyway; a session password is never written', async () => {
    const safe = safeStorageStandIn({ backend: 'basic_text' });
    const service = new AccountsService({ storage, secrets: safeStorageSecretStore(safe.api, 'linux'), emit: () => {} });
    expect(await service.secretProtection()).toBe('obscured');
    await expect(service.save(input())).rejects.toMatchObject({ code: 'secret-store-obscured' });
    expect(safe.calls).not.toContain('encryptStringAsync');

    const session = await service.save(input({ passwordStorage: 'session' }));
    expect(await storage.getAccountSecret(session.id)).toBeNull();
    const anyway = await service.save(input({ id: session.id, passwordStorage: 'obscured' }));
    expect(anyway.hasPassword).toBe(true);
    expect(safe.calls).toContain('encryptStringAsync');
    expect((await service.getCredentials(anyway.id)).password).toBe(PASSWORD);
  });

  it('safeStorage unavailable: nothing is stored, and a stored password is not handed out', async () => {
    const safe = safeStorageStandIn({ available: false });
    const service = new AccountsService({ storage, secrets: safeStorageSecretStore(safe.api, 'linux'), emit: () => {} });
    await expect(service.save(input())).rejects.toMatchObject({ code: 'secret-store-unavailable' });
    expect(await storage.listAccounts()).toEqual([]);

    const keyring = safeStorageStandIn();
    const saved = await new AccountsService({ storage, secrets: safeStorageSecretStore(keyring.api, 'linux'), emit: () => {} }).save(input());
    await expect(service.getCredentials(saved.id)).rejects.toMatchObject({ code: 'secret-store-unavailable' });
  });
});
