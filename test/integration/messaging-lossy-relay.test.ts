/**
 * Issue 11 proof: two app instances chat through Kamailio behind a lossy UDP relay written for the tests
 * (20 % of datagrams dropped each way between each app and Kamailio, 10 % held back so later ones
 * overtake them). UDP retransmissions (RFC 3261 §17.1.2.2 Timer E) and, when a transaction still fails,
 * the outbox's resend with the same Call-ID/CSeq/From tag (§17.2.3, deduplicated by the receiver) must
 * get every message through exactly once, in order per sender (RFC 3428 §8), each sender state final
 * and true, at the size: 500 messages each way.
 *
 * Loopback timers, stated: RFC 3261 §17.1.1.1 lets T1 be smaller than 500 ms when the round-trip time is
 * known to be smaller; here it is under a millisecond, so both apps run T1 = 50 ms, T2 = 400 ms,
 * T4 = 500 ms (every RFC timer keeps its ratio to T1: Timer E doubles from 50 ms up to 400 ms, Timer F is
 * 64*T1 = 3.2 s, so a transaction still gets its 11 retransmissions), and Kamailio's tm retransmits
 * towards the callee on the same scale (retr_timer1 50 ms, retr_timer2 400 ms). With the default 500 ms a
 * lost datagram costs about a second per message (one MESSAGE per destination at a time, RFC 3428 §8):
 * 500 each way took about 10 minutes; scaled, the same losses cost a tenth of the time.
 */
import { afterAll, describe, expect, it } from 'vitest';
import type { MessageDto } from '#shared/domain/chat.ts';
import type { RunningKamailio } from '../support/kamailio.ts';
import { startLossyRelay, type LossyRelay } from '../support/lossy-udp-relay.ts';
import { waitFor } from '../support/peers.ts';
import { accountInput, isFinal, lastState, startApp, waitRegistered, type App } from '../support/app-process-kit.ts';
import { startKamailioOnFreePorts } from './register-kit.ts';

const N = 500;
/** RFC 3261 §17.1.1.1: a smaller T1 for a known-small RTT (loopback), T2 and T4 in the same ratio */
const LOOPBACK_TIMERS = { t1: 50, t2: 400, t4: 500 };

async function received(app: App, peer: string): Promise<string[]> {
  const c = (await app.call('chats:list-conversations', null)).find((x) => x.peer === peer);
  if (c === undefined) return [];
  const page = await app.call('chats:page-messages', { conversationId: c.id, before: null, limit: 1000 });
  return page.messages.filter((m) => m.direction === 'in').map((m) => m.body).reverse();
}

describe('lossy UDP relay between the apps and Kamailio (issue 11)', () => {
  let kamailio: RunningKamailio | null = null;
  let relay: LossyRelay | null = null;
  const apps: App[] = [];
  afterAll(async () => {
    for (const a of apps) await a.services.dispose();
    await relay?.close();
    await kamailio?.stop();
  });

  it(`${String(N)} messages each way arrive exactly once, in order per sender, every state final and true`, async () => {
    const k = await startKamailioOnFreePorts(23900, 200, { tm: { t1: LOOPBACK_TIMERS.t1, t2: LOOPBACK_TIMERS.t2 } });
    kamailio = k.kamailio;
    relay = await startLossyRelay({ target: { address: '127.0.0.1', port: k.sipPort }, drop: 0.2, reorder: 0.1, seed: 11 });
    const sip = { bindAddress: '127.0.0.1', emitTrace: false, traceCapacity: 5000, timers: LOOPBACK_TIMERS };
    const a = await startApp({ sip });
    const b = await startApp({ sip });
    apps.push(a, b);
    const aAcc = await a.call('accounts:save', accountInput({ user: 'alice', sipPort: relay.port, transport: 'udp' }));
    const bAcc = await b.call('accounts:save', accountInput({ user: 'bob', sipPort: relay.port, transport: 'udp' }));
    await waitRegistered(a, aAcc.id, 60_000);
    await waitRegistered(b, bAcc.id, 60_000);
    const toBob = await a.call('chats:open-conversation', { accountId: null, peer: 'bob@example.test' });
    const toAlice = await b.call('chats:open-conversation', { accountId: null, peer: 'alice@example.test' });
    const aBodies = Array.from({ length: N }, (_, i) => `a→b ${String(i).padStart(3, '0')}`);
    const bBodies = Array.from({ length: N }, (_, i) => `b→a ${String(i).padStart(3, '0')}`);
    const sent: { app: App; m: MessageDto }[] = [];
    const started = Date.now();
    for (let i = 0; i < N; i++) {
      for (const [app, conv, body] of [
        [a, toBob.id, aBodies[i]],
        [b, toAlice.id, bBodies[i]],
      ] as const) {
        const r = await app.call('chats:send-message', { conversationId: conv, body: body ?? '', expiresInSeconds: null, oversize: null });
        if (r.kind !== 'queued' || r.messages[0] === undefined) throw new Error('not queued');
        sent.push({ app, m: r.messages[0] });
      }
    }
    await waitFor(() => sent.every(({ app, m }) => isFinal(lastState(app, m.id) ?? m)), 'every message final', 400_000, 500);
    const finals = sent.map(({ app, m }) => lastState(app, m.id));
    expect(finals.filter((m) => m?.state !== 'delivered' && m?.state !== 'accepted')).toEqual([]);
    await waitFor(() => b.of('chats:message-received').length >= N && a.of('chats:message-received').length >= N, 'everything received', 60_000, 200);
    const atBob = await received(b, 'sip:alice@example.test');
    const atAlice = await received(a, 'sip:bob@example.test');
    const viaMsilo = finals.filter((m) => m?.state === 'accepted').length;
    console.log(`[lossy] ${String(2 * N)} messages final and received in ${String(Date.now() - started)} ms; relay forwarded ${String(relay.stats.forwarded)}, dropped ${String(relay.stats.dropped)}, reordered ${String(relay.stats.reordered)}; ${String(viaMsilo)} of ${String(2 * N)} via msilo (202)`);
    expect(relay.stats.dropped).toBeGreaterThan(0);
    expect([...atBob].sort()).toEqual([...aBodies].sort());
    expect([...atAlice].sort()).toEqual([...bBodies].sort());
    if (viaMsilo === 0) {
      expect(atBob).toEqual(aBodies);
      expect(atAlice).toEqual(bBodies);
    }
  }, 600_000);
});
