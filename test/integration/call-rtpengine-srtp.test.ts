/**
 * SRTP↔RTP bridging by a media relay: our SRTP-required account (RFC 3711, SDES keys RFC 4568) calls
 * baresip, which has no srtp module and speaks plain RTP/AVP only, through Kamailio with its rtpengine
 * module (WITH_RTPENGINE in test/fixtures/kamailio/kamailio.cfg): rtpengine_offer() turns our RTP/SAVP offer
 * into RTP/AVP for baresip, rtpengine_answer() turns baresip's RTP/AVP answer into RTP/SAVP with rtpengine's
 * own key. Proves: the call says encrypted and our leg is RTP/SAVP towards an rtpengine port; what we send
 * there, read as if it were clear PCMU, does not correlate with our tone; baresip decodes our tone (rtpengine
 * decrypted it); we decode baresip's WAV (rtpengine encrypted it for us).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Baresip } from '../support/baresip.ts';
import { startBaresipOnFreePorts } from '../support/baresip-ports.ts';
import type { RunningKamailio } from '../support/kamailio.ts';
import { waitFor } from '../support/peers.ts';
import { startRtpengineOnFreePorts, type RunningRtpengine } from '../support/rtpengine.ts';
import { baresipHeard, bestCorrelation, loudWavWindows, loudWindowsMatch, makeCallRig, rms, tapSentPcmu, toneFrames, toneFramesMatch, wavSamples, loopedWavPath, type CallRig } from './call-kit.ts';
import { startKamailioOnFreePorts } from './register-kit.ts';

let rtpengine: RunningRtpengine;
let kamailio: RunningKamailio;
let baresip: Baresip;
let alice: CallRig;

beforeAll(async () => {
  rtpengine = await startRtpengineOnFreePorts(37_000, 200);
  const started = await startKamailioOnFreePorts(36_600, 200, { rtpengineNgPort: rtpengine.ngPort });
  kamailio = started.kamailio;
  // ports with retry on collision: ready once baresip's own PID owns them (baresip-ports.ts)
  baresip = await startBaresipOnFreePorts(() => {
    const base = 36_810 + 2 * Math.floor(Math.random() * 60);
    return {
      user: 'bob', password: 'bob-secret', proxyPort: started.sipPort, sipPort: base, ctrlPort: base + 150, rtpPort: 38_400 + 100 * Math.floor(Math.random() * 10),
      contact: 'sip:alice@example.test', audioFile: loopedWavPath(), answerMode: 'auto', recordReceived: true,
    };
  });
  alice = await makeCallRig({ user: 'alice', password: 'alice-secret', sipPort: started.sipPort, srtp: 'required' });
}, 60_000);

afterAll(async () => {
  await alice?.close().catch(() => undefined);
  await baresip?.stop();
  await kamailio?.stop();
  await rtpengine?.stop();
}, 30_000);

describe('SRTP to rtpengine, plain RTP from rtpengine to baresip (RFC 3711, RFC 4568)', () => {
  it('our leg is encrypted, the relay bridges to RTP/AVP, each side hears the other', async () => {
    const call = await alice.calls.place(null, 'sip:bob@example.test');
    await waitFor(() => alice.calls.get(call.id).state === 'connected', 'the bridged SRTP call to connect', 15_000);
    expect(alice.calls.get(call.id).encrypted).toBe(true);
    const media = alice.calls.media(call.id);
    // packets the peer sent before we applied its answer (its SRTP key and our payload types come with it) are
    // dropped as unknown: under load that is a few at call start. From here on every one must authenticate.
    const discardedBeforeAnswer = media?.stats().packetsDiscarded ?? 0;
    const session = alice.calls.session(call.id);
    expect(session?.sdp.current?.local.media[0]?.proto).toBe('RTP/SAVP');
    expect(session?.sdp.current?.remote.media[0]?.proto).toBe('RTP/SAVP');
    // the answer we got is rtpengine's: its media port lies in rtpengine's private range
    const relayPort = session?.sdp.current?.audio.remotePort ?? 0;
    expect(relayPort).toBeGreaterThanOrEqual(rtpengine.portMin);
    expect(relayPort).toBeLessThanOrEqual(rtpengine.portMax);
    const wire = tapSentPcmu(() => session?.sdp.current?.audio.remotePort);
    // 2 s each way, and 5 loud windows of baresip's WAV decoded (call-kit.ts loudWavWindows)
    await waitFor(
      () => (media?.stats().packetsReceived ?? 0) > 100 && (media?.stats().packetsSent ?? 0) > 100 && loudWavWindows(alice.audio.samples(call.id)) >= 5,
      '2 s of SRTP each way and 5 loud windows of the WAV',
      20_000,
    );
    wire.stop();

    // we decode baresip's WAV, which rtpengine encrypted for us: loud, and found in the WAV
    const heard = alice.audio.samples(call.id);
    expect(rms(heard)).toBeGreaterThan(300);
    // median of its loud 50 ms windows, each found in the WAV (a late packet under load splices one, call-kit.ts)
    const wavMatch = loudWindowsMatch(heard, wavSamples());
    const match = { r: wavMatch.median };
    // baresip (plain RTP, no srtp module loaded) decodes our tone: rtpengine decrypted it
    const heardByBaresip = baresipHeard(baresip.dir);
    const theirs = rms(heardByBaresip.subarray(Math.max(0, heardByBaresip.length - 16_000)));
    // what we sent to rtpengine, read as if it were clear PCMU: ciphertext, never our tone
    const asClear = wire.samples();
    const tone = Int16Array.from(toneFrames(1).flatMap((f) => [...f]));
    const clearMatch = bestCorrelation(asClear.subarray(asClear.length - 1600), tone);
    // and what baresip decoded is our 440 Hz tone itself, not just loud noise: its loud 20 ms frames (call-kit.ts)
    const bob = toneFramesMatch(heardByBaresip);
    const bobMatch = { r: bob.median };
    console.info(`rtpengine SRTP↔RTP: median correlation of ${String(wavMatch.windows)} loud 50 ms windows with the WAV ${match.r.toFixed(3)} (lowest ${wavMatch.lowest.toFixed(3)}); baresip heard rms ${theirs.toFixed(0)}, median correlation of its ${String(bob.windows)} loud 20 ms frames with our tone ${bobMatch.r.toFixed(3)} (lowest ${bob.lowest.toFixed(3)}); our wire read as clear PCMU correlates ${clearMatch.r.toFixed(3)} with our tone`);
    expect(asClear.length).toBeGreaterThan(1600);
    expect(clearMatch.r).toBeLessThan(0.5);
    expect(wavMatch.windows).toBeGreaterThanOrEqual(5);
    expect(match.r).toBeGreaterThan(0.8);
    expect(theirs).toBeGreaterThan(1000);
    expect(bob.windows).toBeGreaterThanOrEqual(10);
    expect(bobMatch.r).toBeGreaterThan(0.8);
    expect((media?.stats().packetsDiscarded ?? 0) - discardedBeforeAnswer).toBeLessThan(5);
    // baresip's leg was plain RTP/AVP: the offer rtpengine relayed to it carried no crypto
    // baresip's leg was plain RTP (it runs without the srtp module: RTP/AVP is all it can answer) and its
    // media came from rtpengine, not from us
    const bobLog = baresip.log();
    expect(bobLog).not.toMatch(/srtp/i);
    const from = /incoming rtp for 'audio' established, receiving from 127\.0\.0\.1:(\d+)/.exec(bobLog);
    const bobPeerPort = Number(from?.[1] ?? 0);
    expect(bobPeerPort).toBeGreaterThanOrEqual(rtpengine.portMin);
    expect(bobPeerPort).toBeLessThanOrEqual(rtpengine.portMax);
    expect(rtpengine.log()).toMatch(/Received command 'answer'/);
    alice.calls.hangUp(call.id);
    await waitFor(() => alice.calls.get(call.id).state === 'ended', 'the call to end', 10_000);
  });
});
