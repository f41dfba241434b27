/**
 * One call in focus with two real callers (issue 13): baresip bob calls us and we answer; baresip carol
 * calls while bob's call is up and is announced as waiting (bob's call untouched); answering carol puts
 * bob on hold (sendonly re-INVITE, silence on the wire to bob) and only carol is heard; swap resumes
 * bob and holds carol. Bob plays a 600 Hz tone, carol 1000 Hz, we a 440 Hz tone, so the zero-crossing
 * rate of what we play and of what we send tells who is heard and who hears us.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CallId } from '#shared/domain/ids.ts';
import type { Baresip } from '../support/baresip.ts';
import { startBaresipOnFreePorts } from '../support/baresip-ports.ts';
import type { RunningKamailio } from '../support/kamailio.ts';
import { tempDir, waitFor } from '../support/peers.ts';
import { crossingsPerSecond, makeCallRig, rms, tapSentPcmu, writeToneWav, type CallRig } from './call-kit.ts';
import { startKamailioOnFreePorts } from './register-kit.ts';

let kamailio: RunningKamailio;
let bob: Baresip;
let carol: Baresip;
let alice: CallRig;
const dir = tempDir('call-waiting');

beforeAll(async () => {
  const started = await startKamailioOnFreePorts(29_000, 100);
  kamailio = started.kamailio;
  const common = { proxyPort: started.sipPort, contact: 'sip:alice@example.test', answerMode: 'auto' as const };
  // ports with retry on collision: ready once each baresip's own PID owns them (baresip-ports.ts)
  const rtp = 32_000 + 200 * Math.floor(Math.random() * 10);
  const ports = (): { sipPort: number; ctrlPort: number } => {
    const base = 29_200 + 2 * Math.floor(Math.random() * 100);
    return { sipPort: base, ctrlPort: base + 500 };
  };
  const bobWav = writeToneWav(join(dir, 'bob-600.wav'), 600, 60);
  const carolWav = writeToneWav(join(dir, 'carol-1000.wav'), 1000, 60);
  bob = await startBaresipOnFreePorts(() => ({ ...common, ...ports(), rtpPort: rtp, user: 'bob', password: 'bob-secret', audioFile: bobWav }));
  carol = await startBaresipOnFreePorts(() => ({ ...common, ...ports(), rtpPort: rtp + 100, user: 'carol', password: 'carol-secret', audioFile: carolWav }));
  alice = await makeCallRig({ user: 'alice', password: 'alice-secret', sipPort: started.sipPort });
}, 60_000);

afterAll(async () => {
  await alice?.close().catch(() => undefined);
  await bob?.stop();
  await carol?.stop();
  await kamailio?.stop();
}, 30_000);

/** what we played (the speaker) for a call since frame `from` */
const playedSince = (id: CallId, from: number) => (alice.audio.played.get(id) ?? []).length - from;
const playedCount = (id: CallId) => (alice.audio.played.get(id) ?? []).length;
/**
 * The zero-crossing rate of the cleanest 25-frame stretch of the last 100 frames played for a call (on a
 * loaded machine late packets are concealed, which blurs the tone): the tone's rate, or lower.
 */
function toneRate(id: CallId): number {
  const s = lastPlayed(id, 100);
  let best = 0;
  for (let k = 0; k + 4000 <= s.length; k += 800) best = Math.max(best, crossingsPerSecond(s.subarray(k, k + 4000)));
  return best;
}

function lastPlayed(id: CallId, frames: number): Int16Array {
  const f = (alice.audio.played.get(id) ?? []).slice(-frames);
  const out = new Int16Array(f.length * 160);
  f.forEach((x, k) => out.set(x, k * 160));
  return out;
}

async function nextIncoming(known: Set<string>): Promise<CallId> {
  let id: CallId | null = null;
  await waitFor(() => {
    const c = alice.calls.list().find((x) => x.state === 'incoming' && !known.has(x.id));
    id = c?.id ?? null;
    return id !== null;
  }, 'an incoming call', 10_000);
  if (id === null) throw new Error('no incoming call');
  known.add(id);
  return id;
}

