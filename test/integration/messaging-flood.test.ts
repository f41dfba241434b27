/**
 * Floods cost nothing (issue 10, "bounded cost"), against the whole app in a child process (its memory
 * measured alone, test/support/app-process.ts) registered as bob with a real Kamailio:
 *
 *  1. 20,000 datagrams (MESSAGE, INVITE, OPTIONS) straight at the app's UDP port from 127.0.0.2, an address
 *     off the registered path: none is answered, none is stored, and every one is counted in diagnostics
 *     (the per-source rate limit takes all but its burst before any other work, the source check the rest).
 *  2. 20,000 unique MESSAGEs from 20,000 unknown senders (sip:stranger-N@elsewhere.test) relayed by
 *     Kamailio — the registered path — sent with a window of requests in flight and retransmitted like a UA
 *     over UDP: every one answered 200 is stored exactly once, every one refused got 503 (relayed by the
 *     proxy as 500 or 503, RFC 3261 §16.7) and is not stored, nothing is stored twice or unsent.
 *  3. The heaps (main isolate after a full GC, plus the storage worker's) grow by less than 50 MB, and once
 *     the flood is over the process's RSS after GC is back within 50 MB of its start (the app gives V8's
 *     grown heap back itself, services/memory-reclaim.ts), and at its peak the heap held less than 120 MB
 *     more than at the start (garbage collected before it piles up, services/heap-growth.ts); no
 *     notification at all is decided for the 20,000 message requests (they wait in the requests list).
 *  4. No per-message leak: once every server transaction has ended (bob runs with T1 = 100 ms, so
 *     Timer J = 6.4 s; waited for through the live-transaction counter, not a fixed sleep), the heap is
 *     back near its start.
 * Behaviour, not speed: the rate is whatever the machine gives; the figures are printed.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { EdgeDiagnosticsDto } from '#shared/domain/trace.ts';
import type { RunningKamailio } from '../support/kamailio.ts';
import { storedByCallId } from '../support/app-db.ts';
import { boundSocket, sendDatagrams, sendWindowed } from '../support/udp-flood.ts';
import { accountInput, newSecretKey, spawnAppProcess, startKamailioIn, waitRegistered, type AppProcess } from '../support/app-process-kit.ts';

const COUNT = 20_000;
const MB = 1024 * 1024;
const T1 = 100;
const ATTACKER = '127.0.0.2';

let kamailio: RunningKamailio | null = null;
let bob: AppProcess | null = null;

afterAll(async () => {
  await bob?.stop();
  await kamailio?.stop();
}, 30_000);

function forged(i: number, port: number): Buffer {
  const method = ['MESSAGE', 'INVITE', 'OPTIONS'][i % 3] ?? 'OPTIONS';
  const body = method === 'MESSAGE' ? `forged ${String(i)}` : '';
  return Buffer.from(
    `${method} sip:bob@127.0.0.1 SIP/2.0\r\nVia: SIP/2.0/UDP ${ATTACKER}:${String(port)};branch=z9hG4bK-forged-${String(i)};rport\r\n` +
      `Max-Forwards: 70\r\nFrom: "Bob (CFO)" <sip:bob@example.test>;tag=f${String(i)}\r\nTo: <sip:bob@example.test>\r\n` +
      `Call-ID: forged-${String(i)}@${ATTACKER}\r\nCSeq: 1 ${method}\r\nContact: <sip:x@${ATTACKER}:${String(port)}>\r\n` +
      `${body ? 'Content-Type: text/plain\r\n' : ''}Content-Length: ${String(body.length)}\r\n\r\n${body}`,
    'latin1',
  );
}

const callIdOf = (i: number) => `flood-${String(i)}@elsewhere.test`;
const bodyOf = (i: number) => `flood message ${String(i)} from stranger-${String(i)}`;

function relayed(i: number, localPort: number): Buffer {
  const body = bodyOf(i);
  return Buffer.from(
    `MESSAGE sip:bob@example.test SIP/2.0\r\nVia: SIP/2.0/UDP 127.0.0.1:${String(localPort)};branch=z9hG4bK-flood-${String(i)};rport\r\n` +
      `Max-Forwards: 70\r\nFrom: <sip:stranger-${String(i)}@elsewhere.test>;tag=s${String(i)}\r\nTo: <sip:bob@example.test>\r\n` +
      `Call-ID: ${callIdOf(i)}\r\nCSeq: 1 MESSAGE\r\nContent-Type: text/plain\r\nContent-Length: ${String(Buffer.byteLength(body))}\r\n\r\n${body}`,
    'utf8',
  );
}

/** bob's UDP port, from the Contact of the REGISTER it sent (its wire trace) */
async function contactPort(app: AppProcess, accountId: string): Promise<number> {
  const trace = await app.call('diagnostics:list-trace', { accountId: accountId as never, callId: null, limit: 500 });
  const register = trace.find((t) => t.direction === 'sent' && t.summary.startsWith('REGISTER'));
  const port = register === undefined ? undefined : /\r\nContact:[^\r\n]*@127\.0\.0\.1:(\d+)/i.exec(register.text)?.[1];
  if (port === undefined) throw new Error('no REGISTER Contact in the trace');
  return Number(port);
}

