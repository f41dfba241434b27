/** SRTP per account (issue 13): the setting and the consent to keys over UDP/TCP, saved and read back. */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { AccountsService } from '../../../main/services/accounts.ts';
import { createTestSecretStore } from '../../../main/services/secret-store.ts';
import { srtpModeOf } from '../../../main/services/sip-stack-calls.ts';
import { openStorage, type Storage } from '../../../main/storage/storage.ts';
import type { AccountInput } from '#shared/domain/account.ts';
import { ServiceError } from '../../../main/ipc/service-error.ts';
import { tempDir } from '../storage/fixtures.ts';

function input(over: Partial<AccountInput> = {}): AccountInput {
  return {
    id: null, aor: 'sip:alice@example.test', displayName: 'Alice', authUser: '', password: 'pw-1', registrar: '', outboundProxy: null,
    transport: 'udp', port: null, cpim: false, pinnedCertificate: null, enabled: true, ...over,
  };
}

describe('AccountsService: encrypted audio setting', () => {
  const tmp = tempDir();
  let storage: Storage;
  let service: AccountsService;
  beforeAll(async () => {
    storage = await openStorage(tmp.file('srtp.db'));
  });
  afterAll(async () => {
    await storage.close();
    tmp.remove();
  });
  beforeEach(async () => {
    for (const a of await storage.listAccounts()) await storage.removeAccount(a.id);
    service = new AccountsService({ storage, secrets: createTestSecretStore(), emit: () => {}, now: () => 1_700_000_000_000 });
  });

  it('defaults: required on TLS, offered on UDP (which stays plain RTP without the consent to keys over UDP)', async () => {
    const tls = await service.save(input({ transport: 'tls', aor: 'sip:t@example.test' }));
    const udp = await service.save(input());
    expect(tls).toMatchObject({ srtp: 'required', srtpOverInsecure: false });
    expect(udp).toMatchObject({ srtp: 'offered', srtpOverInsecure: false });
    expect(srtpModeOf(tls)).toBe('required');
    expect(srtpModeOf(udp)).toBe('off');
  });

  it('stores the choice and the consent; a later save without them goes back to the default', async () => {
    const saved = await service.save(input({ transport: 'tcp', srtp: 'required', srtpOverInsecure: true }));
    expect(saved).toMatchObject({ srtp: 'required', srtpOverInsecure: true });
    expect(srtpModeOf(saved)).toBe('required');
    const off = await service.save(input({ id: saved.id, password: null, transport: 'tcp', srtp: 'off', srtpOverInsecure: true }));
    expect(srtpModeOf(off)).toBe('off');
    const again = await service.save(input({ id: saved.id, password: null, transport: 'tls' }));
    expect(again).toMatchObject({ srtp: 'required', srtpOverInsecure: false });
    expect((await storage.listAccounts()).find((a) => a.id === saved.id)?.srtp).toBe('required');
  });

  it('refuses "required" over UDP/TCP without the consent, saying why', async () => {
    const err = await service.save(input({ srtp: 'required' })).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ServiceError);
    expect((err as ServiceError).message).toMatch(/readable to anyone on the path.*TLS/);
    expect(await storage.listAccounts()).toEqual([]);
  });
});

describe('srtpModeOf: what the calls of an account do', () => {
  it('TLS: the setting as chosen (required by default)', () => {
    expect(srtpModeOf({ transport: 'tls' })).toBe('required');
    expect(srtpModeOf({ transport: 'tls', srtp: 'offered', srtpOverInsecure: false })).toBe('offered');
    expect(srtpModeOf({ transport: 'tls', srtp: 'off', srtpOverInsecure: false })).toBe('off');
  });

  it('UDP/TCP: plain RTP unless the user allowed keys there; then the setting', () => {
    expect(srtpModeOf({ transport: 'udp', srtp: 'offered', srtpOverInsecure: false })).toBe('off');
    expect(srtpModeOf({ transport: 'tcp', srtp: 'required', srtpOverInsecure: false })).toBe('off');
    expect(srtpModeOf({ transport: 'udp', srtp: 'offered', srtpOverInsecure: true })).toBe('offered');
    expect(srtpModeOf({ transport: 'tcp', srtp: 'required', srtpOverInsecure: true })).toBe('required');
  });
});
