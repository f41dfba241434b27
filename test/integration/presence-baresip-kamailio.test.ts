/**
 * baresip 1.0 (its `presence` module) as a third-party presence peer, with Kamailio as the presence server
 * (RFC 3856 over RFC 6665, PUBLISH RFC 3903, PIDF RFC 3863 + RPID RFC 4480).
 *
 * baresip 1.0's publisher (modules/presence/publisher.c) never retries, and at start it races itself: a 10 ms
 * timer PUBLISHes status "unknown" and registration PUBLISHes "open", both without an entity-tag when the
 * first 200 is late (seen under load: two publications at the server, and after `/presence_offline` the
 * other one still said open). So the order is fixed: Kamailio, then our app registered, published and
 * subscribed to bob, then baresip registers without its presence module, then `/insmod presence.so` makes its
 * one start-up PUBLISH, and each later command (`/presence_online`, `/presence_offline`) goes only once
 * Kamailio answered the PUBLISH before it, so it modifies that one publication (SIP-If-Match). Every step is
 * waited for as an event (Kamailio's log line, baresip's log, our `presence:peer-changed`), never a sleep.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Availability } from '#shared/domain/presence.ts';
import { startBaresip, type Baresip, type BaresipOptions } from '../support/baresip.ts';
import type { RunningKamailio } from '../support/kamailio.ts';
import { socketInodesOnPort } from '../support/port-owner.ts';
import { waitFor } from '../support/peers.ts';
import { accountInput, startApp, waitRegistered, type App } from '../support/app-process-kit.ts';
import { startKamailioOnFreePorts } from './register-kit.ts';

const BOB = 'sip:bob@example.test';
let kamailio: RunningKamailio;
let sipPort = 0;
let alice: App;
let bob: Baresip;

/** a port free for UDP and TCP, and the next one free for TCP (baresip's ctrl_tcp) */
function freeSipPorts(): { sip: number; ctrl: number } {
  for (let i = 0; i < 200; i++) {
    const p = 24_400 + 2 * Math.floor(Math.random() * 300);
    const free = (protocol: 'udp' | 'tcp', port: number) => socketInodesOnPort(protocol, port).size === 0;
    if (free('udp', p) && free('tcp', p) && free('tcp', p + 1) && free('tcp', p + 2)) return { sip: p, ctrl: p + 2 };
  }
  throw new Error('no free port pair for baresip');
}

/** startBaresip again only when it failed before registering (it then published nothing) */
async function startWithoutStalePublication(pick: () => BaresipOptions, tries = 5): Promise<Baresip> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await startBaresip(pick());
    } catch (e) {
      if (attempt >= tries || /registered successfully|200 OK/.test(String(e))) throw e;
    }
  }
}

