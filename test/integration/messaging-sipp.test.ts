/**
 * The chat service's outbox against sipp recipients registered at a real Kamailio (407 on every MESSAGE):
 *  - RFC 3428 §8 serialization: a second MESSAGE to the same Request-URI leaves only after the first one's
 *    final response (sipp delays its 200 by 1.5 s), while a MESSAGE to another destination is not held;
 *  - a 415 with Accept: text/plain to a CPIM message (RFC 3862) makes us re-send it as text/plain once.
 * Timings come from our wire trace (diagnostics:list-trace), the order of arrival from sipp's log.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { AccountDto } from '#shared/domain/account.ts';
import type { TraceEntryDto } from '#shared/domain/trace.ts';
import type { RunningKamailio } from '../support/kamailio.ts';
import { tempDir } from '../support/peers.ts';
import { runSipp, runSippListening, type SippRun } from '../support/sipp.ts';
import { accountInput, headerValue, send, startApp, waitFinal, waitRegistered, type App } from '../support/app-process-kit.ts';
import { startKamailioOnFreePorts } from './register-kit.ts';

let kamailio: RunningKamailio;
let sipPort = 0;
const running: SippRun[] = [];
/** sipp users registered by a test: unregistered after it, so no stale fork branch is left (peer kit gotcha) */
const registered: { user: string; port: number }[] = [];

beforeAll(async () => {
  ({ kamailio, sipPort } = await startKamailioOnFreePorts(23_300, 300));
}, 30_000);

afterEach(async () => {
  for (const { user, port } of registered.splice(0)) await sippRegister(tempDir('msg-unreg'), user, port, 0);
  for (const s of running.splice(0)) s.stop();
});

afterAll(async () => {
  await kamailio?.stop();
}, 30_000);

function sipp(dir: string, scenario: string, args: string[], remote?: string): SippRun {
  const run = runSipp({ scenario, args, cwd: dir, timeoutSeconds: 25, ...(remote !== undefined ? { remote } : {}) });
  running.push(run);
  return run;
}

/**
 * a sipp UAS running `scenario`, registered at Kamailio as `user` once its own PID owns its port (picked at
 * random, another one on a collision)
 */
async function sippUser(dir: string, user: string, scenario: string, extra: string[]): Promise<SippRun> {
  const { run: uas, port } = await runSippListening(
    (p) => ({ scenario, args: ['-p', String(p), '-trace_logs', ...extra], cwd: dir, timeoutSeconds: 25 }),
    () => 24_100 + Math.floor(Math.random() * 800),
  );
  running.push(uas);
  await sippRegister(dir, user, port, 60);
  registered.push({ user, port });
  return uas;
}

/** REGISTER (from any free port) a Contact on `port` for `user`; expires 0 removes it */
async function sippRegister(dir: string, user: string, port: number, expires: number): Promise<void> {
  const reg = sipp(dir, 'register.xml', ['-s', user, '-au', user, '-ap', `${user}-secret`, '-key', 'contact_port', String(port), '-key', 'expires', String(expires), '-m', '1'], `127.0.0.1:${sipPort}`);
  const done = await reg.done;
  expect(done.code, done.stdout + done.stderr).toBe(0);
}

function sippLog(dir: string, scenario: string): string {
  const file = readdirSync(dir).find((f) => f.startsWith(scenario.replace(/\.xml$/, '')) && f.endsWith('_logs.log'));
  return file === undefined ? '' : readFileSync(join(dir, file), 'utf8');
}

async function aliceApp(cpim: boolean): Promise<{ app: App; account: AccountDto }> {
  const app = await startApp();
  const account = await app.call('accounts:save', accountInput({ user: 'alice', sipPort, cpim }));
  await waitRegistered(app, account.id);
  return { app, account };
}

const sentMessages = (trace: readonly TraceEntryDto[], text: string) => trace.filter((t) => t.direction === 'sent' && t.summary === 'MESSAGE' && t.text.includes(text));
const finalAt = (trace: readonly TraceEntryDto[], callIds: Set<string | null>) =>
  trace.find((t) => t.direction === 'received' && /^[2-6]\d\d/.test(t.summary) && !t.summary.startsWith('407') && callIds.has(t.callId))?.at;

