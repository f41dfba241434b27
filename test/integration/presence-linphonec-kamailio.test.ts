/**
 * linphonec (linphone-cli 5.1) as a third-party presence peer, with Kamailio as the presence server
 * (RFC 3856 over RFC 6665, PUBLISH RFC 3903, PIDF RFC 3863 + RPID RFC 4480).
 *
 * What linphonec 5.1 can do here, found by trying: it PUBLISHes "online" when it registers (`publish=1`)
 * and SUBSCRIBEs to the friends of its configuration, printing `Friend "…" <sip:…> is <status>` for every
 * NOTIFY. It has no command to change its own presence (`status` only reports register/autoanswer/hook)
 * and sends nothing when it quits, so its side is proven by its one PUBLISH. GRUU is turned off in its
 * configuration (test/support/linphonec.ts): Kamailio's presence server cannot send a NOTIFY to a
 * `sip:carol@example.test;gr=…` Contact.
 *
 * Order makes it deterministic: Kamailio, our app registered and published, then linphonec registers,
 * publishes and subscribes. Every step is waited for as an event (its log line, our peer-changed).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Availability } from '#shared/domain/presence.ts';
import { startLinphonec, type Linphonec } from '../support/linphonec.ts';
import type { RunningKamailio } from '../support/kamailio.ts';
import { socketInodesOnPort } from '../support/port-owner.ts';
import { waitFor } from '../support/peers.ts';
import { accountInput, startApp, waitRegistered, type App } from '../support/app-process-kit.ts';
import { startKamailioOnFreePorts } from './register-kit.ts';

const CAROL = 'sip:carol@example.test';
let kamailio: RunningKamailio;
let sipPort = 0;
let alice: App;
let carol: Linphonec;

function freeUdpPort(): number {
  for (let i = 0; i < 200; i++) {
    const p = 25_600 + Math.floor(Math.random() * 400);
    if (socketInodesOnPort('udp', p).size === 0) return p;
  }
  throw new Error('no free UDP port for linphonec');
}

/** what linphonec printed about alice, in order */
const carolSees = (): string[] => [...carol.log().matchAll(/Friend "[^"\n]*" <sip:alice@example\.test> is ([^\r\n]+)/g)].map((m) => m[1] ?? '');
const carolAtAlice = (): Availability[] => alice.of('presence:peer-changed').filter((p) => p.peer === CAROL).map((p) => p.availability);

/** waits for linphonec's next line about alice and returns it */
async function next(seen: number): Promise<string> {
  await waitFor(() => carolSees().length > seen, `linphonec's line ${String(seen + 1)} about alice`, 20_000);
  return carolSees()[seen] ?? '';
}

beforeAll(async () => {
  ({ kamailio, sipPort } = await startKamailioOnFreePorts(23_900, 100, { presence: true }));
  alice = await startApp();
  await alice.call('contacts:save', { id: null, displayName: 'Carol', address: CAROL, note: '' });
  const a = await alice.call('accounts:save', accountInput({ user: 'alice', sipPort }));
  await waitRegistered(alice, a.id);
  await waitFor(() => alice.of('presence:account-changed').some((s) => s.support === 'supported'), 'alice published', 20_000);
  await waitFor(() => carolAtAlice().length > 0, 'alice subscribed to carol', 20_000);
  carol = await startLinphonec({
    user: 'carol',
    password: 'carol-secret',
    proxyPort: sipPort,
    sipPort: freeUdpPort(),
    rtpPort: 31_000 + 100 * Math.floor(Math.random() * 20),
    publish: true,
    friends: ['sip:alice@example.test'],
  });
}, 60_000);

afterAll(async () => {
  await alice?.services.dispose();
  await carol?.stop();
  await kamailio?.stop();
}, 30_000);

describe('linphonec publishes and subscribes through Kamailio\'s presence server', () => {
  it('linphonec\'s PUBLISH at registration: our app shows carol available', async () => {
    await waitFor(() => carolAtAlice().at(-1) === 'available', 'alice sees carol available', 20_000);
    expect(carolAtAlice()).toEqual(['offline', 'available']);
  });

  it('linphonec\'s SUBSCRIBE to alice: it follows her available → busy → away → available → in a call → available → offline', async () => {
    expect(await next(0)).toBe('Online');
    await alice.call('presence:set-own', { mode: 'busy', note: 'on a deadline' });
    expect(await next(1)).toBe('Busy');
    await alice.call('presence:set-own', { mode: 'away', note: '' });
    expect(await next(2)).toBe('Away');
    await alice.call('presence:set-own', { mode: 'auto', note: '' });
    expect(await next(3)).toBe('Online');
    // a real call to carol (linphonec answers by itself, -a): alice is in a call
    const call = await alice.call('calls:place', { accountId: null, peer: 'carol@example.test' });
    await waitFor(() => alice.of('calls:call-changed').some((c) => c.id === call.id && c.state === 'connected'), 'call connected', 20_000);
    expect(await next(4)).toBe('On the phone');
    await alice.call('calls:hang-up', { callId: call.id });
    expect(await next(5)).toBe('Online');
    await alice.call('presence:set-own', { mode: 'offline', note: '' });
    expect(await next(6)).toBe('Offline');
    // each of our PUBLISHes reached it exactly once, in order
    expect(carolSees()).toEqual(['Online', 'Busy', 'Away', 'Online', 'On the phone', 'Online', 'Offline']);
  });
});
