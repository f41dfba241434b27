/**
 * A call from our stack (alice) to baresip (bob, auto-answer, audio from callwaiting.wav) through
 * Kamailio (record-route, 407 on INVITE): RTP both ways, the G.711 we decode is not silence and matches
 * the WAV baresip sends (normalized cross-correlation), hold and resume by re-INVITE (RFC 3264 §8.4),
 * BYE from us, then a second call that baresip hangs up (BYE from the far end).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CallId } from '#shared/domain/ids.ts';
import type { Baresip } from '../support/baresip.ts';
import { startBaresipOnFreePorts } from '../support/baresip-ports.ts';
import type { RunningKamailio } from '../support/kamailio.ts';
import { waitFor } from '../support/peers.ts';
import { baresipHeard, loudWindowsMatch, makeCallRig, tapSentPcmu, rms, wavSamples, loopedWavPath, type CallRig } from './call-kit.ts';
import { startKamailioOnFreePorts } from './register-kit.ts';

let kamailio: RunningKamailio;
let baresip: Baresip;
let alice: CallRig;

beforeAll(async () => {
  const started = await startKamailioOnFreePorts(26_200, 200);
  kamailio = started.kamailio;
  // ports with retry on collision: ready once baresip's own PID owns them (baresip-ports.ts)
  baresip = await startBaresipOnFreePorts(() => {
    const base = 26_500 + 2 * Math.floor(Math.random() * 100);
    return {
      user: 'bob', password: 'bob-secret', proxyPort: started.sipPort, sipPort: base, ctrlPort: base + 250, rtpPort: 27_000 + 100 * Math.floor(Math.random() * 20),
      contact: 'sip:alice@example.test', audioFile: loopedWavPath(), answerMode: 'auto', recordReceived: true,
    };
  });
  alice = await makeCallRig({ user: 'alice', password: 'alice-secret', sipPort: started.sipPort });
}, 40_000);

afterAll(async () => {
  await alice?.close().catch(() => undefined);
  await baresip?.stop();
  await kamailio?.stop();
}, 30_000);

/** generous: a busy 2-core machine; every wait ends on the event it names */
const LONG = 20_000;

function connected(id: CallId): boolean {
  return alice.calls.get(id).state === 'connected';
}