describe('outbox against sipp recipients through Kamailio', () => {
  let alice: { app: App; account: AccountDto } | null = null;

  afterEach(async () => {
    await alice?.app.services.dispose();
    alice = null;
  });

  it('RFC 3428 §8: the 2nd MESSAGE to bob MUST NOT leave before the 1st one\'s final response; carol is not held', async () => {
    const dir = tempDir('msg-serial');
    const bobUas = await sippUser(dir, 'bob', 'msg-uas-slow.xml', ['-m', '2', '-d', '1500']);
    const carolUas = await sippUser(dir, 'carol', 'uas-message.xml', ['-m', '1']);
    alice = await aliceApp(false);
    const tag = String(Date.now());
    const [b1] = await send(alice.app, 'bob@example.test', `to bob #1 ${tag}`);
    const [b2] = await send(alice.app, 'bob@example.test', `to bob #2 ${tag}`);
    const [c1] = await send(alice.app, 'carol@example.test', `to carol ${tag}`);
    for (const m of [b1!, b2!, c1!]) expect((await waitFinal(alice.app, m.id, 20_000)).state).toBe('delivered');

    const trace = await alice.app.call('diagnostics:list-trace', { accountId: alice.account.id, callId: null, limit: 5000 });
    const first = sentMessages(trace, `to bob #1 ${tag}`);
    const second = sentMessages(trace, `to bob #2 ${tag}`);
    const carol = sentMessages(trace, `to carol ${tag}`);
    expect(first.length).toBeGreaterThanOrEqual(2);
    expect(second.length).toBeGreaterThanOrEqual(2);
    const firstFinal = finalAt(trace, new Set(first.map((t) => t.callId)));
    const carolFinal = finalAt(trace, new Set(carol.map((t) => t.callId)));
    if (firstFinal === undefined || carolFinal === undefined) throw new Error('no final responses in the trace');
    const firstSent = Math.min(...first.map((t) => t.at));
    const secondSent = Math.min(...second.map((t) => t.at));
    const carolSent = Math.min(...carol.map((t) => t.at));
    // sipp really held the first one ~1.5 s
    expect(firstFinal - firstSent).toBeGreaterThanOrEqual(1400);
    // serialization per Request-URI
    expect(secondSent).toBeGreaterThanOrEqual(firstFinal);
    // another destination runs in parallel: carol's MESSAGE went out and was answered while bob's first was pending
    expect(carolSent).toBeLessThan(firstFinal);
    expect(carolFinal).toBeLessThan(firstFinal);

    expect((await bobUas.done).code).toBe(0);
    expect((await carolUas.done).code).toBe(0);
    const log = sippLog(dir, 'msg-uas-slow.xml');
    expect(log.indexOf(`to bob #1 ${tag}`)).toBeGreaterThanOrEqual(0);
    expect(log.indexOf(`to bob #2 ${tag}`)).toBeGreaterThan(log.indexOf(`to bob #1 ${tag}`));
    console.info(`serialization: bob #1 held ${String(firstFinal - firstSent)} ms; bob #2 left ${String(secondSent - firstFinal)} ms after its final response; carol answered ${String(carolFinal - carolSent)} ms after sending`);
  }, 45_000);

  it('a 415 (Accept: text/plain) to a CPIM message MUST lead to one text/plain re-send, and the message ends delivered', async () => {
    const dir = tempDir('msg-415');
    const bobUas = await sippUser(dir, 'bob', 'msg-uas-415.xml', ['-m', '1']);
    alice = await aliceApp(true);
    const text = `cpim or plain? ${String(Date.now())}`;
    const [m] = await send(alice.app, 'bob@example.test', text);
    const final = await waitFinal(alice.app, m!.id, 20_000);
    expect(final).toMatchObject({ state: 'delivered', code: 200 });

    const trace = await alice.app.call('diagnostics:list-trace', { accountId: alice.account.id, callId: null, limit: 5000 });
    // with credentials: the ones Kamailio relayed to sipp
    const relayed = sentMessages(trace, text).filter((t) => headerValue(t.text, 'Proxy-Authorization') !== undefined);
    expect(relayed.map((t) => headerValue(t.text, 'Content-Type', 'c')?.toLowerCase())).toEqual(['message/cpim', 'text/plain;charset=utf-8']);
    expect(trace.some((t) => t.direction === 'received' && t.summary.startsWith('415') && t.callId === relayed[0]?.callId)).toBe(true);
    // RFC 3261 §8.1.3.5: the retry is a new transaction of the same Call-ID with a higher CSeq
    expect(relayed[1]?.callId).toBe(relayed[0]?.callId);
    const cseq = (t: (typeof relayed)[number] | undefined): number => Number.parseInt(headerValue(t?.text ?? '', 'CSeq') ?? '', 10);
    expect(cseq(relayed[1])).toBeGreaterThan(cseq(relayed[0]));

    expect((await bobUas.done).code).toBe(0);
    const log = sippLog(dir, 'msg-uas-415.xml');
    expect(log).toMatch(/content-type= ?message\/cpim/i);
    expect(log.split('\n').some((l) => /content-type= ?text\/plain/i.test(l) && l.includes(`body=${text}`))).toBe(true);
  }, 45_000);
});
