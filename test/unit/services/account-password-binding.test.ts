/**
 * Issue 10, the password follows the account: changing the server it was given for (registrar, outbound
 * proxy, port, transport, AOR domain) or the auth user clears it unless a new one comes in the same save;
 * a registration test with the stored password only goes to the stored server.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { AccountDto, AccountInput } from '#shared/domain/account.ts';
import { changedBoundFields, passwordClearingNotice, serverChanged } from '#shared/domain/account-binding.ts';
import type { EventMap, EventName } from '#shared/ipc/contract.ts';
import { AccountsService } from '../../../main/services/accounts.ts';
import { SipStackService } from '../../../main/services/sip-stack.ts';
import { createTestSecretStore } from '../../../main/services/secret-store.ts';
import { openStorage, type Storage } from '../../../main/storage/storage.ts';
import { tempDir } from '../storage/fixtures.ts';

const PASSWORD = 'first-password';

function input(over: Partial<AccountInput> = {}): AccountInput {
  return {
    id: null,
    aor: 'sip:alice@example.test',
    displayName: 'Alice',
    authUser: 'alice',
    password: PASSWORD,
    registrar: 'pbx.example.test',
    outboundProxy: 'sip:proxy.example.test;transport=tcp',
    transport: 'tcp',
    port: 5070,
    cpim: false,
    pinnedCertificate: null,
    enabled: true,
    ...over,
  };
}

describe('the rule (shared/domain/account-binding.ts)', () => {
  const stored = { aor: 'sip:alice@example.test', authUser: 'alice', registrar: 'pbx.example.test', outboundProxy: null, transport: 'udp' as const, port: null };
  it('names every bound field that changed; display name, CPIM and the AOR user are not bound', () => {
    expect(changedBoundFields(stored, stored)).toEqual([]);
    expect(changedBoundFields(stored, { ...stored, registrar: 'PBX.example.test', aor: 'sip:alice2@EXAMPLE.test' })).toEqual([]);
    expect(
      changedBoundFields(stored, { aor: 'sip:alice@evil.test', authUser: 'Alice', registrar: 'evil.test', outboundProxy: 'sip:evil.test', transport: 'tls', port: 5061 }),
    ).toEqual(['registrar', 'outboundProxy', 'port', 'transport', 'domain', 'authUser']);
    expect(serverChanged(['authUser'])).toBe(false);
    expect(serverChanged(['port'])).toBe(true);
  });

  it('the form notice lists what changed, only when a password is stored', () => {
    const account = { ...stored, hasPassword: true };
    expect(passwordClearingNotice(account, stored)).toBeNull();
    expect(passwordClearingNotice({ ...account, hasPassword: false }, { ...stored, port: 5080 })).toBeNull();
    expect(passwordClearingNotice(account, { ...stored, registrar: 'other.test', port: 5080 })).toBe(
      'Changing the registrar and the port removes the saved password, so it is never sent to a server it was not given for. Type the password again to keep signing in.',
    );
  });
});

describe('AccountsService / SipStackService applying it', () => {
  const tmp = tempDir();
  let storage: Storage;
  let service: AccountsService;
  let events: { name: EventName; payload: unknown }[];
  beforeAll(async () => {
    storage = await openStorage(tmp.file('binding.db'));
  });
  afterAll(async () => {
    await storage.close();
    tmp.remove();
  });
  beforeEach(async () => {
    for (const a of await storage.listAccounts()) await storage.removeAccount(a.id);
    events = [];
    service = new AccountsService({ storage, secrets: createTestSecretStore(), emit: <E extends EventName>(name: E, payload: EventMap[E]) => events.push({ name, payload }) });
  });

  async function saved(): Promise<AccountDto> {
    const a = await service.save(input());
    await service.learnRealm(a.id, 'pbx-realm');
    return service.get(a.id);
  }

  const changes: [string, Partial<AccountInput>][] = [
    ['registrar', { registrar: 'evil.example' }],
    ['outbound proxy', { outboundProxy: 'sip:evil.example;transport=tcp' }],
    ['port', { port: 5999 }],
    ['transport', { transport: 'udp', outboundProxy: 'sip:proxy.example.test' }],
    ['AOR domain', { aor: 'sip:alice@evil.example' }],
    ['auth user', { authUser: 'mallory' }],
  ];
  for (const [what, change] of changes) {
    it(`changing the ${what} without a new password clears the stored one`, async () => {
      const a = await saved();
      const after = await service.save(input({ ...change, id: a.id, password: null }));
      expect(after.hasPassword).toBe(false);
      expect((await service.getCredentials(a.id)).password).toBeNull();
      // the learned realm belongs to the server: forgotten with it, kept when only the user changed
      expect(after.learnedRealm).toBe(what === 'auth user' ? 'pbx-realm' : null);
    });
  }

  it('a new password in the same save is kept; unrelated edits keep the stored password and realm', async () => {
    const a = await saved();
    const moved = await service.save(input({ id: a.id, registrar: 'new.example', password: 'second-password' }));
    expect(moved.hasPassword).toBe(true);
    expect((await service.getCredentials(a.id)).password).toBe('second-password');
    const renamed = await service.save(input({ id: a.id, registrar: 'new.example', displayName: 'Alice B', cpim: true, password: null }));
    expect(renamed).toMatchObject({ hasPassword: true, displayName: 'Alice B' });
    expect((await service.getCredentials(a.id)).password).toBe('second-password');
  });

  it('a session-only password is dropped the same way', async () => {
    const a = await service.save(input({ passwordStorage: 'session' }));
    expect((await service.getCredentials(a.id)).password).toBe(PASSWORD);
    await service.save(input({ id: a.id, password: null, port: 5999 }));
    expect((await service.getCredentials(a.id)).password).toBeNull();
  });

  it('accounts:test-registration with the stored password goes only to the stored server', async () => {
    const a = await saved();
    const stack = new SipStackService({ accounts: service, emit: () => undefined, bindAddress: '127.0.0.1' });
    await expect(stack.testRegistration(input({ id: a.id, password: null, registrar: 'attacker.example', outboundProxy: 'sip:127.0.0.1:9;transport=tcp' }))).rejects.toThrow(
      /saved password only goes to the server it was saved for/,
    );
    await expect(stack.testRegistration(input({ id: a.id, password: null, authUser: 'mallory' }))).rejects.toThrow(/saved password/);
    expect(await service.credentialsForTest(input({ id: a.id, password: null }))).toMatchObject({ password: PASSWORD, account: { learnedRealm: 'pbx-realm' } });
  });
});
