/**
 * Issue 11 proof, at the size (x20 during 300; about 45 s on a loaded 2-core machine): alice's app (a child process) is killed with SIGKILL at KILLS random
 * moments while her outbox drains N messages to bob through Kamailio; each time a new process opens the
 * same data dir, registers and resumes. Bob (another app instance) must store each message exactly once
 * (the re-send reuses the stored Call-ID/CSeq/From tag, RFC 3261 §17.2.3), and alice's copies must all end
 * delivered.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { MessageDto } from '#shared/domain/chat.ts';
import type { RunningKamailio } from '../support/kamailio.ts';
import { waitFor } from '../support/peers.ts';
import { accountInput, newSecretKey, spawnAppProcess, startApp, storedWith, waitRegistered, type App, type AppProcess } from '../support/app-process-kit.ts';
import { startKamailioOnFreePorts } from './register-kit.ts';

const KILLS = 20;
const N = 300;

let kamailio: RunningKamailio | null = null;
const processes: AppProcess[] = [];
let bob: App | null = null;

afterAll(async () => {
  for (const p of processes) await p.kill();
  await bob?.services.dispose();
  await kamailio?.stop();
}, 30_000);

describe('kill -9 series while the outbox drains (issue 11)', () => {
  it(`${String(KILLS)} SIGKILLs during a ${String(N)}-message send: bob stores each exactly once, alice ends all delivered`, async () => {
    const k = await startKamailioOnFreePorts(35_400, 200);
    kamailio = k.kamailio;
    const sipPort = k.sipPort;
    const dataDir = mkdtempSync(join(tmpdir(), 'sipm-kills-'));
    const secretKey = newSecretKey();
    bob = await startApp();
    const b = bob;
    const bobAccount = await b.call('accounts:save', accountInput({ user: 'bob', sipPort }));
    await waitRegistered(b, bobAccount.id);
    const bodies = Array.from({ length: N }, (_, i) => `kill series ${String(i).padStart(3, '0')}`);
    const started = Date.now();

    let p = await spawnAppProcess({ dataDir, secretKey });
    processes.push(p);
    const account = await p.call('accounts:save', accountInput({ user: 'alice', sipPort }));
    await waitRegistered(p, account.id, 20_000);
    const conv = await p.call('chats:open-conversation', { accountId: account.id, peer: 'bob@example.test' });
    const ids: string[] = [];
    for (const body of bodies) {
      const r = await p.call('chats:send-message', { conversationId: conv.id, body, expiresInSeconds: null, oversize: null });
      if (r.kind !== 'queued' || r.messages[0] === undefined) throw new Error('not queued');
      ids.push(r.messages[0].id);
    }
    const killedAt: number[] = [];
    for (let kill = 0; kill < KILLS; kill++) {
      // a random moment while the outbox drains: once bob has a random share of this stretch of the send
      const at = Math.floor(((kill + Math.random()) * N) / (KILLS + 1));
      await waitFor(() => b.of('chats:message-received').length >= at, `bob at ${String(at)}`, 30_000, 5);
      killedAt.push(b.of('chats:message-received').length);
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
    await waitFor(() => b.of('chats:message-received').length >= N, 'bob got everything', 60_000, 200);
    let mine: MessageDto[] = [];
    for (const until = Date.now() + 60_000; Date.now() < until; await new Promise((r) => setTimeout(r, 200))) {
      mine = await finalOf();
      if (mine.length === N && mine.every((m) => m.state !== 'queued' && m.state !== 'sending')) break;
    }
    const atBob = await storedWith(b, 'sip:alice@example.test');
    console.log(
      `[kill-series] ${String(KILLS)} kills at ${killedAt.join(', ')} messages received; ${String(N)} messages in ${String(Date.now() - started)} ms; ` +
        `bob stored ${String(atBob.total)}, alice: ${String(mine.filter((m) => m.state === 'delivered').length)} delivered of ${String(mine.length)}`,
    );
    expect(killedAt.some((n) => n > 0 && n < N)).toBe(true);
    // exactly once each, in order (one destination, RFC 3428 §8)
    expect(atBob.total).toBe(N);
    expect(atBob.bodies).toEqual(bodies);
    expect(mine.filter((m) => m.state !== 'delivered')).toEqual([]);
  }, 240_000);
});
