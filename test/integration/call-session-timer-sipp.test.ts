/**
 * RFC 4028 session timers against a strict sipp UAS through Kamailio's record-route: our INVITE says
 * Supported: timer with Session-Expires; sipp answers 422 (Min-SE: 120); we retry with Min-SE and
 * Session-Expires 120 and the call connects; then we refresh with UPDATE (RFC 3311) at half the interval,
 * twice, each seen on the wire with Session-Expires: 120;refresher=uac, and the call stays up. The calls'
 * session clock runs 20× fast (a 120 s interval refreshes every 3 s); exact instants are unit-tested.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseMessage, SipRequest, SipResponse } from '../../main/sip/message/index.ts';
import type { RunningKamailio } from '../support/kamailio.ts';
import { tempDir, waitFor } from '../support/peers.ts';
import { runSipp, runSippListening, type SippRun } from '../support/sipp.ts';
import { makeCallRig, scaledClock, type CallRig } from './call-kit.ts';
import { startKamailioOnFreePorts, wireMessages } from './register-kit.ts';

const SPEED = 20;
let kamailio: RunningKamailio;
let sipPort = 0;
let alice: CallRig;
const running: SippRun[] = [];
const dir = tempDir('call-session-timer');

beforeAll(async () => {
  ({ kamailio, sipPort } = await startKamailioOnFreePorts(28_000, 200));
  alice = await makeCallRig({ user: 'alice', password: 'alice-secret', sipPort, callClock: scaledClock(SPEED), sessionExpires: 90 });
}, 30_000);

afterAll(async () => {
  for (const s of running) s.stop();
  await alice?.close().catch(() => undefined);
  await kamailio?.stop();
}, 30_000);

function sipp(scenario: string, args: string[], remote?: string): SippRun {
  const run = runSipp({ scenario, args, cwd: dir, timeoutSeconds: 40, ...(remote !== undefined ? { remote } : {}) });
  running.push(run);
  return run;
}

const parsed = (text: string) => parseMessage(Buffer.from(text));

describe('RFC 4028 session timers with a sipp UAS through Kamailio', () => {
  it('422 → retry with Min-SE → connected; refreshed by UPDATE at half the interval, twice, the call staying up', async () => {
    // the UAS once its own PID owns its port (another port on a collision); the REGISTERing sipp takes any free port
    const listening = await runSippListening(
      (p) => ({ scenario: 'call-uas-session-timer.xml', args: ['-p', String(p), '-m', '1', '-trace_logs'], cwd: dir, timeoutSeconds: 40 }),
      () => 28_300 + Math.floor(Math.random() * 400),
    );
    running.push(listening.run);
    const uas = listening.run;
    const reg = sipp('register.xml', ['-s', 'carol', '-au', 'carol', '-ap', 'carol-secret', '-key', 'contact_port', String(listening.port), '-key', 'expires', '60', '-m', '1'], `127.0.0.1:${sipPort}`);
    const registered = await reg.done;
    expect(registered.code, registered.stdout + registered.stderr).toBe(0);

    const call = await alice.calls.place(null, 'sip:carol@example.test');
    await waitFor(() => alice.calls.get(call.id).state === 'connected', 'the call to connect after the 422', 10_000).catch((e: unknown) => {
      if (process.env['DEBUG_WIRE'] !== undefined) console.log(alice.account.trace.filter((t) => t.kind === 'message').map((t) => `${t.direction}\n${t.raw.toString('utf8')}`).join('\n----\n'));
      throw e;
    });
    const session = alice.calls.session(call.id);
    expect(session?.timers.interval).toBe(120);
    expect(session?.timers.weRefresh).toBe(true);
    const callId = session?.dialog?.id.callId;

    const sent = () => wireMessages(alice.account.trace, 'out').map(parsed).filter((m): m is SipRequest => m instanceof SipRequest && m.callId === callId);
    await waitFor(() => sent().filter((m) => m.method === 'UPDATE').length >= 2, 'two refresh UPDATEs', 20_000);
    // the refreshes were answered 200 and the call is still up
    const got = () => wireMessages(alice.account.trace, 'in').map(parsed).filter((m): m is SipResponse => m instanceof SipResponse && m.callId === callId);
    await waitFor(() => got().filter((m) => m.cseq.method === 'UPDATE' && m.status === 200).length >= 2, 'both refreshes answered', 5_000);
    expect(alice.calls.get(call.id).state).toBe('connected');

    const allInvites = sent().filter((m) => m.method === 'INVITE');
    expect(allInvites[0]?.supported).toContain('timer');
    expect(allInvites[0]?.headers.get('Session-Expires')).toBe('90');
    const retried = allInvites.filter((m) => m.headers.get('Min-SE') === '120');
    expect(retried.length).toBeGreaterThan(0);
    expect(retried.every((m) => m.headers.get('Session-Expires') === '120' && m.fromTag === allInvites[0]?.fromTag)).toBe(true);
    const updates = sent().filter((m) => m.method === 'UPDATE');
    for (const u of updates) {
      expect(u.headers.get('Session-Expires')).toBe('120;refresher=uac');
      expect(u.body.length).toBe(0);
      expect(u.headers.getAll('Route').length).toBeGreaterThan(0);
    }
    expect(updates[1]?.cseq.seq).toBe((updates[0]?.cseq.seq ?? 0) + 1);

    alice.calls.hangUp(call.id);
    const done = await uas.done;
    expect(done.code, done.stdout + done.stderr).toBe(0);
    expect(alice.calls.get(call.id)).toMatchObject({ state: 'ended', endReason: 'hung up' });
  }, 60_000);
});