describe('floods cost nothing (issue 10: bounded cost)', () => {
  it('20,000 off-path datagrams and 20,000 unknown senders through Kamailio: bounded memory, every 200 stored once, every refusal a 503, a handful of notices', async () => {
    const started = await startKamailioIn(23_800, 100, 256);
    kamailio = started.kamailio;
    const sipPort = started.sipPort;
    const dataDir = mkdtempSync(join(tmpdir(), 'sipm-flood-'));
    bob = await spawnAppProcess({ dataDir, secretKey: newSecretKey(), timers: { t1: T1 }, memoryReclaim: { intervalMs: 500 } });
    const app = bob;
    const account = await app.call('accounts:save', accountInput({ user: 'bob', sipPort }));
    await waitRegistered(app, account.id);
    // the parent does not need 40,000 events over the pipe; rows are read from storage
    await app.mute(['chats:message-received', 'chats:conversation-changed', 'chats:message-changed']);
    const counters = async (): Promise<EdgeDiagnosticsDto> => app.call('diagnostics:edge-counters', null);
    const edge = async () => {
      const c = (await counters()).accounts.find((a) => a.accountId === account.id);
      if (c === undefined) throw new Error('no counters for bob');
      return c;
    };
    const before = await app.memory(true);

    // 1. off the registered path: unanswered, unstored, counted
    const port = await contactPort(app, account.id);
    const attacker = await boundSocket(ATTACKER);
    const answers: Buffer[] = [];
    attacker.on('message', (m) => answers.push(m));
    const attackerPort = attacker.address().port;
    const startedA = Date.now();
    const seen = async () => {
      const c = await edge();
      return c.offPathDropped + c.rateLimited;
    };
    try {
      // batches of 1,000, each waited for through the counters, so a busy machine's socket buffer never
      // loses a datagram before the app could count it (bounded: 20 s per batch)
      for (let i = 0; i < COUNT; i += 1000) {
        await sendDatagrams(attacker, 1000, port, '127.0.0.1', (j) => forged(i + j, attackerPort));
        for (const end = Date.now() + 20_000; (await seen()) < i + 1000 && Date.now() < end; ) await new Promise((r) => setTimeout(r, 20));
      }
    } finally {
      attacker.close();
    }
    const afterA = await edge();
    const secondsA = (Date.now() - startedA) / 1000;
    const memA = await app.memory(true);

    // 2. through Kamailio: 20,000 unique MESSAGEs from 20,000 unknown senders
    // the peak while the flood runs, sampled (no GC) every 250 ms: printed, the bound is on what stays
    const peak = { rss: 0, heapUsed: 0, heapTotal: 0 };
    let sampling = true;
    const sampler = (async () => {
      while (sampling) {
        const m = await app.memory(false);
        peak.rss = Math.max(peak.rss, m.rss);
        peak.heapUsed = Math.max(peak.heapUsed, m.heapUsed);
        peak.heapTotal = Math.max(peak.heapTotal, m.heapTotal);
        await new Promise((r) => setTimeout(r, 250));
      }
    })();
    const flood = await sendWindowed({
      count: COUNT,
      window: 500,
      port: sipPort,
      deadlineMs: 90_000,
      make: relayed,
      numberOf: (callId) => {
        const m = /^flood-(\d+)@elsewhere\.test$/.exec(callId);
        return m?.[1] === undefined ? null : Number(m[1]);
      },
    });
    sampling = false;
    await sampler;
    const memB = await app.memory(true);
    const afterB = await counters();
    const bobB = afterB.accounts.find((a) => a.accountId === account.id);

    // 4. every server transaction ends (Timer J = 64*T1): wait for the counter, then measure again
    for (const end = Date.now() + 30_000; Date.now() < end; ) {
      if ((await edge()).liveServerTransactions === 0) break;
      await new Promise((r) => setTimeout(r, 200));
    }
    const live = (await edge()).liveServerTransactions;
    // 3. the edge is quiet now: the app gives the grown heap back by itself (services/memory-reclaim.ts,
    // checked every 500 ms here instead of 10 s); wait for its first reclaim, then measure after a full GC
    for (const end = Date.now() + 30_000; Date.now() < end; ) {
      if ((await app.memory(false)).reclaims.reclaims > 0) break;
      await new Promise((r) => setTimeout(r, 200));
    }
    const drained = await app.memory(true);

    const stored = storedByCallId(dataDir);
    const byStatus = new Map<number, number>();
    for (const s of flood.finals.values()) byStatus.set(s, (byStatus.get(s) ?? 0) + 1);
    const ok = [...flood.finals].filter(([, s]) => s === 200).map(([i]) => i);
    const refused = [...flood.finals].filter(([, s]) => s === 500 || s === 503).map(([i]) => i);
    const other = [...flood.finals].filter(([, s]) => s !== 200 && s !== 500 && s !== 503);
    const storedFlood = [...stored].filter(([id]) => id.startsWith('flood-'));
    console.info(
      `flood (issue 10): off-path ${String(COUNT)} datagrams in ${secondsA.toFixed(1)} s → ${String(answers.length)} answers, ` +
        `${String(afterA.rateLimited)} rate-limited + ${String(afterA.offPathDropped)} dropped by the source check; ` +
        `through Kamailio ${String(COUNT)} MESSAGEs in ${flood.seconds.toFixed(1)} s (${(COUNT / flood.seconds).toFixed(0)}/s): ` +
        `${[...byStatus].map(([s, n]) => `${String(n)}×${String(s)}`).join(', ')}, ${String(flood.unanswered)} unanswered; ` +
        `stored ${String(storedFlood.length)}; cap: ${String(bobB?.overloadRefused)} refused 503, ${String(bobB?.overloadShed)} shed, ${String(bobB?.overloadDropped)} dropped; ` +
        `notices ${String(afterB.notifications.notices)} for ${String(afterB.notifications.messages)} messages (${String(afterB.notifications.requests)} requests); ` +
        `rss ${(before.rss / MB).toFixed(0)} → ${(memA.rss / MB).toFixed(0)} → ${(memB.rss / MB).toFixed(0)} MB after the flood (peak ${(peak.rss / MB).toFixed(0)}) → ${(drained.rss / MB).toFixed(0)} MB once quiet ` +
        `(${String(drained.reclaims.reclaims)} reclaim giving back ${(drained.reclaims.releasedBytes / MB).toFixed(0)} MB), ` +
        `peak heapUsed/heapTotal ${(peak.heapUsed / MB).toFixed(0)}/${(peak.heapTotal / MB).toFixed(0)} MB, ` +
        `CPU ${(((memB.cpuMicros.user + memB.cpuMicros.system - memA.cpuMicros.user - memA.cpuMicros.system) / COUNT) | 0).toFixed(0)} µs per MESSAGE, ` +
        `heapUsed ${(before.heapUsed / MB).toFixed(0)} → ${(memA.heapUsed / MB).toFixed(0)} → ${(memB.heapUsed / MB).toFixed(0)} MB (${(drained.heapUsed / MB).toFixed(0)} drained), ` +
        `storage worker heap ${(before.workerHeap.used / MB).toFixed(0)}/${(before.workerHeap.total / MB).toFixed(0)} → ${(memB.workerHeap.used / MB).toFixed(0)}/${(memB.workerHeap.total / MB).toFixed(0)} MB used/total, ` +
        `heapTotal ${(before.heapTotal / MB).toFixed(0)} → ${(memB.heapTotal / MB).toFixed(0)} MB, external ${(before.external / MB).toFixed(0)} → ${(memB.external / MB).toFixed(0)} MB, arrayBuffers ${(before.arrayBuffers / MB).toFixed(0)} → ${(memB.arrayBuffers / MB).toFixed(0)} MB`,
    );

    // 1. nothing answered, nothing stored from off the path; every datagram counted
    expect(answers).toHaveLength(0);
    expect(afterA.rateLimited + afterA.offPathDropped).toBe(COUNT);
    expect(afterA.rateLimited).toBeGreaterThan(COUNT * 0.9);
    expect([...stored.keys()].some((id) => id.startsWith('forged-'))).toBe(false);

    // 2. 200 = stored exactly once, 500/503 = refused and not stored; the run is bounded in time, so on a
    // saturated machine the last few may still be in flight at the deadline: those are stored at most once
    expect(other).toEqual([]);
    expect(flood.unanswered).toBeLessThan(COUNT / 100);
    expect(ok.length).toBeGreaterThan(0);
    for (const i of ok) expect(stored.get(callIdOf(i)), `MESSAGE ${String(i)} answered 200`).toBe(1);
    for (const i of refused) expect(stored.get(callIdOf(i)), `MESSAGE ${String(i)} refused`).toBeUndefined();
    expect(storedFlood.every(([, n]) => n === 1)).toBe(true);
    expect(storedFlood.length).toBeGreaterThanOrEqual(ok.length);
    expect(storedFlood.length).toBeLessThanOrEqual(ok.length + flood.unanswered);

    // 3. memory and notices. Right after the flood, the heaps after a full GC of the main isolate (what the
    // cap and the notice gate bound), plus the storage worker's heap as it stands, grow by less than 50 MB.
    // Once the edge is quiet, the process's RSS after GC is back within 50 MB of its start: without the app's
    // own reclaim, V8 keeps its grown young generation and pooled pages resident (+270 MB at 1,500/s, see
    // services/memory-reclaim.ts), so this fails.
    const heaps = (m: typeof before) => m.heapUsed + m.workerHeap.used;
    expect(heaps(memB) - heaps(before)).toBeLessThan(50 * MB);
    // the peak: V8 collects the promoted garbage of the flood before it piles up (services/heap-growth.ts):
    // heapUsed rose by 72-75 MB at its peak (the young generation's 64 MB included) against 150-206 MB
    // with V8's own growth factor (checked: this fails with APP_PROCESS_LIMIT_HEAP_GROWTH=0)
    expect(peak.heapUsed - before.heapUsed).toBeLessThan(120 * MB);
    expect(drained.reclaims.reclaims).toBeGreaterThan(0);
    expect(drained.rss - before.rss).toBeLessThan(50 * MB);
    expect(afterB.notifications.requests).toBe(storedFlood.length);
    // message requests are never notified (issue 10): not one notice for the whole flood
    expect(afterB.notifications.notices).toBe(0);

    // 4. no per-message leak once the transactions are gone
    expect(live).toBe(0);
    expect(drained.heapUsed - before.heapUsed).toBeLessThan(20 * MB);
  }, 240_000);
});
