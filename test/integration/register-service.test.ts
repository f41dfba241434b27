/**
 * SipStackService against a real Kamailio: per enabled account a stack that registers and emits
 * `accounts:registration-changed`; the PagerSender seam carries a MESSAGE between two accounts; the wire
 * trace redacts digest responses; "test registration" gives plain words; a changed password rebuilds the
 * stack; dispose() unregisters.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AccountDto, AccountInput, RegistrationDto } from '#shared/domain/account.ts';
import type { AccountId } from '#shared/domain/ids.ts';
import type { EventMap, EventName } from '#shared/ipc/contract.ts';
import type { IncomingPagerMessage } from '../../main/services/chats/pager.ts';
import { SipStackService } from '../../main/services/sip-stack.ts';
import type { RunningKamailio } from '../support/kamailio.ts';
import { waitFor } from '../support/peers.ts';
import { registeredContacts, startKamailioOnFreePorts } from './register-kit.ts';

let kamailio: RunningKamailio;
let sipPort = 0;
let service: SipStackService;
const events: { name: EventName; payload: unknown }[] = [];
const passwords = new Map<string, string>();
let accounts: AccountDto[] = [];
const inbox: { accountId: AccountId; message: IncomingPagerMessage }[] = [];

const ALICE = 'acc-alice' as AccountId;
const BOB = 'acc-bob' as AccountId;
const CAROL = 'acc-carol' as AccountId;

function account(id: AccountId, user: string, transport: 'udp' | 'tcp', enabled = true): AccountDto {
  return {
    id,
    aor: `sip:${user}@example.test`,
    displayName: user,
    authUser: user,
    registrar: 'example.test',
    outboundProxy: `sip:127.0.0.1:${sipPort}${transport === 'udp' ? '' : ';transport=tcp'}`,
    transport,
    port: null,
    cpim: false,
    pinnedCertificate: null,
    enabled,
    hasPassword: true,
    realm: null,
    extraRealms: [],
    learnedRealm: null,
    allowDirect: false,
    srtp: 'offered',
    srtpOverInsecure: false,
  };
}

function registrationOf(id: AccountId): RegistrationDto['registration'] | undefined {
  return service.listRegistrations().find((r) => r.accountId === id)?.registration;
}

beforeAll(async () => {
  ({ kamailio, sipPort } = await startKamailioOnFreePorts(21_668, 330));
  accounts = [account(ALICE, 'alice', 'udp'), account(BOB, 'bob', 'tcp'), account(CAROL, 'carol', 'udp', false)];
  passwords.set(ALICE, 'alice-secret').set(BOB, 'bob-secret').set(CAROL, 'carol-secret');
  service = new SipStackService({
    accounts: {
      list: () => Promise.resolve(accounts),
      getCredentials: (id) => Promise.resolve({ authUser: accounts.find((a) => a.id === id)?.authUser ?? '', password: passwords.get(id) ?? null }),
    },
    emit: <E extends EventName>(name: E, payload: EventMap[E]) => events.push({ name, payload }),
    bindAddress: '127.0.0.1',
    expires: 120,
  });
  service.setMessageReceiver((accountId, message) => {
    inbox.push({ accountId, message });
    return Promise.resolve({ status: 200 });
  });
  await service.sync();
  await waitFor(() => registrationOf(ALICE)?.state === 'registered' && registrationOf(BOB)?.state === 'registered', 'alice and bob registered', 10_000);
}, 30_000);

afterAll(async () => {
  await service?.dispose();
  await kamailio?.stop();
}, 30_000);

describe('SipStackService with Kamailio', () => {
  it('registers every enabled account (not the disabled one) and emits accounts:registration-changed', () => {
    const changes = events.filter((e) => e.name === 'accounts:registration-changed').map((e) => e.payload as RegistrationDto);
    expect(changes.filter((c) => c.accountId === ALICE).map((c) => c.registration.state)).toEqual(['registering', 'registered']);
    expect(changes.some((c) => c.accountId === CAROL)).toBe(false);
    expect(registrationOf(CAROL)).toBeUndefined();
  });

  it('sends a MESSAGE through the PagerSender seam: alice (UDP) → bob (TCP) is 200 and reaches the receiver', async () => {
    expect(service.pager.isCongestionControlled(ALICE, 'sip:bob@example.test')).toBe(false);
    expect(service.pager.isCongestionControlled(BOB, 'sip:alice@example.test')).toBe(true);
    const request = { accountId: ALICE, target: 'sip:bob@example.test', body: Buffer.from('via the seam'), contentType: 'text/plain;charset=UTF-8', expiresSeconds: null, date: new Date(), dialog: null };
    expect(service.pager.estimateRequestSize?.(request)).toBeGreaterThan(400);
    const outcome = await service.pager.send(request);
    expect(outcome).toMatchObject({ kind: 'response', status: 200, reason: 'OK', accept: null });
    expect(inbox.at(-1)).toMatchObject({ accountId: BOB, message: { from: 'sip:alice@example.test', dialog: null } });
    expect(inbox.at(-1)?.message.body.toString()).toBe('via the seam');
    const unknown = await service.pager.send({ ...request, accountId: 'nobody' as AccountId });
    expect(unknown).toEqual({ kind: 'not-registered' });
  });

  it('keeps a wire trace with the digest response redacted', () => {
    const trace = service.listTrace({ accountId: ALICE, callId: null, limit: 500 });
    const authorized = trace.filter((e) => e.direction === 'sent' && /\r\n(Proxy-)?Authorization: Digest/.test(e.text));
    expect(authorized.length).toBeGreaterThanOrEqual(2);
    for (const e of authorized) expect(e.text).toMatch(/response="\[redacted\]"/);
    expect(trace.every((e) => !/response="[0-9a-f]{32}"/.test(e.text))).toBe(true);
    expect(trace.some((e) => e.summary === 'REGISTER' && e.transport === 'UDP')).toBe(true);
    expect(trace.some((e) => e.summary === '401 Unauthorized' && e.direction === 'received')).toBe(true);
  });

  it('testRegistration answers in plain words: wrong password (401), then registered', async () => {
    const input: AccountInput = { ...account(CAROL, 'carol', 'udp'), id: null, password: 'wrong' };
    expect(await service.testRegistration(input)).toEqual({ ok: false, code: 401, summary: 'wrong password (401)' });
    expect(await service.testRegistration({ ...input, password: 'carol-secret' })).toEqual({ ok: true, code: 200, summary: 'registered' });
  });

  it('rebuilds the stack when the password changed, and dispose() unregisters', async () => {
    passwords.set(ALICE, 'changed-and-wrong');
    await service.sync();
    await waitFor(() => registrationOf(ALICE)?.state === 'failed', 'alice to fail', 10_000);
    expect(registrationOf(ALICE)).toMatchObject({ code: 401, reason: 'wrong password (401)' });
    expect(registrationOf(BOB)?.state).toBe('registered');
    await service.dispose();
    expect(registrationOf(BOB)).toEqual({ state: 'unregistered' });
    expect(registeredContacts(kamailio)).not.toMatch(/bob/);
  });
});
