import { describe, expect, it } from 'vitest';
import { createTestSecretStore } from '../../../main/services/secret-store.ts';
import { generateIdentity } from '../../../main/security/certificate.ts';
import { sealIdentity, unsealIdentity, VaultUnavailableError } from '../../../main/security/identity-vault.ts';
import { openProtectedMessage, protectMessage } from '../../../main/security/smime-message.ts';

describe('S/MIME identity vault', () => {
  it('seals the private key with the password secret store; the blob holds no key bytes; unsealed key works', async () => {
    const store = createTestSecretStore();
    const id = await generateIdentity('sip:alice@example.test');
    const sealed = await sealIdentity(store, id);
    expect(sealed.sealedKey.includes(Buffer.from(id.privateKey).subarray(26, 58))).toBe(false);
    expect(sealed.sealedKey.includes(Buffer.from(Buffer.from(id.privateKey).toString('base64').slice(40, 80)))).toBe(false);
    const back = await unsealIdentity(store, sealed);
    expect(back.privateKey).toEqual(id.privateKey);
    const p = await protectMessage({ contentType: 'text/plain', date: new Date(), body: Buffer.from('x') }, 'sign', back);
    expect((await openProtectedMessage(p.body, p.contentType, 'sip:alice@example.test', back)).signature).toBe('verified');
    // another store (another machine/user) cannot open it; a tampered blob fails
    await expect(unsealIdentity(createTestSecretStore(), sealed)).rejects.toThrow();
  });

  it('works with the async store and refuses to store without a keychain (unavailable or only obscured)', async () => {
    const asyncStore = createTestSecretStore();
    const id = await generateIdentity('sip:bob@example.test', { kind: 'ecdsa-p256' });
    expect((await unsealIdentity(asyncStore, await sealIdentity(asyncStore, id))).privateKey).toEqual(id.privateKey);
    await expect(sealIdentity(createTestSecretStore('unavailable'), id)).rejects.toBeInstanceOf(VaultUnavailableError);
    await expect(sealIdentity(createTestSecretStore('obscured'), id)).rejects.toBeInstanceOf(VaultUnavailableError);
  });
});
