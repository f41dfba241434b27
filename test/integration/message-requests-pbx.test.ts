/**
 * A legitimate message through the PBX is never dropped by the edge rules (issue 10: source check, message
 * requests, cap, rate limit), over UDP, TCP and TLS, with forking and with msilo replays, between whole app
 * instances (createAppServices + IPC router) and a real Kamailio:
 *  - alice writes to bob while bob is offline: Kamailio's msilo stores it (202, "accepted");
 *  - bob registers on a first device: msilo replays it from the proxy (RFC 3428 store-and-forward), and
 *    the app accepts it — it comes from the registered path — and stores it once;
 *  - bob registers on a second device; alice writes again: Kamailio forks to both contacts (RFC 3261
 *    §16.7), each device stores it once.
 * alice is not in bob's contacts: on both devices her messages are a message request — stored in a
 * conversation flagged as an unknown sender, no unread count in the main list, not one notification.
 * Nothing is turned away at either edge (no off-path drop, no rate limit, no 503).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AccountDto, TransportKind } from '#shared/domain/account.ts';
import type { RunningKamailio } from '../support/kamailio.ts';
import { waitFor } from '../support/peers.ts';
import { accountInput, send, startApp, storedWith, waitFinal, waitRegistered, type App } from '../support/app-process-kit.ts';
import { startKamailioOnFreePorts } from './register-kit.ts';

let kamailio: RunningKamailio;
let sipPort = 0;

beforeAll(async () => {
  ({ kamailio, sipPort } = await startKamailioOnFreePorts(24_400, 300));
}, 30_000);

afterAll(async () => {
  await kamailio?.stop();
}, 30_000);

interface Device {
  readonly app: App;
  readonly account: AccountDto;
}

async function device(user: string, transport: TransportKind): Promise<Device> {
  const app = await startApp();
  const account = await app.call('accounts:save', accountInput({ user, sipPort, transport, certPem: kamailio.certPem }));
  await waitRegistered(app, account.id);
  return { app, account };
}

const received = (d: Device, body: string) => d.app.of('chats:message-received').some((m) => m.body === body);

describe.each(['udp', 'tcp', 'tls'] as const)('message requests through the PBX over %s (issue 10)', (transport) => {
  const devices: Device[] = [];

  afterAll(async () => {
    // bob unregisters here, so the next transport starts with bob offline again (msilo stores)
    for (const d of devices.splice(0)) await d.app.services.dispose();
  }, 30_000);

  it('a msilo replay on registration and a message forked to two devices: each stored once per device as a message request, no notification, nothing turned away', async () => {
    const alice = await device('alice', transport);
    devices.push(alice);
    const stamp = `${transport} ${String(Date.now())}`;

    // 1. bob offline: msilo keeps it (202)
    const offline = `while you were away (${stamp})`;
    const [stored] = await send(alice.app, 'bob@example.test', offline);
    expect(await waitFinal(alice.app, stored!.id)).toMatchObject({ state: 'accepted', code: 202 });

    // 2. bob's first device registers: msilo replays it from the proxy
    const bob1 = await device('bob', transport);
    devices.push(bob1);
    await waitFor(() => received(bob1, offline), 'the msilo replay reached bob’s first device', 20_000);
    const trace1 = await bob1.app.call('diagnostics:list-trace', { accountId: bob1.account.id, callId: null, limit: 5000 });
    const replay = trace1.find((t) => t.direction === 'received' && t.summary === 'MESSAGE' && t.text.includes(offline));
    expect(replay?.transport).toBe(transport.toUpperCase());
    const replayAnswers = trace1.filter((t) => t.direction === 'sent' && t.callId === replay?.callId).map((t) => t.summary);
    expect(replayAnswers.length).toBeGreaterThan(0);
    expect(replayAnswers.every((s) => s.startsWith('200'))).toBe(true);

    // 3. bob's second device registers; alice writes again: forked to both
    const bob2 = await device('bob', transport);
    devices.push(bob2);
    const forked = `to both of your devices (${stamp})`;
    const [live] = await send(alice.app, 'bob@example.test', forked);
    expect(await waitFinal(alice.app, live!.id)).toMatchObject({ state: 'delivered', code: 200 });
    for (const bob of [bob1, bob2]) await waitFor(() => received(bob, forked), 'each device stored the forked message');
    // instead of a guessed window for a late copy: a later message reached both devices, so any copy of the
    // earlier ones still on its way was handled before it
    const later = `and a later one (${stamp})`;
    const [second] = await send(alice.app, 'bob@example.test', later);
    expect((await waitFinal(alice.app, second!.id)).state).toBe('delivered');
    for (const bob of [bob1, bob2]) await waitFor(() => received(bob, later), 'each device stored the later message');

    const expected = new Map([
      [bob1, [offline, forked, later]],
      [bob2, [forked, later]],
    ]);
    for (const [bob, bodies] of expected) {
      const { bodies: kept } = await storedWith(bob.app, 'sip:alice@example.test');
      expect(kept.filter((b) => b.includes(stamp))).toEqual(bodies);
      // a message request: flagged, no unread count in the main list, not one notification
      const conversations = await bob.app.call('chats:list-conversations', null);
      expect(conversations.find((c) => c.peer === 'sip:alice@example.test')).toMatchObject({ unknownSender: true });
      expect(bob.app.services.unreadCount()).toBe(0);
      const notices = bob.app.services.notices.counters();
      expect(notices.requests).toBe(bodies.length);
      expect(notices.notices).toBe(0);
      // nothing from the PBX was turned away by the source check, the rate limit or the cap
      const [edge] = (await bob.app.call('diagnostics:edge-counters', null)).accounts;
      expect(edge).toMatchObject({ offPathDropped: 0, rateLimited: 0, overloadRefused: 0, overloadDropped: 0 });
    }
  }, 90_000);
});
