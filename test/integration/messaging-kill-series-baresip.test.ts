/**
 * Issue 11 proof with a receiver that is not ours: the kill -9 series (messaging-kill-series.test.ts) once
 * more, bob being baresip 1.0 behind Kamailio. baresip has no end-to-end id for text/plain and no memory of
 * Call-IDs: it counts a message once only because its copy of a re-sent request never reaches it twice.
 * That holds when the re-send after the restart is a retransmission of the same request (RFC 3261
 * §17.2.3: same top Via branch and sent-by, same Call-ID and CSeq): Kamailio's tm matches it to the live
 * transaction (`t_check_trans()` runs before authentication in the lab's config) and re-sends its final
 * response instead of forwarding a second copy. The branch is derived from the stored Call-ID, From tag
 * and CSeq, and the local UDP port is kept across restarts, so the sent-by is the same too.
 *
 * Kamailio's tm keeps a finished transaction `wt_timer` long (5 s by default, shorter than RFC 3261's
 * Timer J of 64*T1 = 32 s on UDP); this test sets it to Timer J, since a restart may take longer than 5 s on a
 * loaded machine.
 *
 * baresip is reached over TCP. It answers a MESSAGE statelessly (libre `sip_reply`, no server
 * transaction), so over UDP it shows a second time any copy Kamailio retransmits because baresip answered
 * later than T1 (seen in capture: one Kamailio branch, two 200s, the body twice) — a duplicate of one
 * transaction that no sender can prevent. Over TCP Kamailio does not retransmit (RFC 3261 §17.1.2.2), so
 * each body baresip shows is one transaction Kamailio forwarded: counting by body counts exactly what a
 * re-send of ours could add. Alice stays on UDP, where the re-send's sent-by must match.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { MessageDto } from '#shared/domain/chat.ts';
import type { Baresip } from '../support/baresip.ts';
import { startBaresipOnFreePorts } from '../support/baresip-ports.ts';
import type { RunningKamailio } from '../support/kamailio.ts';
import { waitFor } from '../support/peers.ts';
import { accountInput, newSecretKey, spawnAppProcess, waitRegistered, type AppProcess } from '../support/app-process-kit.ts';
import { startKamailioOnFreePorts } from './register-kit.ts';

const KILLS = 20;
const N = 300;
/** RFC 3261 Timer J on UDP: 64*T1 */
const TIMER_J_MS = 64 * 500;

let kamailio: RunningKamailio | null = null;
let bob: Baresip | null = null;
const processes: AppProcess[] = [];

afterAll(async () => {
  for (const p of processes) await p.kill();
  await bob?.stop();
  await kamailio?.stop();
}, 30_000);

/** how often baresip showed each body (its log: `sip:alice@example.test: "TEXT"`) */
function countsAtBaresip(b: Baresip): Map<string, number> {
  const counts = new Map<string, number>();
  for (const m of b.log().matchAll(/sip:alice@example\.test: "(kill series baresip \d{3})"/g)) {
    const body = m[1] ?? '';
    counts.set(body, (counts.get(body) ?? 0) + 1);
  }
  return counts;
}

describe('kill -9 series with baresip as the receiver (issue 11)', () => {
  it(`${String(KILLS)} SIGKILLs during a ${String(N)}-message send: baresip shows each body exactly once, alice ends all delivered`, async () => {
    const k = await startKamailioOnFreePorts(36_400, 200, { tm: { wait: TIMER_J_MS } });
    kamailio = k.kamailio;
    const sipPort = k.sipPort;
    // ports with retry on collision, ready once baresip's own PID owns them (baresip-ports.ts); not SIP + 1
    bob = await startBaresipOnFreePorts(() => {
      const base = 24_600 + 4 * Math.floor(Math.random() * 40);
      return {
        user: 'bob',
        password: 'bob-secret',
        proxyPort: sipPort,
        sipPort: base,
        ctrlPort: base + 2,
        rtpPort: 26_000 + 100 * Math.floor(Math.random() * 30),
        contact: 'sip:alice@example.test',
        transport: 'tcp',
      };
    });
    const b = bob;
    const dataDir = mkdtempSync(join(tmpdir(), 'sipm-kills-baresip-'));
    const secretKey = newSecretKey();
    const bodies = Array.from({ length: N }, (_, i) => `kill series baresip ${String(i).padStart(3, '0')}`);
    const started = Date.now();

    let p = await spawnAppProcess({ dataDir, secretKey });
    processes.push(p);
    const account = await p.call('accounts:save', accountInput({ user: 'alice', sipPort }));
    await waitRegistered(p, account.id, 20_000);
    const conv = await p.call('chats:open-conversation', { accountId: account.id, peer: 'bob@example.test' });
    for (const body of bodies) {
      const r = await p.call('chats:send-message', { conversationId: conv.id, body, expiresInSeconds: null, oversize: null });
      if (r.kind !== 'queued' || r.messages[0] === undefined) throw new Error('not queued');
    }
    const killedAt: number[] = [];
    // the outbox drains while the messages are queued: the kills spread over what is left of the send
    const from = countsAtBaresip(b).size;
    for (let kill = 0; kill < KILLS; kill++) {
      // a random moment while the outbox drains: once baresip has a random share of this stretch of the send
      const at = from + Math.floor(((kill + Math.random()) * (N - from)) / (KILLS + 1));
      await waitFor(() => countsAtBaresip(b).size >= at, `baresip at ${String(at)}`, 30_000, 5);
      killedAt.push(countsAtBaresip(b).size);
      await p.kill();
      p = await spawnAppProcess({ dataDir, secretKey });
      processes.push(p);
      await waitRegistered(p, account.id, 20_000);
    }
    const last = p;
    const finalOf = async (): Promise<MessageDto[]> => {
      const page = await last.call('chats:page-messages', { conversationId: conv.id, before: null, limit: 1000 });
      return page.messages.filter((m) => m.direction === 'out');
    };
    await waitFor(() => countsAtBaresip(b).size >= N, 'baresip got everything', 90_000, 200);
    let mine: MessageDto[] = [];
    for (const until = Date.now() + 90_000; Date.now() < until; await new Promise((r) => setTimeout(r, 200))) {
      mine = await finalOf();
      if (mine.length === N && mine.every((m) => m.state !== 'queued' && m.state !== 'sending')) break;
    }
    const counts = countsAtBaresip(b);
    const twice = [...counts].filter(([, n]) => n > 1).map(([body, n]) => `${body} ×${String(n)}`);
    console.log(
      `[kill-series-baresip] ${String(KILLS)} kills at ${killedAt.join(', ')} bodies shown; ${String(N)} messages in ${String(Date.now() - started)} ms; ` +
        `baresip showed ${String(counts.size)} bodies, more than once: ${twice.join(', ') || 'none'}; alice: ` +
        `${String(mine.filter((m) => m.state === 'delivered').length)} delivered of ${String(mine.length)}`,
    );
    expect(killedAt.some((n) => n > 0 && n < N)).toBe(true);
    // every body exactly once
    expect(twice).toEqual([]);
    expect([...counts.keys()].sort()).toEqual(bodies);
    expect(mine.filter((m) => m.state !== 'delivered')).toEqual([]);
  }, 300_000);
});
