/**
 * Presence between two app instances through Kamailio as presence server (RFC 3856 over RFC 6665
 * SUBSCRIBE/NOTIFY, PUBLISH RFC 3903, PIDF RFC 3863): each has the other as a contact, publishes its own
 * state and watches the other's. Alice sees bob go available → away (idle) → in a call → offline (quit).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Availability } from '#shared/domain/presence.ts';
import type { RunningKamailio } from '../support/kamailio.ts';
import { waitFor } from '../support/peers.ts';
import { accountInput, startApp, waitRegistered, type App } from '../support/app-process-kit.ts';
import { startKamailioOnFreePorts } from './register-kit.ts';

describe('two app instances: presence through Kamailio (RFC 3856, 3903, 6665)', () => {
  let kamailio: RunningKamailio;
  let sipPort: number;
  let alice: App;
  let bob: App | null;

  beforeAll(async () => {
    ({ kamailio, sipPort } = await startKamailioOnFreePorts(32_800, 200, { presence: true }));
    alice = await startApp();
    bob = await startApp();
    await alice.call('contacts:save', { id: null, displayName: 'Bob', address: 'sip:bob@example.test', note: '' });
    await bob.call('contacts:save', { id: null, displayName: 'Alice', address: 'sip:alice@example.test', note: '' });
    const a = await alice.call('accounts:save', accountInput({ user: 'alice', sipPort, transport: 'udp' }));
    const b = await bob.call('accounts:save', accountInput({ user: 'bob', sipPort, transport: 'udp' }));
    await waitRegistered(alice, a.id);
    await waitRegistered(bob, b.id);
  });

  afterAll(async () => {
    await alice?.services.dispose();
    await bob?.services.dispose();
    await kamailio?.stop();
  });

  const seen = (app: App, peer: string): Availability[] =>
    app.of('presence:peer-changed').filter((p) => p.peer === peer).map((p) => p.availability);
  const bobAtAlice = () => seen(alice, 'sip:bob@example.test');
  const last = (list: Availability[]) => list.at(-1);

  it('each sees the other available, and the PBX is noted as supporting presence', async () => {
    await waitFor(() => last(bobAtAlice()) === 'available', 'alice sees bob available', 20_000);
    await waitFor(() => last(seen(bob!, 'sip:alice@example.test')) === 'available', 'bob sees alice available', 20_000);
    expect(alice.of('presence:account-changed').map((a) => a.support)[0]).toBe('supported');
    // this Kamailio keeps no pres-rules (no XCAP server, every watcher authorized): the account says so
    await waitFor(() => alice.of('presence:account-changed').some((a) => /could not be stored on the PBX/.test(a.authorization ?? '')), 'authorization said', 30_000);
    const snapshot = await alice.call('presence:get', null);
    expect(new Set(alice.of('presence:account-changed').map((a) => a.support))).toEqual(new Set(['supported']));
    expect(snapshot.peers).toEqual([expect.objectContaining({ peer: 'sip:bob@example.test', availability: 'available', subscription: 'active' })]);
  });

  it('bob idle → away with his note; busy; then a call makes him in-call; the end of it brings him back', async () => {
    bob!.services.presence.setIdle(true);
    await waitFor(() => last(bobAtAlice()) === 'away', 'alice sees bob away', 20_000);
    bob!.services.presence.setIdle(false);
    await bob!.call('presence:set-own', { mode: 'busy', note: 'writing the report' });
    await waitFor(() => last(bobAtAlice()) === 'busy', 'alice sees bob busy', 20_000);
    expect(alice.of('presence:peer-changed').at(-1)?.note).toBe('writing the report');
    await bob!.call('presence:set-own', { mode: 'auto', note: '' });
    await waitFor(() => last(bobAtAlice()) === 'available', 'bob available again', 20_000);

    // a call between them (alice answers): both in a call
    const call = await bob!.call('calls:place', { accountId: null, peer: 'alice@example.test' });
    await waitFor(() => alice.of('calls:call-changed').some((c) => c.state === 'incoming'), 'alice rings', 20_000);
    const incoming = alice.of('calls:call-changed').find((c) => c.state === 'incoming')!;
    await alice.call('calls:answer', { callId: incoming.id });
    await waitFor(() => last(bobAtAlice()) === 'in-call', 'alice sees bob in a call', 20_000);
    await waitFor(() => last(seen(bob!, 'sip:alice@example.test')) === 'in-call', 'bob sees alice in a call', 20_000);
    await bob!.call('calls:hang-up', { callId: call.id });
    await waitFor(() => last(bobAtAlice()) === 'available', 'call over: available', 20_000);
  });

  it('bob quits: alice sees him offline, and every state came once, in order', async () => {
    await bob!.services.dispose();
    bob = null;
    await waitFor(() => last(bobAtAlice()) === 'offline', 'alice sees bob offline', 20_000);
    // (an 'offline' may come first: alice's subscription can be answered before bob's first PUBLISH)
    const seq = bobAtAlice();
    expect(seq.slice(seq.indexOf('available'))).toEqual(['available', 'away', 'available', 'busy', 'available', 'in-call', 'available', 'offline']);
  });
});
