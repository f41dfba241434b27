/**
 * A peer that vanishes mid-call (baresip killed with SIGKILL: no BYE, no RTCP BYE, no more RTP) ends our
 * call as "connection lost" after the RTP/RTCP inactivity timeout (here 1.5 s instead of the default 30 s),
 * and the media stops sending.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Baresip } from '../support/baresip.ts';
import { startBaresipOnFreePorts } from '../support/baresip-ports.ts';
import type { RunningKamailio } from '../support/kamailio.ts';
import { waitFor } from '../support/peers.ts';
import { makeCallRig, loopedWavPath, type CallRig } from './call-kit.ts';
import { startKamailioOnFreePorts } from './register-kit.ts';

let kamailio: RunningKamailio;
let baresip: Baresip;
let alice: CallRig;
const TIMEOUT_MS = 1_500;

beforeAll(async () => {
  const started = await startKamailioOnFreePorts(31_000, 200);
  kamailio = started.kamailio;
  // ports with retry on collision: ready once baresip's own PID owns them (baresip-ports.ts)
  baresip = await startBaresipOnFreePorts(() => {
    const base = 31_300 + 2 * Math.floor(Math.random() * 100);
    return {
      user: 'bob', password: 'bob-secret', proxyPort: started.sipPort, sipPort: base, ctrlPort: base + 250, rtpPort: 31_800 + 100 * Math.floor(Math.random() * 2),
      contact: 'sip:alice@example.test', audioFile: loopedWavPath(), answerMode: 'auto',
    };
  });
  alice = await makeCallRig({ user: 'alice', password: 'alice-secret', sipPort: started.sipPort, inactivityTimeoutMs: TIMEOUT_MS });
}, 40_000);

afterAll(async () => {
  await alice?.close().catch(() => undefined);
  await baresip?.stop();
  await kamailio?.stop();
}, 30_000);

describe('dead-peer detection by RTP/RTCP inactivity', () => {
  it('a killed baresip ends the call as "connection lost", with one ended event', async () => {
    const call = await alice.calls.place(null, 'sip:bob@example.test');
    await waitFor(() => alice.calls.get(call.id).state === 'connected', 'the call to connect', 8_000);
    const media = alice.calls.media(call.id);
    // media really flows first (more than the timeout's worth of packets), so the check is not trivially firing
    await waitFor(() => (media?.stats().packetsReceived ?? 0) > (TIMEOUT_MS / 20) * 1.5, 'RTP from baresip', 8_000);
    expect(alice.calls.get(call.id).state).toBe('connected');
    process.kill(baresip.pid, 'SIGKILL');
    await waitFor(() => alice.calls.get(call.id).state === 'ended', 'the call to end after the inactivity timeout', 15_000);
    expect(alice.calls.get(call.id).endReason).toBe('connection lost');
    const ended = alice.changes.filter((c) => c.id === call.id && c.state === 'ended');
    expect(ended.map((c) => c.endReason)).toEqual(['connection lost']);
    // the media is closed (its pacer stopped, a re-offer refused), so nothing more goes out
    expect(() => media?.start(undefined as never, undefined as never)).toThrow('MediaSession is closed');
  }, 30_000);
});
