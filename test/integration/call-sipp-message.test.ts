/**
 * MESSAGE inside a call's dialog (RFC 3428 §2/§4, RFC 3261 §12.2.1.1) against sipp's call scenarios
 * through Kamailio's record-route: on the wire our in-dialog MESSAGEs carry the dialog's Call-ID, tags,
 * Route set and remote target with an incrementing CSeq, one at a time (RFC 3428 §8); a MESSAGE from
 * sipp inside its call lands in that call's chat; a 405 makes us re-send the message out of dialog.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CallId } from '#shared/domain/ids.ts';
import { formatUri, parseMessage, SipRequest, SipResponse } from '../../main/sip/message/index.ts';
import type { RunningKamailio } from '../support/kamailio.ts';
import { tempDir, waitFor } from '../support/peers.ts';
import { runSipp, runSippListening, type SippRun } from '../support/sipp.ts';
import { makeCallRig, type CallRig } from './call-kit.ts';
import { startKamailioOnFreePorts, wireMessages } from './register-kit.ts';

let kamailio: RunningKamailio;
let sipPort = 0;
let alice: CallRig;
const running: SippRun[] = [];
const dir = tempDir('call-sipp');

beforeAll(async () => {
  ({ kamailio, sipPort } = await startKamailioOnFreePorts(23_400, 200));
  alice = await makeCallRig({ user: 'alice', password: 'alice-secret', sipPort });
}, 30_000);

afterAll(async () => {
  for (const s of running) s.stop();
  await alice?.close().catch(() => undefined);
  await kamailio?.stop();
}, 30_000);

function sipp(scenario: string, args: string[], remote?: string): SippRun {
  const run = runSipp({ scenario, args, cwd: dir, timeoutSeconds: 20, ...(remote !== undefined ? { remote } : {}) });
  running.push(run);
  return run;
}

/** a sipp UAS once its own PID owns its port (picked at random, another one on a collision) */
async function sippUas(scenario: string, args: string[]): Promise<{ run: SippRun; port: number }> {
  const uas = await runSippListening((p) => ({ scenario, args: ['-p', String(p), ...args], cwd: dir, timeoutSeconds: 20 }), () => 23_700 + Math.floor(Math.random() * 500));
  running.push(uas.run);
  return uas;
}

/** registers `user` at Kamailio with its Contact on `port`, where a sipp UAS listens (the REGISTERing sipp takes any free port) */
async function registerSippUser(user: string, port: number, expires = 60): Promise<void> {
  const reg = sipp('register.xml', ['-s', user, '-au', user, '-ap', `${user}-secret`, '-key', 'contact_port', String(port), '-key', 'expires', String(expires), '-m', '1'], `127.0.0.1:${sipPort}`);
  const done = await reg.done;
  expect(done.code, done.stdout + done.stderr).toBe(0);
}

const parsed = (text: string) => parseMessage(Buffer.from(text));
const sentMessages = (): SipRequest[] =>
  wireMessages(alice.account.trace, 'out').filter((t) => t.startsWith('MESSAGE ')).map(parsed).filter((m): m is SipRequest => m instanceof SipRequest);

async function connectTo(user: string): Promise<CallId> {
  const call = await alice.calls.place(null, `sip:${user}@example.test`);
  await waitFor(() => alice.calls.get(call.id).state === 'connected', 'the call to connect', 8_000);
  return call.id;
}

function storedFinal(callId: CallId, body: string) {
  return [...alice.messages].reverse().find((m) => m.callId === callId && m.body === body && m.state !== 'sending');
}

