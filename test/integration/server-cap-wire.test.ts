/**
 * The cap on live server transactions, on the wire (issue 10, "bounded cost"; server-cap.ts): a whole app
 * (createAppServices) registered as bob through a real Kamailio, with the cap at 16 and Retry-After 7 s,
 * and its storage stalled — the test holds the database's write lock from a second connection (as another
 * process would), so the group commit waits and every MESSAGE taken stays unanswered. Then:
 *  - from the registered path (the registrar's address, 127.0.0.1): the first 16 are taken and wait; every
 *    one beyond the cap gets a 503 (Service Unavailable) with Retry-After: 7 at once (RFC 3261 §21.5.4,
 *    §20.33), and is not stored;
 *  - from anyone else (127.0.0.2; the account allows direct requests, so only the cap stops them): nothing
 *    comes back, and they are counted as dropped;
 *  - the stall ends: each message taken is answered 200 and stored exactly once; the refused ones, sent again
 *    as their senders would after Retry-After, are answered 200 and stored once. Nothing answered 200 is lost.
 * The stall is ended by the test as soon as the counters show the refusals (well within the storage's 5 s
 * busy_timeout, after which the commit would fail and answer 500). Fails when the cap drops the registered
 * path's requests too, or answers 503 to everyone (checked).
 */
import type { Socket } from 'node:dgram';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { afterAll, describe, expect, it } from 'vitest';
import type { RunningKamailio } from '../support/kamailio.ts';
import { waitFor } from '../support/peers.ts';
import { storedByCallId } from '../support/app-db.ts';
import { boundSocket } from '../support/udp-flood.ts';
import { accountInput, startApp, startKamailioIn, waitRegistered, type App } from '../support/app-process-kit.ts';

const CAP = 16;
const RETRY_AFTER = 7;
const FROM_PATH = 40;
const OFF_PATH = 10;

let kamailio: RunningKamailio | null = null;
let bob: App | null = null;
let lock: DatabaseSync | null = null;

afterAll(async () => {
  if (lock?.isTransaction) lock.exec('ROLLBACK');
  lock?.close();
  await bob?.services.dispose();
  await kamailio?.stop();
}, 30_000);

const callIdOf = (source: string, i: number) => `cap-${source}-${String(i)}@elsewhere.test`;

function message(socket: Socket, source: string, i: number, attempt: number): Buffer {
  const body = `held ${source} ${String(i)}`;
  const port = String(socket.address().port);
  return Buffer.from(
    `MESSAGE sip:bob@example.test SIP/2.0\r\nVia: SIP/2.0/UDP ${socket.address().address}:${port};branch=z9hG4bK-cap-${source}-${String(i)}-${String(attempt)};rport\r\n` +
      `Max-Forwards: 70\r\nFrom: <sip:sender-${String(i)}@elsewhere.test>;tag=t${String(i)}\r\nTo: <sip:bob@example.test>\r\n` +
      `Call-ID: ${callIdOf(source, i)}\r\nCSeq: ${String(attempt)} MESSAGE\r\nContent-Type: text/plain\r\nContent-Length: ${String(Buffer.byteLength(body))}\r\n\r\n${body}`,
    'utf8',
  );
}

/** final responses per Call-ID as they come back to `socket` */
function answers(socket: Socket): Map<string, string[]> {
  const got = new Map<string, string[]>();
  socket.on('message', (data) => {
    const text = data.toString('utf8');
    const callId = /\r\nCall-ID:[ \t]*([^\r\n]+)/i.exec(text)?.[1]?.trim();
    if (callId !== undefined && /^SIP\/2\.0 [2-6]\d\d /.test(text)) got.set(callId, [...(got.get(callId) ?? []), text]);
  });
  return got;
}

async function until(check: () => Promise<boolean>, what: string, timeoutMs: number): Promise<void> {
  for (const end = Date.now() + timeoutMs; Date.now() < end; ) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`timed out after ${String(timeoutMs)} ms waiting for ${what}`);
}

const send = (socket: Socket, bytes: Buffer, port: number) =>
  new Promise<void>((resolve, reject) => socket.send(bytes, port, '127.0.0.1', (e) => (e ? reject(e) : resolve())));

