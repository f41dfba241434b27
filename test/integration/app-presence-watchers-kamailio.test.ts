/**
 * The app as notifier of its own presence (RFC 3856 §6 over RFC 6665 §4.2), watcher authorization
 * (RFC 3856 §6.6): Kamailio takes PUBLISH but relays every SUBSCRIBE to the presentity's registered UA
 * (record-routed, WITH_UA_NOTIFIER). Bob watches alice: his subscription is pending and alice sees a
 * request; she allows it → bob sees her available, then busy; she blocks him → his subscription ends
 * rejected (denied) and he does not try again.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PeerPresenceDto } from '#shared/domain/presence.ts';
import type { RunningKamailio } from '../support/kamailio.ts';
import { waitFor } from '../support/peers.ts';
import { accountInput, startApp, waitRegistered, type App } from '../support/app-process-kit.ts';
import { startKamailioOnFreePorts } from './register-kit.ts';

const ALICE = 'sip:alice@example.test';
const BOB = 'sip:bob@example.test';

describe('the app answers SUBSCRIBE to its own presence through Kamailio, only for contacts the user allowed', () => {
  let kamailio: RunningKamailio;
  let sipPort: number;
  let alice: App;
  let bob: App;

  beforeAll(async () => {
    ({ kamailio, sipPort } = await startKamailioOnFreePorts(34_400, 200, { presence: 'ua-notifier' }));
    alice = await startApp();
    bob = await startApp();
    await alice.call('contacts:save', { id: null, displayName: 'Bob', address: BOB, note: '' });
    await bob.call('contacts:save', { id: null, displayName: 'Alice', address: ALICE, note: '' });
    // alice first: bob's SUBSCRIBE finds her registered (else Kamailio answers 404 and bob backs off 30 s)
    const a = await alice.call('accounts:save', accountInput({ user: 'alice', sipPort, transport: 'udp' }));
    await waitRegistered(alice, a.id);
    const b = await bob.call('accounts:save', accountInput({ user: 'bob', sipPort, transport: 'udp' }));
    await waitRegistered(bob, b.id);
  });

  afterAll(async () => {
    await alice?.services.dispose();
    await bob?.services.dispose();
    await kamailio?.stop();
  });

  const aliceAtBob = (): PeerPresenceDto[] => bob.of('presence:peer-changed').filter((p) => p.peer === ALICE);
  const last = () => aliceAtBob().at(-1);
  const requests = () => alice.of('presence:watchers-changed').at(-1) ?? [];

  it('bob is pending (no state given away) and alice sees his request', async () => {
    await waitFor(() => requests().some((w) => w.address === BOB && w.decision === 'pending'), 'alice sees bob asking', 20_000);
    await waitFor(() => last()?.subscription === 'pending', 'bob is pending at alice', 20_000);
    expect(last()).toMatchObject({ availability: 'offline', note: null, subscription: 'pending' });
    expect(aliceAtBob().some((p) => p.availability !== 'offline')).toBe(false);
    expect(await alice.call('presence:watchers', null)).toEqual([{ address: BOB, decision: 'pending', watching: 1 }]);
  });

  it('alice allows bob: he sees her available at once, then busy with her note', async () => {
    await alice.call('presence:decide-watcher', { address: BOB, decision: 'allow' });
    await waitFor(() => last()?.availability === 'available', 'bob sees alice available', 20_000);
    expect(last()?.subscription).toBe('active');
    await alice.call('presence:set-own', { mode: 'busy', note: 'in a meeting' });
    await waitFor(() => last()?.availability === 'busy', 'bob sees alice busy', 20_000);
    expect(last()?.note).toBe('in a meeting');
    expect(await alice.call('presence:watchers', null)).toEqual([{ address: BOB, decision: 'allow', watching: 1 }]);
  });

  it('alice blocks bob: his subscription ends rejected (denied) and he sends no new SUBSCRIBE', async () => {
    await alice.call('presence:decide-watcher', { address: BOB, decision: 'block' });
    await waitFor(() => last()?.subscription === 'denied', 'bob is denied', 20_000);
    expect(last()?.availability).toBe('offline');
    await waitFor(() => (alice.of('presence:watchers-changed').at(-1) ?? []).some((w) => w.address === BOB && w.watching === 0), 'the dialog is gone', 20_000);
    // RFC 6665 §4.1.3: after "rejected" the subscriber does not retry: no new live subscription at alice
    await alice.call('presence:set-own', { mode: 'auto', note: '' });
    // no sleep: a MESSAGE bob → alice over the same path goes after anything bob sent on the rejection,
    // and its arrival proves both apps and Kamailio alive when the "nothing" below is read
    const toAlice = await bob.call('chats:open-conversation', { accountId: null, peer: 'alice@example.test' });
    const sent = await bob.call('chats:send-message', { conversationId: toAlice.id, body: 'after the block', expiresInSeconds: null, oversize: null });
    expect(sent.kind).toBe('queued');
    await waitFor(() => alice.of('chats:message-received').some((m) => m.body === 'after the block'), 'bob\'s MESSAGE at alice', 20_000);
    const bobTrace = [...(await bob.call('diagnostics:list-trace', { accountId: null, callId: null, limit: 2000 }))].sort((x, y) => x.seq - y.seq);
    const rejected = bobTrace.find((e) => e.direction === 'received' && e.summary.startsWith('NOTIFY') && /Subscription-State:\s*terminated;\s*reason=rejected/i.test(e.text));
    expect(rejected, 'the NOTIFY that ended bob\'s subscription').toBeDefined();
    const resubscribed = bobTrace.filter((e) => e.seq > (rejected?.seq ?? Infinity) && e.direction === 'sent' && e.summary.startsWith('SUBSCRIBE'));
    expect(resubscribed.map((e) => e.summary)).toEqual([]);
    expect(await alice.call('presence:watchers', null)).toEqual([{ address: BOB, decision: 'block', watching: 0 }]);
  });
});
