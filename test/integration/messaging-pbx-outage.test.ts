/**
 * Issue 11 proof: Kamailio stopped for 20 s in the middle of a conversation between two app instances
 * (UDP), then started again on the same port. The apps notice through ICMP port unreachable on the
 * first request or keep-alive (RFC 3261 §18.4; RFC 5626 §4.4 keep-alive, here every 1 s), go offline at
 * once instead of burning Timer F (RFC 3261 §17.1.2.2, 32 s) per message, keep new and interrupted
 * messages in the outbox (queued, never failed), register again within seconds of the PBX's return and
 * drain the queue: every message arrives exactly once (RFC 3428 §8, receivers dedupe Call-ID + CSeq +
 * From tag) and every sender state ends final and true (200 delivered, or 202 accepted by msilo).
 */
import { afterAll, describe, expect, it } from 'vitest';
import type { ConnectivityDto } from '#shared/domain/connectivity.ts';
import type { MessageDto } from '#shared/domain/chat.ts';
import { startKamailio, type RunningKamailio } from '../support/kamailio.ts';
import { waitFor } from '../support/peers.ts';
import { socketInodesOnPort } from '../support/port-owner.ts';
import { accountInput, isFinal, lastState, startApp, waitRegistered, type App } from '../support/app-process-kit.ts';
import { startKamailioOnFreePorts } from './register-kit.ts';

const OUTAGE_MS = 20_000;
const BEFORE = 10;
const DURING = 10;

interface Timed {
  readonly at: number;
  readonly c: ConnectivityDto;
}

function track(app: App): Timed[] {
  const seen: Timed[] = [];
  app.services.events.on('accounts:connectivity-changed', (c) => seen.push({ at: Date.now(), c }));
  return seen;
}

async function sendAll(app: App, conversationId: string, bodies: readonly string[]): Promise<MessageDto[]> {
  const out: MessageDto[] = [];
  for (const body of bodies) {
    const r = await app.call('chats:send-message', { conversationId: conversationId as never, body, expiresInSeconds: null, oversize: null });
    if (r.kind !== 'queued' || r.messages[0] === undefined) throw new Error('not queued');
    out.push(r.messages[0]);
  }
  return out;
}

async function receivedBodies(app: App, peer: string): Promise<string[]> {
  const list = await app.call('chats:list-conversations', null);
  const c = list.find((x) => x.peer === peer);
  if (c === undefined) return [];
  const page = await app.call('chats:page-messages', { conversationId: c.id, before: null, limit: 1000 });
  return page.messages.filter((m) => m.direction === 'in').map((m) => m.body).reverse();
}