describe('in-dialog MESSAGE through Kamailio record-route (RFC 3428 §4)', () => {
  it('our MESSAGEs MUST carry the dialog Call-ID, tags, Route set and remote target, CSeq +1 each, never overlapping', async () => {
    const { run: uas, port } = await sippUas('call-uas-messages.xml', ['-m', '1', '-trace_logs']);
    await registerSippUser('carol', port);
    const callId = await connectTo('carol');
    const dialog = alice.calls.session(callId)?.dialog;
    if (dialog === null || dialog === undefined) throw new Error('no dialog');
    const before = sentMessages().length;
    const [one, two] = await Promise.all([alice.calls.sendMessage(callId, 'first in call'), alice.calls.sendMessage(callId, 'second in call')]);
    expect(one.callId).toBe(callId);
    expect(two.state).toBe('sending');
    await waitFor(() => storedFinal(callId, 'second in call') !== undefined, 'both messages delivered', 5_000);
    expect(storedFinal(callId, 'first in call')?.state).toBe('delivered');
    expect(storedFinal(callId, 'second in call')?.state).toBe('delivered');

    const wire = sentMessages().slice(before);
    expect(wire).toHaveLength(2);
    const invite = wireMessages(alice.account.trace, 'out').map(parsed).find((m): m is SipRequest => m instanceof SipRequest && m.method === 'INVITE' && m.callId === dialog.id.callId);
    const ok = wireMessages(alice.account.trace, 'in').map(parsed).find((m): m is SipResponse => m instanceof SipResponse && m.status === 200 && m.cseq.method === 'INVITE' && m.callId === dialog.id.callId);
    expect(ok?.recordRoute.length).toBeGreaterThan(0);
    for (const m of wire) {
      expect(m.callId).toBe(dialog.id.callId);
      expect(m.fromTag).toBe(invite?.fromTag);
      expect(m.toTag).toBe(ok?.toTag);
      // §12.2.1.1: Route = the 2xx Record-Route reversed (one Kamailio entry here); Request-URI = the Contact
      expect(m.headers.getAll('Route')).toEqual([...(ok?.headers.getAll('Record-Route') ?? [])].reverse());
      const contact = ok?.contact;
      expect(contact !== undefined && contact !== '*' && contact[0] !== undefined ? formatUri(contact[0].uri) : null).toBe(m.uriText);
      expect(m.uriText).toContain(`127.0.0.1:${port}`);
    }
    const [m1, m2] = wire;
    expect(m1?.cseq.seq).toBeGreaterThan(invite?.cseq.seq ?? Infinity);
    expect(m2?.cseq.seq).toBe((m1?.cseq.seq ?? 0) + 1);
    // RFC 3428 §8: the second went out only after the first one's final response came in
    const trace = alice.account.trace.filter((e) => e.kind === 'message').map((e) => `${e.direction} ${e.raw.toString('utf8').split('\r\n').find((l) => /^CSeq:/i.test(l)) ?? ''} ${e.raw.toString('utf8').slice(0, 12)}`);
    const firstAnswered = trace.findIndex((t) => t.startsWith('in') && t.includes(`CSeq: ${m1?.cseq.seq} MESSAGE`) && t.includes('SIP/2.0 200'));
    const secondSent = trace.findIndex((t) => t.startsWith('out') && t.includes(`CSeq: ${m2?.cseq.seq} MESSAGE`));
    expect(firstAnswered).toBeGreaterThan(-1);
    expect(secondSent).toBeGreaterThan(firstAnswered);

    alice.calls.hangUp(callId);
    const done = await uas.done;
    expect(done.code, done.stdout + done.stderr).toBe(0);
  }, 20_000);

  it('a 405 to the in-dialog MESSAGE MUST re-send it out of dialog and mark it so', async () => {
    const { run: uas, port } = await sippUas('call-uas-message-405.xml', ['-m', '1', '-trace_logs']);
    await registerSippUser('carol', port, 60);
    const callId = await connectTo('carol');
    const dialog = alice.calls.session(callId)?.dialog;
    // sipp cannot take an out-of-call MESSAGE in server mode: carol's pager MESSAGEs now go to a second sipp
    // (the call's in-dialog requests still follow the dialog's route set to the first one)
    const { run: pagerUas, port: pagerPort } = await sippUas('uas-message.xml', ['-m', '1', '-trace_logs']);
    await registerSippUser('carol', pagerPort, 60);
    await registerSippUser('carol', port, 0);
    const before = sentMessages().length;
    await alice.calls.sendMessage(callId, 'please take this');
    await waitFor(() => storedFinal(callId, 'please take this') !== undefined, 'the message to settle', 8_000);
    expect(storedFinal(callId, 'please take this')).toMatchObject({ state: 'delivered', sentOutOfDialog: true, callId });
    const wire = sentMessages().slice(before);
    const inDialog = wire.filter((m) => m.callId === dialog?.id.callId);
    const outOfDialog = wire.filter((m) => m.callId !== dialog?.id.callId);
    expect(inDialog).toHaveLength(1);
    expect(inDialog[0]?.toTag).toBe(dialog?.id.remoteTag);
    expect(outOfDialog.length).toBeGreaterThanOrEqual(1);
    expect(outOfDialog.every((m) => m.toTag === null && m.body.toString() === 'please take this')).toBe(true);
    expect((await pagerUas.done).code).toBe(0);
    alice.calls.hangUp(callId);
    const done = await uas.done;
    expect(done.code, done.stdout + done.stderr).toBe(0);
  }, 20_000);

  it('a MESSAGE from sipp inside its call MUST land in that call\'s chat', async () => {
    const answered = new Set<string>();
    const ringingSince = new Map<string, number>();
    // answer like a person: a moment after it rings. Answering within a millisecond lets Kamailio's UDP
    // workers relay our 180 after our 200, which sipp's scenario (optional 180 before 200) calls unexpected.
    const stop = setInterval(() => {
      for (const c of alice.calls.list()) {
        if (c.state !== 'incoming' || answered.has(c.id)) continue;
        const since = ringingSince.get(c.id) ?? Date.now();
        ringingSince.set(c.id, since);
        if (Date.now() - since >= 200) {
          answered.add(c.id);
          alice.calls.answer(c.id);
        }
      }
    }, 20);
    try {
      const uac = sipp('uac-call-message.xml', ['-s', 'alice', '-key', 'caller', 'bob', '-au', 'bob', '-ap', 'bob-secret', '-m', '1'], `127.0.0.1:${sipPort}`);
      const done = await uac.done;
      expect(done.code, done.stdout + done.stderr).toBe(0);
      const call = alice.calls.list().find((c) => answered.has(c.id));
      if (call === undefined) throw new Error('no incoming call');
      const got = alice.messages.find((m) => m.direction === 'in' && m.callId === call.id);
      // the body as sipp wrote it (its scenario ends the line with CRLF)
      expect(got?.body.trimEnd()).toBe('in-dialog message from bob');
      expect(got?.state).toBe('received');
      expect(alice.calls.session(call.id)).not.toBeNull();
      await waitFor(() => alice.calls.get(call.id).state === 'ended', 'the call to end', 3_000);
      expect(alice.calls.get(call.id).endReason).toBe('the other side hung up');
    } finally {
      clearInterval(stop);
    }
  }, 20_000);
});