describe('call waiting and swap with two baresip callers through Kamailio', () => {
  it('the second caller waits; answering holds the first and only the second is heard; swap turns it around', async () => {
    const known = new Set<string>();
    await bob.command('dial', 'sip:alice@example.test');
    const first = await nextIncoming(known);
    expect(alice.calls.get(first)).toMatchObject({ peer: 'sip:bob@example.test', waiting: false });
    await alice.calls.answer(first);
    await waitFor(() => playedCount(first) > 100, 'bob heard', 10_000);
    // bob's 600 Hz tone: ~1200 crossings a second
    expect(toneRate(first)).toBeGreaterThan(1100);
    expect(toneRate(first)).toBeLessThan(1500);

    await carol.command('dial', 'sip:alice@example.test');
    const second = await nextIncoming(known);
    expect(alice.calls.get(second)).toMatchObject({ peer: 'sip:carol@example.test', state: 'incoming', waiting: true, active: false });
    expect(alice.calls.get(first)).toMatchObject({ state: 'connected', active: true, onHold: false });

    const bobSession = alice.calls.session(first);
    const carolSession = alice.calls.session(second);
    const toBob = tapSentPcmu(() => bobSession?.sdp.current?.audio.remotePort);
    try {
      await alice.calls.answer(second);
      await waitFor(() => alice.calls.get(second).state === 'connected', 'carol connected', 10_000);
      expect(alice.calls.get(first)).toMatchObject({ state: 'held', onHold: true, active: false });
      expect(alice.calls.get(second)).toMatchObject({ active: true, waiting: false });
      expect(bobSession?.sdp.current?.audio.direction).toBe('sendonly');
      const toCarol = tapSentPcmu(() => carolSession?.sdp.current?.audio.remotePort);
      try {
        const bobFrames = playedCount(first);
        const sentToBob = toBob.samples().length;
        await waitFor(() => playedCount(second) > 100 && toCarol.samples().length > 160 * 50, 'carol heard and hearing us', 10_000);
        // only carol reaches the speaker; she gets our 440 Hz microphone, bob (held) silence only
        expect(playedSince(first, bobFrames)).toBe(0);
        expect(toneRate(second)).toBeGreaterThan(1800);
        const carolHears = toCarol.samples().subarray(-160 * 25);
        expect(rms(carolHears)).toBeGreaterThan(1500);
        expect(crossingsPerSecond(carolHears)).toBeLessThan(1100);
        const bobHears = toBob.samples().subarray(sentToBob);
        expect(bobHears.length).toBeGreaterThan(160 * 25);
        expect(rms(bobHears)).toBeLessThan(30);
        console.info(`call waiting: to carol rms ${rms(carolHears).toFixed(0)}, to held bob rms ${rms(bobHears).toFixed(1)} over ${bobHears.length / 160} packets`);

        // swap: resuming bob holds carol first
        await alice.calls.setHeld(first, false);
        expect(alice.calls.get(first)).toMatchObject({ state: 'connected', active: true });
        expect(alice.calls.get(second)).toMatchObject({ state: 'held', active: false });
        const carolFrames = playedCount(second);
        const bobAgain = playedCount(first);
        const sentToCarol = toCarol.samples().length;
        const sentToBob2 = toBob.samples().length;
        await waitFor(() => playedSince(first, bobAgain) > 100 && toBob.samples().length - sentToBob2 > 160 * 50, 'bob heard again', 10_000);
        expect(playedSince(second, carolFrames)).toBe(0);
        expect(toneRate(first)).toBeGreaterThan(1100);
        expect(toneRate(first)).toBeLessThan(1500);
        expect(rms(toBob.samples().subarray(-160 * 25))).toBeGreaterThan(1500);
        expect(rms(toCarol.samples().subarray(sentToCarol))).toBeLessThan(30);
      } finally {
        toCarol.stop();
      }
    } finally {
      toBob.stop();
    }
    alice.calls.hangUp(first);
    alice.calls.hangUp(second);
    expect(alice.calls.list().every((c) => c.state === 'ended')).toBe(true);
  }, 90_000);
});
