/**
 * Crash safety of the outbox (RFC 3428 pager mode, issues 5 and 11): alice's app runs in a child process
 * (test/support/app-process.ts) and is registered. Her PBX (Kamailio) then freezes (SIGSTOP: its sockets
 * stay open, so there is no ICMP and the registration still reads "registered"), so her MESSAGE is stored
 * and really in flight ("sending", the non-INVITE transaction retransmitting, RFC 3261 §17.1.2.2) when the
 * process is killed with SIGKILL: no unregister, no cleanup. Then the PBX thaws, a new process opens the
 * same data dir, registers, and sends the message from the outbox: bob (another app instance) gets it
 * exactly once, and alice's copy ends "delivered".
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { RunningKamailio } from '../support/kamailio.ts';
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
import { startKamailioOnFreePorts } from './register-kit.ts';

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
    const dataDir = mkdtempSync(join(tmpdir(), 'sipm-crash-'));
    const secretKey = newSecretKey();
    const text = `survives a crash ${String(Date.now())} ✓`;

    // 1. the PBX is up; bob and alice register
    // ports with retry on collision, ready when Kamailio's own processes hold them (register-kit.ts)
    const started = await startKamailioOnFreePorts(23_800, 180);
    kamailio = started.kamailio;
    const sipPort = started.sipPort;
    bob = await startApp();
    const bobAccount = await bob.call('accounts:save', accountInput({ user: 'bob', sipPort }));
    await waitRegistered(bob, bobAccount.id);
    const first = await spawnAppProcess({ dataDir, secretKey });
    processes.push(first);
    const account = await first.call('accounts:save', accountInput({ user: 'alice', sipPort }));
    await waitRegistered(first, account.id, 20_000);

    // 2. the PBX freezes: alice's MESSAGE goes out over UDP and is never answered
    kamailio.freeze();
    const [queued] = await send(first, 'bob@example.test', text, account.id);
    await waitFor(() => first.of('chats:message-changed').some((m) => m.id === queued!.id && m.state === 'sending'), 'the message in flight', 10_000);
    // Timer E retransmits at least once: it really is on the wire when the process dies
    const onWire = async (): Promise<number> =>
      (await first.call('diagnostics:list-trace', { accountId: account.id, callId: null, limit: 500 })).filter(
        (t) => t.direction === 'sent' && t.summary === 'MESSAGE' && t.text.includes(text),
      ).length;
    let sentTimes = await onWire();
    for (const until = Date.now() + 10_000; sentTimes < 2 && Date.now() < until; sentTimes = await onWire()) {
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(sentTimes).toBeGreaterThanOrEqual(2); // sent and retransmitted (Timer E), never answered
    expect(first.of('chats:message-changed').filter((m) => m.id === queued!.id).map((m) => m.state)).toEqual(['queued', 'sending']);
    const firstCallIds = new Set(
      (await first.call('diagnostics:list-trace', { accountId: account.id, callId: null, limit: 500 }))
        .filter((t) => t.direction === 'sent' && t.summary === 'MESSAGE' && t.text.includes(text))
        .map((t) => t.callId),
    );
    expect(firstCallIds.size).toBe(1);
    await first.kill();
    kamailio.thaw();

    // 3. a new process on the same data dir: registers, then the outbox sends what was left
    const second = await spawnAppProcess({ dataDir, secretKey });
    processes.push(second);
    await waitRegistered(second, account.id, 20_000);
    const final = await waitFinal(second, queued!.id, 20_000);
    expect(final).toMatchObject({ state: 'delivered', code: 200, body: text });

    await waitFor(() => bob!.of('chats:message-received').some((m) => m.body === text), 'bob got it', 20_000);
    // a later registration must not send it again: register again for real (disable, enable: each
    // 'registered' resumes the outbox), then a marker sent after it reaches bob, so a resend would be
    // on alice's wire before the marker and at bob before it
    const registeredCount = (): number =>
      second.of('accounts:registration-changed').filter((r) => r.accountId === account.id && r.registration.state === 'registered').length;
    const before = registeredCount();
    await second.call('accounts:save', accountInput({ user: 'alice', sipPort, id: account.id, enabled: false }));
    await waitFor(() => second.of('accounts:registration-changed').at(-1)?.registration.state !== 'registered', 'alice unregistered', 20_000);
    await second.call('accounts:save', accountInput({ user: 'alice', sipPort, id: account.id }));
    await waitFor(() => registeredCount() > before, 'alice registered again', 20_000);
    const marker = `after the re-registration ${String(Date.now())}`;
    const [markerMessage] = await send(second, 'bob@example.test', marker, account.id);
    expect(await waitFinal(second, markerMessage!.id, 20_000)).toMatchObject({ state: 'delivered' });
    await waitFor(() => bob!.of('chats:message-received').some((m) => m.body === marker), 'bob got the marker', 20_000);
    expect(bob.of('chats:message-received').filter((m) => m.body === text)).toHaveLength(1);
    const atBob = await storedWith(bob, 'sip:alice@example.test');
    expect(atBob.bodies).toEqual([text, marker]);
    expect(atBob.total).toBe(2);
    const atAlice = await storedWith(second, 'sip:bob@example.test');
    expect(atAlice.bodies.filter((x) => x === text)).toEqual([text]);
    const trace = await second.call('diagnostics:list-trace', { accountId: account.id, callId: null, limit: 5000 });
    // issue 11: the resend is the same request (the Call-ID the first process used), never a new message.
    // Whether it carries Proxy-Authorization depends on timing, not on us: the first process's copies (with
    // the credentials it had cached) sit in the frozen Kamailio's socket; when it thaws it may relay one of
    // them to bob, and then our unauthenticated resend of the same request is answered 200 from that
    // transaction (seen at load 12); otherwise it is challenged (407) and re-sent with credentials
    const resent = trace.filter((t) => t.direction === 'sent' && t.summary === 'MESSAGE' && t.text.includes(text));
    const wire = resent.map((t) => `${t.callId ?? ''} ${/^CSeq:.*$/m.exec(t.text)?.[0] ?? ''}${/\r\nProxy-Authorization:/.test(t.text) ? ' +auth' : ''}`);
    expect(resent.length, wire.join('\n')).toBeGreaterThanOrEqual(1);
    expect(resent.filter((t) => t.callId === null || !firstCallIds.has(t.callId)).map((t) => t.callId), wire.join('\n')).toEqual([]);
    await second.stop();
  }, 90_000);
});
