/**
 * An SRTP call (RFC 3711, SDES keys RFC 4568) from our stack to baresip (its srtp module with
 * mediaenc=srtp-mand: it accepts RTP/SAVP only) through Kamailio: the offer is RTP/SAVP with our crypto
 * lines, baresip answers with its key, both sides hear each other (what we decode correlates with the
 * WAV baresip sends; baresip decodes our tone), the RTP on the wire is not G.711 in clear, and the call
 * reports `encrypted`. Then the same baresip refuses a call from an account without SRTP (488) and we
 * say so.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Baresip } from '../support/baresip.ts';
import { startBaresipOnFreePorts } from '../support/baresip-ports.ts';
import type { RunningKamailio } from '../support/kamailio.ts';
import { waitFor } from '../support/peers.ts';
import { baresipHeard, bestCorrelation, loudWavWindows, loudWindowsMatch, makeCallRig, rms, tapSentPcmu, toneFrames, toneFramesMatch, wavSamples, loopedWavPath, type CallRig } from './call-kit.ts';
import { startKamailioOnFreePorts } from './register-kit.ts';

let kamailio: RunningKamailio;
let baresip: Baresip;
let alice: CallRig;
let carol: CallRig;

beforeAll(async () => {
  const started = await startKamailioOnFreePorts(31_200, 200);
  kamailio = started.kamailio;
  // ports with retry on collision: ready once baresip's own PID owns them (baresip-ports.ts)
  baresip = await startBaresipOnFreePorts(() => {
    const base = 31_500 + 2 * Math.floor(Math.random() * 100);
    return {
      user: 'bob', password: 'bob-secret', proxyPort: started.sipPort, sipPort: base, ctrlPort: base + 250, rtpPort: 32_000 + 100 * Math.floor(Math.random() * 20),
      contact: 'sip:alice@example.test', audioFile: loopedWavPath(), answerMode: 'auto', recordReceived: true, mediaEncryption: 'srtp-mand',
    };
  });
  alice = await makeCallRig({ user: 'alice', password: 'alice-secret', sipPort: started.sipPort, srtp: 'required' });
  carol = await makeCallRig({ user: 'carol', password: 'carol-secret', sipPort: started.sipPort });
}, 40_000);

afterAll(async () => {
  await alice?.close().catch(() => undefined);
  await carol?.close().catch(() => undefined);
  await baresip?.stop();
  await kamailio?.stop();
}, 30_000);

describe('SRTP call to baresip through Kamailio (RFC 3711, RFC 4568)', () => {
  it('RTP/SAVP both ways: each side hears the other, the wire carries no clear G.711, the call says encrypted', async () => {
    const call = await alice.calls.place(null, 'sip:bob@example.test');
    await waitFor(() => alice.calls.get(call.id).state === 'connected', 'the SRTP call to connect', 10_000);
    expect(alice.calls.get(call.id).encrypted).toBe(true);
    const media = alice.calls.media(call.id);
    // packets the peer sent before we applied its answer (its SRTP key and our payload types come with it) are
    // dropped as unknown: under load that is a few at call start. From here on every one must authenticate.
    const discardedBeforeAnswer = media?.stats().packetsDiscarded ?? 0;
    const session = alice.calls.session(call.id);
    expect(session?.sdp.current?.local.media[0]?.proto).toBe('RTP/SAVP');
    const wire = tapSentPcmu(() => session?.sdp.current?.audio.remotePort);
    // 2 s each way, and 5 loud windows of baresip's WAV decoded (call-kit.ts loudWavWindows)
    await waitFor(
      () => (media?.stats().packetsReceived ?? 0) > 100 && (media?.stats().packetsSent ?? 0) > 100 && loudWavWindows(alice.audio.samples(call.id)) >= 5,
      '2 s of SRTP each way and 5 loud windows of the WAV',
      20_000,
    );
    wire.stop();

    // we decode baresip's WAV through SRTP: loud, and a loud stretch of it is found in the WAV
    const heard = alice.audio.samples(call.id);
    expect(rms(heard)).toBeGreaterThan(300);
    // median of its loud 50 ms windows, each found in the WAV (a late packet under load splices one, call-kit.ts)
    const wavMatch = loudWindowsMatch(heard, wavSamples());
    const match = { r: wavMatch.median };
    // baresip decodes our tone through SRTP (its sndfile dump after decryption)
    const heardByBaresip = baresipHeard(baresip.dir);
    const theirs = rms(heardByBaresip.subarray(Math.max(0, heardByBaresip.length - 16_000)));
    // and it is our tone, not just loud noise: its loud 20 ms frames each found in the tone (call-kit.ts)
    const bob = toneFramesMatch(heardByBaresip);
    // what went to baresip's port, read as if it were clear PCMU: noise-like ciphertext, never our tone
    const asClear = wire.samples();
    const tone = Int16Array.from(toneFrames(1).flatMap((f) => [...f]));
    const clearMatch = bestCorrelation(asClear.subarray(asClear.length - 1600), tone);
    console.info(`SRTP call: median correlation of ${String(wavMatch.windows)} loud 50 ms windows with the WAV ${match.r.toFixed(3)} (lowest ${wavMatch.lowest.toFixed(3)}); baresip heard rms ${theirs.toFixed(0)}, median correlation of its ${String(bob.windows)} loud 20 ms frames with our tone ${bob.median.toFixed(3)} (lowest ${bob.lowest.toFixed(3)}); the wire read as clear PCMU correlates ${clearMatch.r.toFixed(3)} with our tone`);
    expect(asClear.length).toBeGreaterThan(1600);
    expect(clearMatch.r).toBeLessThan(0.5);
    expect(wavMatch.windows).toBeGreaterThanOrEqual(5);
    expect(match.r).toBeGreaterThan(0.8);
    expect(theirs).toBeGreaterThan(1000);
    expect(bob.windows).toBeGreaterThanOrEqual(10);
    expect(bob.median).toBeGreaterThan(0.8);
    expect((media?.stats().packetsDiscarded ?? 0) - discardedBeforeAnswer).toBeLessThan(5);
    alice.calls.hangUp(call.id);
    await waitFor(() => alice.calls.get(call.id).state === 'ended', 'the call to end', 10_000);
  });

  it('an account without SRTP calling a peer that requires it: the call fails with a reason, never in clear', async () => {
    const call = await carol.calls.place(null, 'sip:bob@example.test');
    await waitFor(() => carol.calls.get(call.id).state === 'ended', 'the refused call to end', 15_000);
    const ended = carol.calls.get(call.id);
    expect(ended.encrypted).toBe(false);
    expect(ended.endReason).toMatch(/488|not acceptable/i);
  });
});
