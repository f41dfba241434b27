/**
 * Issue 11 proof: TCP connections reset mid-conversation. Two app instances chat over TCP through a relay
 * to Kamailio; the relay RSTs every connection (both sides) several times while messages are in flight,
 * sometimes in the middle of one. Each app notices the broken flow (RFC 5626 §4.4: the connection is the
 * flow; RFC 3261 §18.4 transport error), registers again over a new connection at once, and its outbox
 * re-sends what the reset cut with the same Call-ID/CSeq/From tag (the receiver dedupes): nothing lost,
 * nothing shown twice, every sender state final and true, in order per sender.
 */
import { afterAll, describe, expect, it } from 'vitest';
import type { ConnectivityDto } from '#shared/domain/connectivity.ts';
import type { MessageDto } from '#shared/domain/chat.ts';
import type { RunningKamailio } from '../support/kamailio.ts';
import { waitFor } from '../support/peers.ts';
import { startTcpResetRelay, type TcpResetRelay } from '../support/tcp-reset-relay.ts';
import { accountInput, isFinal, lastState, startApp, waitRegistered, type App } from '../support/app-process-kit.ts';
import { startKamailioOnFreePorts } from './register-kit.ts';

/** messages each way, sent in BATCHES batches with a reset of every connection right after each batch */
const N = 60;
const BATCHES = 4;

async function received(app: App, peer: string): Promise<string[]> {
  const c = (await app.call('chats:list-conversations', null)).find((x) => x.peer === peer);
  if (c === undefined) return [];
  const page = await app.call('chats:page-messages', { conversationId: c.id, before: null, limit: 1000 });
  return page.messages.filter((m) => m.direction === 'in').map((m) => m.body).reverse();
}

function track(app: App): { at: number; c: ConnectivityDto }[] {
  const seen: { at: number; c: ConnectivityDto }[] = [];
  app.services.events.on('accounts:connectivity-changed', (c) => seen.push({ at: Date.now(), c }));
  return seen;
}

