/**
 * Crash safety of the outbox (RFC 3428 pager mode, issue 5): alice's app runs in a child process
 * (test/support/app-process.ts). Her PBX (Kamailio) is down, so her MESSAGE is stored and in flight
 * ("sending", the non-INVITE transaction retransmitting into the void) when the process is killed with
 * SIGKILL: no unregister, no cleanup. Then the PBX comes up, a new process opens the same data dir,
 * registers, and sends the message from the outbox: bob (another app instance) gets it exactly once,
 * and alice's copy ends "delivered".
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { RunningKamailio } from '../support/kamailio.ts';
import { startKamailio } from '../support/kamailio.ts';
import { requirePeer, waitFor } from '../support/peers.ts';
import {
  accountInput,
  newSecretKey,
  send,
  spawnAppProcess,
  startApp,
  storedWith,
  waitFinal,
  waitRegistered,
  type App,
  type AppProcess,
} from '../support/app-process-kit.ts';

let kamailio: RunningKamailio | null = null;
const processes: AppProcess[] = [];
let bob: App | null = null;

afterAll(async () => {
  for (const p of processes) await p.kill();
  await bob?.services.dispose();
  await kamailio?.stop();
}, 30_000);

describe('outbox survives a crash (SIGKILL) while a MESSAGE is in flight', () => {
  it('a new process on the same data dir MUST send it on registration, and bob MUST get it exactly once', async () => {
    requirePeer('kamailio');
    const sipPort = 23_800 + 2 * Math.floor(Math.random() * 90);
    const dataDir = mkdtempSync(join(tmpdir(), 'sipm-crash-'));
    const secretKey = newSecretKey();
    const text = `survives a crash ${String(Date.now())} ✓`;

    // 1. the PBX is down: the REGISTER and the MESSAGE go out over UDP and are never answered
    const first = await spawnAppProcess({ dataDir, secretKey });
    processes.push(first);
    const account = await first.call('accounts:save', accountInput({ user: 'alice', sipPort }));
    await waitFor(() => first.of('accounts:registration-changed').some((r) => r.registration.state === 'registering'), 'alice registering');
    const [queued] = await send(first, 'bob@example.test', text, account.id);
    await waitFor(() => first.of('chats:message-changed').some((m) => m.id === queued!.id && m.state === 'sending'), 'the message in flight', 10_000);
    // let Timer E retransmit at least once: it really is on the wire when the process dies
    await new Promise((r) => setTimeout(r, 700));
    expect(first.of('chats:message-changed').filter((m) => m.id === queued!.id).map((m) => m.state)).toEqual(['queued', 'sending']);
    const onWire = (await first.call('diagnostics:list-trace', { accountId: account.id, callId: null, limit: 500 })).filter(
      (t) => t.direction === 'sent' && t.summary === 'MESSAGE' && t.text.includes(text),
    );
    expect(onWire.length).toBeGreaterThanOrEqual(2); // sent and retransmitted (Timer E), never answered
    await first.kill();

    // 2. the PBX comes up; bob is online
    kamailio = await startKamailio({ sipPort });
    bob = await startApp();
    const bobAccount = await bob.call('accounts:save', accountInput({ user: 'bob', sipPort }));
    await waitRegistered(bob, bobAccount.id);

    // 3. a new process on the same data dir: registers, then the outbox sends what was left
    const second = await spawnAppProcess({ dataDir, secretKey });
    processes.push(second);
    await waitRegistered(second, account.id, 20_000);
    const final = await waitFinal(second, queued!.id, 20_000);
    expect(final).toMatchObject({ state: 'delivered', code: 200, body: text });

    await waitFor(() => bob!.of('chats:message-received').some((m) => m.body === text), 'bob got it', 10_000);
    // a later registration refresh or a duplicate resume must not send it again
    await new Promise((r) => setTimeout(r, 1500));
    const atBob = await storedWith(bob, 'sip:alice@example.test');
    expect(atBob.bodies).toEqual([text]);
    expect(atBob.total).toBe(1);
    const atAlice = await storedWith(second, 'sip:bob@example.test');
    expect(atAlice.bodies).toEqual([text]);
    const trace = await second.call('diagnostics:list-trace', { accountId: account.id, callId: null, limit: 5000 });
    const relayed = trace.filter((t) => t.direction === 'sent' && t.summary === 'MESSAGE' && t.text.includes(text) && /\r\nProxy-Authorization:/.test(t.text));
    expect(relayed).toHaveLength(1);
    await second.stop();
  }, 90_000);
});
