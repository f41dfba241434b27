/**
 * Watcher authorization when Kamailio is the presence server (the PUBLISH model): Kamailio answers every
 * SUBSCRIBE to alice itself, authorizing by alice's pres-rules (RFC 5025) on its XCAP server (RFC 4825,
 * xcap_server + presence_xml, force_active=0: a watcher without a rule stays pending).
 * Alice learns who watches her from her watcher information (RFC 3857 presence.winfo, RFC 3858 documents),
 * sees bob's request, allows him → her app PUTs pres-rules over XCAP with her credentials → Kamailio makes
 * bob's subscription active and he sees her state; she blocks him → his subscription ends rejected.
 * Run with udp accounts (XCAP over http on the SIP port) and with TLS accounts (https on the SIP TLS port,
 * trusted by the account's pinned certificate, as its SIP TLS connection).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PeerPresenceDto } from '#shared/domain/presence.ts';
import type { RunningKamailio } from '../support/kamailio.ts';
import { waitFor } from '../support/peers.ts';
import { accountInput, startApp, waitRegistered, type App } from '../support/app-process-kit.ts';
import { startKamailioOnFreePorts } from './register-kit.ts';

const ALICE = 'sip:alice@example.test';
const BOB = 'sip:bob@example.test';

describe.each(['udp', 'tls'] as const)('watchers authorized at Kamailio\'s presence server by pres-rules the app stores over XCAP (%s)', (transport) => {
  let kamailio: RunningKamailio;
  let sipPort: number;
  let alice: App;
  let bob: App;

  beforeAll(async () => {
    ({ kamailio, sipPort } = await startKamailioOnFreePorts(35_400, 200, { presence: 'xcap' }));
    alice = await startApp();
    bob = await startApp();
    await alice.call('contacts:save', { id: null, displayName: 'Bob', address: BOB, note: '' });
    await bob.call('contacts:save', { id: null, displayName: 'Alice', address: ALICE, note: '' });
    const tls = transport === 'tls' ? { certPem: kamailio.certPem } : {};
    const a = await alice.call('accounts:save', accountInput({ user: 'alice', sipPort, transport, ...tls }));
    await waitRegistered(alice, a.id);
    const b = await bob.call('accounts:save', accountInput({ user: 'bob', sipPort, transport, ...tls }));
    await waitRegistered(bob, b.id);
  }, 60_000);

  afterAll(async () => {
    await alice?.services.dispose();
    await bob?.services.dispose();
    await kamailio?.stop();
  });

  const aliceAtBob = (): PeerPresenceDto[] => bob.of('presence:peer-changed').filter((p) => p.peer === ALICE);
  const last = () => aliceAtBob().at(-1);
  const requests = () => alice.of('presence:watchers-changed').at(-1) ?? [];
  /** SUBSCRIBEs for presence that reached alice's own UA (from her wire trace) */
  const aliceSubscribesReceived = async (): Promise<number> => {
    const trace = await alice.call('diagnostics:list-trace', { accountId: null, callId: null, limit: 5000 });
    // the trace does hold what she received (her winfo NOTIFYs), so a zero below means something
    expect(trace.filter((t) => t.direction === 'received' && t.summary.startsWith('NOTIFY')).length).toBeGreaterThan(0);
    return trace.filter((t) => t.direction === 'received' && t.summary.startsWith('SUBSCRIBE')).length;
  };

  it('bob is pending at the server (no state given away) and alice sees his request through presence.winfo', async () => {
    await waitFor(() => requests().some((w) => w.address === BOB && w.decision === 'pending'), 'alice sees bob asking', 20_000);
    await waitFor(() => last()?.subscription === 'pending', 'bob is pending', 20_000);
    expect(aliceAtBob().some((p) => p.availability !== 'offline')).toBe(false);
    expect(await alice.call('presence:watchers', null)).toEqual([{ address: BOB, decision: 'pending', watching: 0 }]);
    // her (empty) pres-rules were stored when the winfo subscription went active: the account says the PBX decides
    await waitFor(() => alice.of('presence:account-changed').at(-1)?.authorization === 'the PBX decides who sees your status, with your Allow/Block choices', 'authorization said', 20_000);
  });

  it('alice allows bob: the server takes her pres-rules and bob sees her available, then busy', async () => {
    await alice.call('presence:decide-watcher', { address: BOB, decision: 'allow' });
    await waitFor(() => last()?.availability === 'available', 'bob sees alice available', 20_000);
    expect(last()?.subscription).toBe('active');
    await alice.call('presence:set-own', { mode: 'busy', note: 'in a meeting' });
    await waitFor(() => last()?.availability === 'busy', 'bob sees alice busy', 20_000);
    expect(last()?.note).toBe('in a meeting');
    expect(await alice.call('presence:watchers', null)).toEqual([expect.objectContaining({ address: BOB, decision: 'allow' })]);
    // Kamailio answered bob's SUBSCRIBEs itself: none reached alice's app (it would have made her the notifier)
    expect(await aliceSubscribesReceived()).toBe(0);
  });

  it('alice blocks bob: the server ends his subscription rejected and he does not try again', async () => {
    await alice.call('presence:decide-watcher', { address: BOB, decision: 'block' });
    await waitFor(() => last()?.subscription === 'denied', 'bob is denied', 20_000);
    expect(last()?.availability).toBe('offline');
    expect(await alice.call('presence:watchers', null)).toEqual([{ address: BOB, decision: 'block', watching: 0 }]);
  });
});