describe('call to baresip through Kamailio (RFC 3261 §13, RFC 3264, RFC 3550)', () => {
  it('RTP flows both ways; decoded G.711 is not silence and correlates with the WAV; hold/resume; BYE from us', async () => {
    const call = await alice.calls.place(null, 'sip:bob@example.test');
    await waitFor(() => connected(call.id), 'the call to connect', LONG);
    const session = alice.calls.session(call.id);
    // the dialog goes through Kamailio's record-route
    expect(session?.dialog?.describeRouteSet().join()).toMatch(/lr/);
    const media = alice.calls.media(call.id);
    // wait for the media, not a window: 60+ packets each way, baresip receiving us, a second of its
    // WAV decoded here, and our tone in what baresip decoded
    await waitFor(
      () =>
        (media?.stats().packetsSent ?? 0) > 60 &&
        (media?.stats().packetsReceived ?? 0) > 60 &&
        baresip.log().includes(`receiving from 127.0.0.1:${String(media?.localPort)}`) &&
        alice.audio.samples(call.id).length >= 8000 &&
        baresipHeard(baresip.dir).length >= 8000,
      'RTP both ways',
      LONG,
    );
    const stats = media?.stats();
    expect(stats?.packetsSent).toBeGreaterThan(60);
    expect(stats?.packetsReceived).toBeGreaterThan(60);

    // baresip reports RTP arriving from our media port: it receives what we send (our tone)
    expect(baresip.log()).toContain(`incoming rtp for 'audio' established, receiving from 127.0.0.1:${String(media?.localPort)}`);
    const heard = alice.audio.samples(call.id);
    expect(rms(heard)).toBeGreaterThan(300);
    // what we decoded is the WAV baresip reads: 50 ms windows of it, the loud ones (at least half the loudest;
    // the WAV has pauses), each found in the WAV. A packet late on a loaded machine splices the decoded
    // stream (a gap or concealment), so the window straddling a splice matches less (0.84 was seen for a
    // 200 ms stretch at load 12): the median loud window must match, as closely as before
    const match = loudWindowsMatch(heard, wavSamples());
    console.info(`decoded audio: rms ${rms(heard).toFixed(0)}, median correlation of ${String(match.windows)} loud 50 ms windows with the WAV ${match.median.toFixed(3)} (lowest ${match.lowest.toFixed(3)}); RTP sent ${stats?.packetsSent}, received ${stats?.packetsReceived}`);
    expect(match.windows).toBeGreaterThanOrEqual(5);
    expect(match.median).toBeGreaterThan(0.9);

    // what baresip decodes from us (its sndfile filter): our microphone tone (amplitude 8000, rms ~5650)
    const heardByBaresip = baresipHeard(baresip.dir);
    expect(rms(heardByBaresip.subarray(Math.max(0, heardByBaresip.length - 4000)))).toBeGreaterThan(3000);

    // the G.711 we put on the wire to baresip from here on (baresip's sndfile stops dumping after a re-INVITE)
    const wire = tapSentPcmu(() => session?.sdp.current?.audio.remotePort);
    try {
      await waitFor(() => wire.samples().length >= 160 * 20, '20 packets of our tone on the wire', LONG);
      const toneLevel = rms(wire.samples());
      // hold: we offer sendonly (RFC 3264 §8.4) and send silence; baresip answers recvonly; our media stops receiving
      await alice.calls.setHeld(call.id, true);
      expect(alice.calls.get(call.id)).toMatchObject({ state: 'held', onHold: true });
      expect(session?.sdp.current?.audio.direction).toBe('sendonly');
      const receivedAtHold = media?.stats().packetsReceived ?? 0;
      const sentAtHold = wire.samples().length;
      // one second of our own packet clock (50 packets sent while held) is the proof that time passed
      await waitFor(() => wire.samples().length - sentAtHold >= 160 * 50, '50 packets sent while held', LONG);
      expect((media?.stats().packetsReceived ?? 0) - receivedAtHold).toBeLessThan(10);
      // RTP keeps flowing (NAT bindings, the far end's inactivity check) but carries no microphone energy
      const held = wire.samples().subarray(sentAtHold);
      expect(held.length).toBeGreaterThan(160 * 25);
      const heldLevel = rms(held);
      expect(heldLevel).toBeLessThan(toneLevel / 100);

      await alice.calls.setHeld(call.id, false);
      expect(alice.calls.get(call.id)).toMatchObject({ state: 'connected', onHold: false });
      const receivedAtResume = media?.stats().packetsReceived ?? 0;
      const sentAtResume = wire.samples().length;
      await waitFor(
        () => (media?.stats().packetsReceived ?? 0) - receivedAtResume > 15 && wire.samples().length - sentAtResume >= 160 * 20,
        'RTP both ways again after resume',
        LONG,
      );
      const resumedLevel = rms(wire.samples().subarray(sentAtResume));
      console.info(`tone on the wire to baresip: rms ${toneLevel.toFixed(0)} before hold, ${heldLevel.toFixed(1)} while held (${held.length / 160} packets), ${resumedLevel.toFixed(0)} after resume`);
      expect(toneLevel).toBeGreaterThan(3000);
      expect(resumedLevel).toBeGreaterThan(3000);
    } finally {
      wire.stop();
    }

    alice.calls.hangUp(call.id);
    expect(alice.calls.get(call.id)).toMatchObject({ state: 'ended', endReason: 'hung up' });
    await waitFor(() => /terminated|closed|BYE/i.test(baresip.log()), 'baresip to see the BYE', LONG);
  }, 90_000);

  it('BYE from baresip ends our call as "the other side hung up"', async () => {
    const call = await alice.calls.place(null, 'sip:bob@example.test');
    await waitFor(() => connected(call.id), 'the call to connect', LONG);
    // baresip's side is established once its RTP reaches us
    await waitFor(() => (alice.calls.media(call.id)?.stats().packetsReceived ?? 0) > 0, 'RTP from baresip', LONG);
    await baresip.command('hangup');
    await waitFor(() => alice.calls.get(call.id).state === 'ended', 'our call to end', LONG);
    expect(alice.calls.get(call.id).endReason).toBe('the other side hung up');
  }, 60_000);
});