const plain = (s: string): string => s.replace(/\x1b\[[0-9;]*m/g, '');
const bobAtAlice = (): Availability[] => alice.of('presence:peer-changed').filter((p) => p.peer === BOB).map((p) => p.availability);

/** what baresip's `/contacts` says about alice (Online, Busy, Offline, Unknown): asks, waits for the listing */
async function aliceAtBob(): Promise<string> {
  const listings = () => plain(bob.log()).split('--- Contacts (1) ---');
  const before = listings().length;
  bob.stdin('/contacts');
  await waitFor(() => listings().length > before && /sip:alice@example\.test>/.test(listings().at(-1) ?? ''), 'baresip lists its contacts', 10_000);
  const line = (listings().at(-1) ?? '').split('\n').find((l) => l.includes('Peer <sip:alice@example.test>')) ?? '';
  const words = line.trim().split(/\s+/);
  return words[words.indexOf('Peer') - 1] ?? '?';
}

/** baresip's view of alice, until it reads `want` (each ask is answered; asks at most every 200 ms) */
async function untilBobSees(want: string, timeoutMs = 20_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  let seen = '';
  while (Date.now() < until) {
    seen = await aliceAtBob();
    if (seen === want) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`baresip shows alice ${seen}, not ${want}\n${plain(bob.log()).slice(-3000)}`);
}

/** PUBLISHes from bob that Kamailio answered (a log line after handle_publish in the test config) */
const bobPublishesAnswered = (): number => kamailio.log().split('presence: PUBLISH from sip:bob@example.test answered').length - 1;

/** what a failed wait needs to be understood: baresip's log, Kamailio's PUBLISH lines and errors, alice's view */
const diagnosis = (e: unknown): string =>
  `${String(e)}\nbaresip: ${plain(bob.log()).slice(-1500)}\nkamailio: ${kamailio
    .log()
    .split('\n')
    .filter((l) => /ERROR|PUBLISH|WARN/.test(l))
    .slice(-20)
    .join('\n')}\nalice saw: ${JSON.stringify(alice.of('presence:peer-changed'))}`;

beforeAll(async () => {
  ({ kamailio, sipPort } = await startKamailioOnFreePorts(23_900, 100, { presence: true }));
  alice = await startApp();
  await alice.call('contacts:save', { id: null, displayName: 'Bob', address: BOB, note: '' });
  const a = await alice.call('accounts:save', accountInput({ user: 'alice', sipPort }));
  await waitRegistered(alice, a.id);
  // our PUBLISH answered 200 (or a NOTIFY seen): the presence server holds our state and our subscription
  await waitFor(() => alice.of('presence:account-changed').some((s) => s.support === 'supported'), 'alice published', 20_000);
  await waitFor(() => bobAtAlice().length > 0, 'alice subscribed to bob', 20_000);
  // Not startBaresipOnFreePorts: it stops a baresip that registered but lacks its control port and starts
  // another, and the stopped one's PUBLISH (open, 600 s) stays at the presence server beside the new one's, so
  // alice would still see bob available after he publishes offline (seen: 3 PUBLISHes from bob, 1 in 15 runs).
  // This test needs no control port (commands go to stdin); a SIP port collision makes baresip exit before it
  // registers or publishes anything, so only that case is retried.
  bob = await startWithoutStalePublication(() => {
    const ports = freeSipPorts();
    return {
      user: 'bob',
      password: 'bob-secret',
      proxyPort: sipPort,
      sipPort: ports.sip,
      ctrlPort: ports.ctrl,
      rtpPort: 26_000 + 100 * Math.floor(Math.random() * 30),
      contact: 'sip:alice@example.test',
      presence: { publishIntervalS: 600, loadByCommand: true },
    };
  });
  // registered: now the presence module, so that its one start-up PUBLISH (status "unknown") is the only
  // publication and every later one modifies it (SIP-If-Match); it also subscribes to alice now
  bob.stdin('/insmod presence.so');
  await waitFor(() => bobPublishesAnswered() >= 1, 'baresip\'s first PUBLISH answered', 20_000).catch((e: unknown) => {
    throw new Error(diagnosis(e));
  });
}, 60_000);

afterAll(async () => {
  await alice?.services.dispose();
  await bob?.stop();
  await kamailio?.stop();
}, 30_000);

describe('baresip publishes and subscribes through Kamailio\'s presence server', () => {
  it('baresip publishes online (modifying its first publication): our app shows bob available', async () => {
    bob.stdin('/presence_online');
    await waitFor(() => bobAtAlice().at(-1) === 'available', 'alice sees bob available', 20_000).catch((e: unknown) => {
      throw new Error(diagnosis(e));
    });
    expect(alice.of('presence:peer-changed').filter((p) => p.peer === BOB).at(-1)).toMatchObject({ subscription: 'active' });
  });

  it('bob goes offline and online again by command: our app follows each PUBLISH', async () => {
    // each command after the PUBLISH before it was answered (baresip sends a modification only once it holds
    // the entity-tag of the last one)
    await waitFor(() => bobPublishesAnswered() >= 2, 'baresip\'s online PUBLISH answered', 20_000);
    bob.stdin('/presence_offline');
    await waitFor(() => bobAtAlice().at(-1) === 'offline', 'alice sees bob offline', 20_000).catch((e: unknown) => {
      throw new Error(diagnosis(e));
    });
    await waitFor(() => bobPublishesAnswered() >= 3, 'baresip\'s offline PUBLISH answered', 20_000);
    bob.stdin('/presence_online');
    await waitFor(() => bobAtAlice().at(-1) === 'available', 'alice sees bob available again', 20_000).catch((e: unknown) => {
      throw new Error(diagnosis(e));
    });
    const seq = bobAtAlice();
    expect(seq.slice(seq.indexOf('available'))).toEqual(['available', 'offline', 'available']);
    // exactly four PUBLISHes answered: the start-up one and the three commands (no second publication)
    expect(bobPublishesAnswered()).toBe(4);
  });

  // baresip 1.0 knows Online, Busy, Offline (and Unknown): it reads RPID `away` as Offline and
  // `on-the-phone` as Busy, so those are the words it shows for our away and in-call states
  it('baresip\'s SUBSCRIBE to alice: it follows her available → away → in a call → busy → offline → available', async () => {
    await untilBobSees('Online');
    alice.services.presence.setIdle(true); // idle (powerMonitor) makes `auto` away
    await untilBobSees('Offline');
    alice.services.presence.setIdle(false);
    await untilBobSees('Online');
    // a real call to bob (baresip answers by itself): alice is in a call
    const call = await alice.call('calls:place', { accountId: null, peer: 'bob@example.test' });
    await waitFor(() => alice.of('calls:call-changed').some((c) => c.id === call.id && c.state === 'connected'), 'call connected', 20_000);
    await untilBobSees('Busy');
    await alice.call('calls:hang-up', { callId: call.id });
    await untilBobSees('Online');
    await alice.call('presence:set-own', { mode: 'busy', note: 'on a deadline' });
    await untilBobSees('Busy');
    await alice.call('presence:set-own', { mode: 'offline', note: '' });
    await untilBobSees('Offline');
    await alice.call('presence:set-own', { mode: 'auto', note: '' });
    await untilBobSees('Online');
    // baresip logs every change it saw, in order: each of our PUBLISHes reached it once, none was lost
    const changes = [...plain(bob.log()).matchAll(/<sip:alice@example\.test> changed status from (\w+) to (\w+)/g)].map((m) => `${m[1] ?? ''}→${m[2] ?? ''}`);
    expect(changes).toEqual(['Online→Offline', 'Offline→Online', 'Online→Busy', 'Busy→Online', 'Online→Busy', 'Busy→Offline', 'Offline→Online']);
  });
});