describe('PBX outage mid-conversation (issue 11): offline fast, nothing lost, nothing doubled', () => {
  let kamailio: RunningKamailio | null = null;
  let alice: App | null = null;
  let bob: App | null = null;
  afterAll(async () => {
    await alice?.services.dispose();
    await bob?.services.dispose();
    await kamailio?.stop();
  });

  it('Kamailio stopped for 20 s, then back: offline within 5 s, online within 5 s of its return, the queue drains once, in order', async () => {
    const started = await startKamailioOnFreePorts(23700, 200);
    kamailio = started.kamailio;
    const sipPort = started.sipPort;
    const sip = { bindAddress: '127.0.0.1', emitTrace: false, traceCapacity: 5000, keepAliveIntervalMs: 1_000 };
    alice = await startApp({ sip });
    bob = await startApp({ sip });
    const a = alice;
    const b = bob;
    const aliceSeen = track(a);
    const bobSeen = track(b);
    const aAcc = await a.call('accounts:save', accountInput({ user: 'alice', sipPort, transport: 'udp' }));
    const bAcc = await b.call('accounts:save', accountInput({ user: 'bob', sipPort, transport: 'udp' }));
    await waitRegistered(a, aAcc.id);
    await waitRegistered(b, bAcc.id);
    expect((await a.call('accounts:list-connectivity', null)).map((c) => c.state)).toEqual(['online']);
    const toBob = await a.call('chats:open-conversation', { accountId: null, peer: 'bob@example.test' });
    const toAlice = await b.call('chats:open-conversation', { accountId: null, peer: 'alice@example.test' });

    const aBodies = Array.from({ length: BEFORE + DURING }, (_, i) => `a→b ${String(i).padStart(3, '0')}`);
    const bBodies = Array.from({ length: BEFORE + DURING }, (_, i) => `b→a ${String(i).padStart(3, '0')}`);
    const sentA = await sendAll(a, toBob.id, aBodies.slice(0, BEFORE));
    const sentB = await sendAll(b, toAlice.id, bBodies.slice(0, BEFORE));
    await waitFor(() => [...sentA].every((m) => isFinal(lastState(a, m.id) ?? m)) && sentB.every((m) => isFinal(lastState(b, m.id) ?? m)), 'first half final', 30_000);

    // the PBX goes away; the conversation goes on
    await kamailio.stop();
    kamailio = null;
    const stoppedAt = Date.now();
    sentA.push(...(await sendAll(a, toBob.id, aBodies.slice(BEFORE))));
    sentB.push(...(await sendAll(b, toAlice.id, bBodies.slice(BEFORE))));
    const offline = (seen: Timed[]) => seen.find((t) => t.at >= stoppedAt && t.c.state === 'offline');
    await waitFor(() => offline(aliceSeen) !== undefined && offline(bobSeen) !== undefined, 'both offline', 15_000).catch((err: unknown) => {
      // say what was on the port: a leftover listener would swallow the datagrams (no ICMP, no answer)
      const held = `udp sockets on ${String(sipPort)}: ${String(socketInodesOnPort('udp', sipPort).size)}`;
      const seen = JSON.stringify(aliceSeen.map((t) => [t.at - stoppedAt, t.c.state, t.c.cause]));
      throw new Error(`${err instanceof Error ? err.message : String(err)}; ${held}; alice's connectivity: ${seen}`);
    });
    const aOff = offline(aliceSeen);
    const bOff = offline(bobSeen);
    console.log(`[outage] offline after ${String((aOff?.at ?? 0) - stoppedAt)} ms (alice, ${aOff?.c.cause ?? ''}: ${aOff?.c.reason ?? ''}), ${String((bOff?.at ?? 0) - stoppedAt)} ms (bob)`);
    expect((aOff?.at ?? Infinity) - stoppedAt).toBeLessThan(5_000);
    expect((bOff?.at ?? Infinity) - stoppedAt).toBeLessThan(5_000);
    expect(aOff?.c.cause).toBe('unreachable');

    // the outage lasts OUTAGE_MS (the scenario, not a wait for a result); meanwhile nothing fails
    await new Promise((r) => setTimeout(r, Math.max(0, stoppedAt + OUTAGE_MS - Date.now())));
    const during = [...sentA.map((m) => lastState(a, m.id)), ...sentB.map((m) => lastState(b, m.id))];
    expect(during.filter((m) => m?.state === 'failed' || m?.state === 'refused')).toEqual([]);
    const waiting = sentA.slice(BEFORE).map((m) => lastState(a, m.id));
    expect(waiting.every((m) => m?.state === 'queued')).toBe(true);
    console.log(`[outage] a waiting message reads: "${waiting[0]?.reason ?? ''}"`);

    const back = await startKamailio({ sipPort, tlsPort: sipPort + 1 });
    kamailio = back;
    const backAt = Date.now();
    const online = (seen: Timed[]) => seen.find((t) => t.at >= backAt && t.c.state === 'online');
    await waitFor(() => online(aliceSeen) !== undefined && online(bobSeen) !== undefined, 'both online again', 20_000);
    const aOn = (online(aliceSeen)?.at ?? Infinity) - backAt;
    const bOn = (online(bobSeen)?.at ?? Infinity) - backAt;
    console.log(`[outage] online again ${String(aOn)} ms (alice), ${String(bOn)} ms (bob) after Kamailio listened`);
    expect(aOn).toBeLessThan(5_000);
    expect(bOn).toBeLessThan(5_000);

    await waitFor(
      () => sentA.every((m) => isFinal(lastState(a, m.id) ?? m)) && sentB.every((m) => isFinal(lastState(b, m.id) ?? m)),
      'every message final',
      60_000,
    );
    const finalA = sentA.map((m) => lastState(a, m.id));
    const finalB = sentB.map((m) => lastState(b, m.id));
    expect(finalA.filter((m) => m?.state !== 'delivered' && m?.state !== 'accepted')).toEqual([]);
    expect(finalB.filter((m) => m?.state !== 'delivered' && m?.state !== 'accepted')).toEqual([]);
    await waitFor(() => b.of('chats:message-received').length >= aBodies.length && a.of('chats:message-received').length >= bBodies.length, 'everything received', 30_000);
    const atBob = await receivedBodies(b, 'sip:alice@example.test');
    const atAlice = await receivedBodies(a, 'sip:bob@example.test');
    // exactly once each
    expect([...atBob].sort()).toEqual([...aBodies].sort());
    expect([...atAlice].sort()).toEqual([...bBodies].sort());
    // in order per sender when nothing went through store-and-forward (msilo 202 re-sends on its own schedule)
    const viaMsilo = [...finalA, ...finalB].filter((m) => m?.state === 'accepted').length;
    console.log(`[outage] ${String(aBodies.length + bBodies.length)} messages, ${String(viaMsilo)} via msilo (202)`);
    if (viaMsilo === 0) {
      expect(atBob).toEqual(aBodies);
      expect(atAlice).toEqual(bBodies);
    }
    // the drain went in creation order at each sender (the order each message was last marked sending)
    const order = (app: App, ids: readonly string[]) =>
      app.of('chats:message-changed').filter((m) => m.state === 'sending' && ids.includes(m.id)).map((m) => m.id);
    const lastSendA = [...new Map(order(a, sentA.slice(BEFORE).map((m) => m.id)).map((id, i) => [id, i])).entries()].sort((x, y) => x[1] - y[1]).map((e) => e[0]);
    expect(lastSendA).toEqual(sentA.slice(BEFORE).map((m) => m.id));
  }, 180_000);
});
