import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { AccountsService } from '../../../main/services/accounts.ts';
import { createTestSecretStore, type SecretStore } from '../../../main/services/secret-store.ts';
import { openStorage, type Storage } from '../../../main/storage/storage.ts';
import type { AccountInput } from '#shared/domain/account.ts';
import type { AccountId } from '#shared/domain/ids.ts';
import type { EventMap, EventName } from '#shared/ipc/contract.ts';
import { tempDir } from '../storage/fixtures.ts';

const PASSWORD = 'Tr0ub4dor&3-unique-marker';

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

type Emitted = { [E in EventName]: { event: E; payload: EventMap[E] } }[EventName];

describe('AccountsService', () => {
  const tmp = tempDir();
  let storage: Storage;
  let events: Emitted[];
  let secrets: SecretStore;
  let service: AccountsService;
  // one worker for the file (starting one costs ~150 ms); every test starts from an empty accounts table
  beforeAll(async () => {
    storage = await openStorage(tmp.file('accounts.db'));
  });
  afterAll(async () => {
    await storage.close();
    tmp.remove();
  });
  beforeEach(async () => {
    for (const a of await storage.listAccounts()) await storage.removeAccount(a.id);
    events = [];
    secrets = createTestSecretStore();
    service = new AccountsService({
      storage,
      secrets,
      emit: (event, payload) => events.push({ event, payload } as Emitted),
      now: () => 1_700_000_000_000,
    });
  });

  describe('save (new account)', () => {
    it('returns the DTO without the password, with defaults filled in, and emits accounts:changed with the full list', async () => {
      const saved = await service.save(input());
      expect(saved).toMatchObject({ aor: 'sip:alice@example.test', authUser: 'alice', registrar: 'example.test', hasPassword: true });
      expect(JSON.stringify(saved)).not.toContain(PASSWORD);
      expect(events).toEqual([{ event: 'accounts:changed', payload: [saved] }]);
      expect(await service.list()).toEqual([saved]);
    });

    it('never writes the password in plain text to the database files', async () => {
      await service.save(input());
      await storage.close();
      const dir = tmp.file('');
      const files = readdirSync(dir)
        .filter((f) => f.startsWith('accounts.db'))
        .map((f) => readFileSync(join(dir, f)));
      // the account itself did reach the disk: the check below looks at the right bytes
      expect(files.some((bytes) => bytes.includes(Buffer.from('sip:alice@example.test')))).toBe(true);
      for (const bytes of files) expect(bytes.includes(Buffer.from(PASSWORD))).toBe(false);
      storage = await openStorage(tmp.file('accounts.db'));
    });

    it('gives the decrypted password to the SIP stack through getCredentials only', async () => {
      const saved = await service.save(input({ authUser: 'alice-auth' }));
      expect(await service.getCredentials(saved.id)).toEqual({ authUser: 'alice-auth', password: PASSWORD });
    });

    it('accepts an account without a password', async () => {
      const saved = await service.save(input({ password: null }));
      expect(saved.hasPassword).toBe(false);
      expect(await service.getCredentials(saved.id)).toEqual({ authUser: 'alice', password: null });
    });

    it('normalises scheme and host case and accepts sips: over TLS with a pinned certificate', async () => {
      const pem = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----';
      const saved = await service.save(
        input({ aor: 'SIPS:alice@Example.TEST', transport: 'tls', pinnedCertificate: pem, registrar: 'PBX.example.test:5061' }),
      );
      expect(saved).toMatchObject({ aor: 'sips:alice@example.test', registrar: 'pbx.example.test:5061', pinnedCertificate: pem });
    });

    it('refuses to store a password when the secret store is unavailable', async () => {
      const locked = new AccountsService({
        storage,
        secrets: createTestSecretStore('unavailable'),
        emit: () => {},
      });
      await expect(locked.save(input())).rejects.toMatchObject({ code: 'secret-store-unavailable' });
      expect(await service.list()).toEqual([]);
    });

    it('no keyring (Linux basic_text): never stores silently; session-only or "store anyway" when asked', async () => {
      const obscured = new AccountsService({ storage, secrets: createTestSecretStore('obscured'), emit: () => {} });
      expect(await obscured.secretProtection()).toBe('obscured');
      await expect(obscured.save(input())).rejects.toMatchObject({ code: 'secret-store-obscured', message: expect.stringMatching(/only be obscured/) });
      expect(await obscured.list()).toEqual([]);

      const session = await obscured.save(input({ passwordStorage: 'session' }));
      expect(session.hasPassword).toBe(false); // nothing written
      expect(await storage.getAccountSecret(session.id)).toBeNull();
      expect((await obscured.getCredentials(session.id)).password).toBe(input().password);
      // next start: a new service over the same database has no password (asked again)
      const restarted = new AccountsService({ storage, secrets: createTestSecretStore('obscured'), emit: () => {} });
      expect((await restarted.getCredentials(session.id)).password).toBeNull();

      const anyway = await obscured.save(input({ id: session.id, password: 'stored-anyway', passwordStorage: 'obscured' }));
      expect(anyway.hasPassword).toBe(true);
      expect((await obscured.getCredentials(anyway.id)).password).toBe('stored-anyway');
    });

    it('refuses a second account for the same address of record (host case-insensitive)', async () => {
      await service.save(input());
      await expect(service.save(input({ aor: 'sip:alice@EXAMPLE.test' }))).rejects.toMatchObject({
        code: 'duplicate',
        message: expect.stringContaining('sip:alice@example.test'),
      });
    });
  });

  describe('save (validation)', () => {
    it.each<[string, Partial<AccountInput>, RegExp]>([
      ['no scheme', { aor: 'alice@example.test' }, /SIP address: .*sip:/],
      ['no user', { aor: 'sip:example.test' }, /SIP address: .*user and a host/],
      ['tel: URI', { aor: 'tel:+4930123' }, /SIP address: .*not supported/],
      ['password inside the URI', { aor: 'sip:alice:pw@example.test' }, /password/],
      ['port in the address', { aor: 'sip:alice@example.test:5060' }, /Registrar/],
      ['registrar with a scheme', { registrar: 'http://pbx' }, /Registrar: /],
      ['registrar port out of range', { registrar: 'pbx.example.test:70000' }, /Registrar: port 70000/],
      ['port 0', { port: 0 }, /Port: 0 is outside/],
      ['port 65536', { port: 65536 }, /Port: 65536/],
      ['sips: over UDP (RFC 3261 §26.2.2)', { aor: 'sips:alice@example.test', transport: 'udp' }, /sips: address needs the TLS/],
      ['certificate without TLS', { pinnedCertificate: '-----BEGIN CERTIFICATE-----x-----END CERTIFICATE-----' }, /only used with the TLS/],
      ['certificate that is not PEM', { transport: 'tls', pinnedCertificate: 'hello' }, /PEM/],
      ['header injection in the display name', { displayName: 'Alice\r\nVia: evil' }, /Display name/],
      ['empty new password', { password: '' }, /Password/],
      ['outbound proxy with a user', { outboundProxy: 'sip:bob@proxy.example.test' }, /Outbound proxy/],
      ['sips: outbound proxy without TLS', { outboundProxy: 'sips:proxy.example.test' }, /TLS/],
    ])('rejects %s with a clear invalid-input error', async (_name, over, message) => {
      const error: unknown = await service.save(input(over)).catch((e: unknown) => e);
      expect(error).toMatchObject({ code: 'invalid-input', message: expect.stringMatching(message) });
      expect(String((error as Error).message)).not.toContain(PASSWORD);
      expect(events).toEqual([]);
    });

    it('normalises the outbound proxy', async () => {
      const saved = await service.save(input({ outboundProxy: '127.0.0.1:15060;transport=tcp' }));
      expect(saved.outboundProxy).toBe('sip:127.0.0.1:15060;transport=tcp');
    });
  });

  describe('save (existing account)', () => {
    it('keeps the stored password when the input password is null', async () => {
      const first = await service.save(input());
      const second = await service.save(input({ id: first.id, password: null, displayName: 'Alice B.' }));
      expect(second).toMatchObject({ id: first.id, displayName: 'Alice B.', hasPassword: true });
      expect((await service.getCredentials(first.id)).password).toBe(PASSWORD);
    });

    it('replaces the password when a new one is given', async () => {
      const first = await service.save(input());
      await service.save(input({ id: first.id, password: 'new-one' }));
      expect((await service.getCredentials(first.id)).password).toBe('new-one');
    });

    it('reports not-found for an id that does not exist', async () => {
      await expect(service.save(input({ id: 'missing' as AccountId }))).rejects.toMatchObject({ code: 'not-found' });
    });
  });

  describe('remove', () => {
    it('removes the account and emits the new list; credentials are gone', async () => {
      const a = await service.save(input());
      const b = await service.save(input({ aor: 'sip:bob@example.test' }));
      events = [];
      await service.remove(a.id);
      expect(events).toEqual([{ event: 'accounts:changed', payload: [b] }]);
      await expect(service.getCredentials(a.id)).rejects.toMatchObject({ code: 'not-found' });
      await service.remove(a.id);
      expect(events).toHaveLength(1);
    });
  });
});