describe('TCP connections reset mid-conversation (issue 11)', () => {
  let kamailio: RunningKamailio | null = null;
  let relay: TcpResetRelay | null = null;
  const apps: App[] = [];
  afterAll(async () => {
    const t0 = Date.now();
    // bounded: about 1 run in 10 a dispose did not return here (under investigation, see the issue note)
    const stuck = await Promise.race([
      Promise.all(apps.map((x) => x.services.dispose())).then(() => false),
      new Promise<boolean>((resolve) => setTimeout(() => resolve(true), 15_000).unref()),
    ]);
    if (stuck) console.warn('[tcp-reset] an app did not finish dispose() within 15 s');
    const t1 = Date.now();
    await relay?.close();
    const t2 = Date.now();
    await kamailio?.stop();
    console.log(`[tcp-reset] teardown: apps ${String(t1 - t0)} ms, relay ${String(t2 - t1)} ms, kamailio ${String(Date.now() - t2)} ms`);
  });

  it(`${String(N)} messages each way with every connection reset ${String(BATCHES)} times: exactly once, in order, all final`, async () => {
    const k = await startKamailioOnFreePorts(35_000, 200);
    kamailio = k.kamailio;
    relay = await startTcpResetRelay({ address: '127.0.0.1', port: k.sipPort });
    const sip = { bindAddress: '127.0.0.1', emitTrace: false, traceCapacity: 5000 };
    const a = await startApp({ sip });
    const b = await startApp({ sip });
    apps.push(a, b);
    const aSeen = track(a);
    const bSeen = track(b);
    const aAcc = await a.call('accounts:save', accountInput({ user: 'alice', sipPort: relay.port, transport: 'tcp', cpim: true }));
    const bAcc = await b.call('accounts:save', accountInput({ user: 'bob', sipPort: relay.port, transport: 'tcp', cpim: true }));
    await waitRegistered(a, aAcc.id);
    await waitRegistered(b, bAcc.id);
    const toBob = await a.call('chats:open-conversation', { accountId: null, peer: 'bob@example.test' });
    const toAlice = await b.call('chats:open-conversation', { accountId: null, peer: 'alice@example.test' });
    const aBodies = Array.from({ length: N }, (_, i) => `a→b ${String(i).padStart(3, '0')}`);
    const bBodies = Array.from({ length: N }, (_, i) => `b→a ${String(i).padStart(3, '0')}`);
    const sent: { app: App; m: MessageDto }[] = [];
    const started = Date.now();
    const per = N / BATCHES;
    for (let batch = 0; batch < BATCHES; batch++) {
      for (let i = batch * per; i < (batch + 1) * per; i++) {
        for (const [app, conv, body] of [
          [a, toBob.id, aBodies[i]],
          [b, toAlice.id, bBodies[i]],
        ] as const) {
          const r = await app.call('chats:send-message', { conversationId: conv, body: body ?? '', expiresInSeconds: null, oversize: null });
          if (r.kind !== 'queued' || r.messages[0] === undefined) throw new Error('not queued');
          sent.push({ app, m: r.messages[0] });
        }
      }
      // the batch is in flight: cut every connection (both apps' flows and Kamailio's side of them)
      const inFlight = sent.filter(({ app, m }) => !isFinal(lastState(app, m.id) ?? m)).length;
      const cut = relay.resetAll();
      console.log(`[tcp-reset] batch ${String(batch + 1)}: reset ${String(cut)} connection(s) with ${String(inFlight)} message(s) not yet final`);
      // the next batch once both apps are registered again over new connections
      await waitFor(() => relay !== null && relay.stats.accepted >= 2 * (batch + 2), 'both apps reconnected', 20_000);
    }
    await waitFor(() => sent.every(({ app, m }) => isFinal(lastState(app, m.id) ?? m)), 'every message final', 90_000, 200);
    const finals = sent.map(({ app, m }) => lastState(app, m.id));
    const bad = finals.filter((m) => m?.state !== 'delivered' && m?.state !== 'accepted');
    console.log(`[tcp-reset] not delivered: ${JSON.stringify(bad.map((m) => [m?.body, m?.state, m?.code, m?.reason]))}`);
    expect(bad).toEqual([]);
    await waitFor(() => b.of('chats:message-received').length >= N && a.of('chats:message-received').length >= N, 'everything received', 60_000, 200);
    const atBob = await received(b, 'sip:alice@example.test');
    const atAlice = await received(a, 'sip:bob@example.test');
    const viaMsilo = finals.filter((m) => m?.state === 'accepted').length;
    const resent = sent.filter(({ app, m }) => app.of('chats:message-changed').filter((x) => x.id === m.id && x.state === 'sending').length > 1).length;
    const retryReasons = new Map<string, number>();
    for (const app of [a, b]) {
      for (const m of app.of('chats:message-changed')) {
        if (m.state === 'queued' && m.reason?.startsWith('will retry') === true) retryReasons.set(m.reason, (retryReasons.get(m.reason) ?? 0) + 1);
      }
    }
    console.log(`[tcp-reset] will retry: ${JSON.stringify([...retryReasons])}`);
    const offline = [...aSeen, ...bSeen].filter((t) => t.c.state !== 'online').map((t) => `${t.c.state}/${t.c.cause ?? '-'}`);
    console.log(
      `[tcp-reset] ${String(2 * N)} messages in ${String(Date.now() - started)} ms; ${String(relay.stats.resets)} connections reset, ${String(relay.stats.accepted)} accepted; ` +
        `${String(resent)} re-sent by the outbox; ${String(viaMsilo)} via msilo (202); connectivity while cut: ${offline.join(', ') || 'none'}`,
    );
    expect(relay.stats.resets).toBeGreaterThanOrEqual(2 * BATCHES);
    // exactly once each
    expect([...atBob].sort()).toEqual([...aBodies].sort());
    expect([...atAlice].sort()).toEqual([...bBodies].sort());
    if (viaMsilo === 0) {
      expect(atBob).toEqual(aBodies);
      expect(atAlice).toEqual(bBodies);
    }
    // both ended online
    expect((await a.call('accounts:list-connectivity', null)).map((c) => c.state)).toEqual(['online']);
    expect((await b.call('accounts:list-connectivity', null)).map((c) => c.state)).toEqual(['online']);
  }, 180_000);
});