describe('the server-transaction cap on the wire (issue 10)', () => {
  it('storage stalled: beyond the cap the registered path gets 503 + Retry-After and others silence; afterwards every message taken is stored once', async () => {
    const started = await startKamailioIn(24_800, 100);
    kamailio = started.kamailio;
    const app = await startApp({
      // T1 100 ms: Timer J 6.4 s, so a NOTIFY's finished transaction is gone sooner before the stall
      sip: { bindAddress: '127.0.0.1', emitTrace: false, traceCapacity: 5000, timers: { t1: 100 }, serverCap: { max: CAP, retryAfterSeconds: RETRY_AFTER } },
    });
    bob = app;
    const account = await app.call('accounts:save', { ...accountInput({ user: 'bob', sipPort: started.sipPort }), allowDirect: true });
    await waitRegistered(app, account.id);
    const edge = async () => {
      const c = (await app.call('diagnostics:edge-counters', null)).accounts.find((a) => a.accountId === account.id);
      if (c === undefined) throw new Error('no counters for bob');
      return c;
    };
    // nothing of bob's own may hold a place in the cap when the stall starts (a NOTIFY's transaction ends
    // with Timer J; the cap could shed it, which would only make room for one more)
    await until(async () => (await edge()).liveServerTransactions === 0, 'no live server transaction', 40_000);
    const trace = await app.call('diagnostics:list-trace', { accountId: account.id, callId: null, limit: 500 });
    const register = trace.find((t) => t.direction === 'sent' && t.summary.startsWith('REGISTER'));
    const port = Number(/\r\nContact:[^\r\n]*@127\.0\.0\.1:(\d+)/i.exec(register?.text ?? '')?.[1]);
    expect(port).toBeGreaterThan(0);

    const registrar = await boundSocket('127.0.0.1');
    const stranger = await boundSocket('127.0.0.2');
    const fromPath = answers(registrar);
    const fromStranger = answers(stranger);
    const before = await edge();
    try {
      // the stall: a second connection holds the write lock, so the storage worker's commit waits for it
      lock = new DatabaseSync(join(app.dataDir, 'messenger.db'));
      lock.exec('BEGIN IMMEDIATE');
      for (let i = 0; i < FROM_PATH; i++) await send(registrar, message(registrar, 'path', i, 1), port);
      // the last one sent is beyond the cap: its 503 comes after those of all before it (one socket pair, in order)
      await waitFor(() => fromPath.has(callIdOf('path', FROM_PATH - 1)), 'the cap refused the rest', 10_000);
      for (let i = 0; i < OFF_PATH; i++) await send(stranger, message(stranger, 'stranger', i, 1), port);
      await until(async () => (await edge()).overloadDropped - before.overloadDropped >= OFF_PATH, 'the cap dropped the strangers', 10_000);
      const stalled = await edge();
      const refusedIds = [...fromPath].filter(([, r]) => r.some((t) => t.startsWith('SIP/2.0 503 '))).map(([id]) => id);

      // during the stall: the cap is full and exactly the ones beyond it were answered, 503 with Retry-After;
      // the rest wait. Kamailio's own requests to bob meet the same cap meanwhile (a NOTIFY of his watcher
      // information: refused 503 too, or holding a place while it waits on storage): at most one or two.
      const takenCount = FROM_PATH - refusedIds.length;
      expect(stalled.liveServerTransactions).toBe(CAP);
      expect(stalled.overloadRefused - before.overloadRefused).toBeGreaterThanOrEqual(refusedIds.length);
      expect(stalled.overloadRefused - before.overloadRefused).toBeLessThanOrEqual(refusedIds.length + 2);
      expect(takenCount).toBeLessThanOrEqual(CAP);
      expect(takenCount).toBeGreaterThanOrEqual(CAP - 2);
      expect([...fromPath.keys()].sort()).toEqual([...refusedIds].sort());
      for (const id of refusedIds) for (const r of fromPath.get(id) ?? []) expect(r).toMatch(new RegExp(`\\r\\nRetry-After:[ \\t]*${String(RETRY_AFTER)}\\r\\n`, 'i'));
      expect(stalled.overloadDropped - before.overloadDropped).toBe(OFF_PATH);
      expect(fromStranger.size).toBe(0);

      // the stall ends: the 16 taken are answered 200
      lock.exec('ROLLBACK');
      const taken = Array.from({ length: FROM_PATH }, (_, i) => callIdOf('path', i)).filter((id) => !refusedIds.includes(id));
      expect(taken).toHaveLength(takenCount);
      await waitFor(() => taken.every((id) => fromPath.get(id)?.some((r) => r.startsWith('SIP/2.0 200 '))), 'the held messages answered 200', 15_000);
      // the refused ones again, as their senders would after Retry-After (a new request, CSeq + 1), a few at a
      // time: sent all at once they would meet the cap again (it holds requests not yet answered)
      const ok = (id: string) => fromPath.get(id)?.some((r) => r.startsWith('SIP/2.0 200 ')) === true;
      for (let k = 0; k < refusedIds.length; k += CAP / 2) {
        const batch = refusedIds.slice(k, k + CAP / 2);
        for (const id of batch) await send(registrar, message(registrar, 'path', Number(/-(\d+)@/.exec(id)?.[1]), 2), port);
        await waitFor(() => batch.every(ok), 'the refused ones taken on their retry', 15_000);
      }
      expect(fromStranger.size).toBe(0);
    } finally {
      registrar.close();
      stranger.close();
    }

    // every message from the registered path is stored exactly once; nothing from the strangers
    const stored = storedByCallId(app.dataDir);
    for (let i = 0; i < FROM_PATH; i++) expect(stored.get(callIdOf('path', i)), `message ${String(i)}`).toBe(1);
    for (let i = 0; i < OFF_PATH; i++) expect(stored.get(callIdOf('stranger', i))).toBeUndefined();
    // 200 was never given before the commit: each message answered 200 is in storage
    for (const [id, responses] of fromPath) if (responses.some((r) => r.startsWith('SIP/2.0 200 '))) expect(stored.get(id)).toBe(1);
  }, 120_000);
});
