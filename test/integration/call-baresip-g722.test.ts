/**
 * Wideband calls (issue 13): G.722 (ITU-T G.722, 16 kHz sampling, RTP clock 8000 per RFC 3551 §4.5.2)
 * between our stack and baresip (its g722 module, spandsp's codec) through Kamailio, both ways. The audio
 * on each side is two tones, one of them above 4 kHz, which G.711's 8 kHz sampling cannot carry: hearing
 * it proves the 16 kHz path end to end. Checked: payload type 9 (160 octets per 20 ms) on the wire in
 * both directions, what we decode at 16 kHz correlates with the WAV baresip sends and holds its 5.5 kHz
 * tone, what baresip decodes (its sndfile dump, 16 kHz) holds our 6 kHz tone, and the call says G.722/HD.
 * baresip loads g711 before g722, so its own offer lists PCMU/PCMA first: we still choose G.722.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CallId } from '#shared/domain/ids.ts';
import type { Baresip } from '../support/baresip.ts';
import { startBaresipOnFreePorts } from '../support/baresip-ports.ts';
import type { RunningKamailio } from '../support/kamailio.ts';
import { tempDir, waitFor } from '../support/peers.ts';
import { baresipHeard, bestCorrelation, makeCallRig, rms, type CallRig } from './call-kit.ts';
import { startKamailioOnFreePorts } from './register-kit.ts';
import { baresipDumpRate, level, tapRtp, twoToneFrames, twoTones, writeWav } from './wideband-kit.ts';

let kamailio: RunningKamailio;
let baresip: Baresip;
let alice: CallRig;
/** what baresip sends: 1 kHz + 5.5 kHz at 16 kHz */
const theirs = twoTones(1000, 5500, 2);

beforeAll(async () => {
  const started = await startKamailioOnFreePorts(33_200, 200);
  kamailio = started.kamailio;
  // baresip hangs up when its aufile source ends: a minute of the tones
  const wav = writeWav(join(tempDir('g722-wav'), 'two-tones-16k.wav'), twoTones(1000, 5500, 60), 16000);
  // ports with retry on collision: ready once baresip's own PID owns them (baresip-ports.ts)
  baresip = await startBaresipOnFreePorts(() => {
    const base = 33_500 + 2 * Math.floor(Math.random() * 100);
    return {
      user: 'bob', password: 'bob-secret', proxyPort: started.sipPort, sipPort: base, ctrlPort: base + 250, rtpPort: 34_000 + 100 * Math.floor(Math.random() * 20),
      contact: 'sip:alice@example.test', audioFile: wav, answerMode: 'auto', recordReceived: true, codecs: ['g711', 'g722'],
    };
  });
  // our "microphone": 700 Hz + 6 kHz at 16 kHz
  alice = await makeCallRig({ user: 'alice', password: 'alice-secret', sipPort: started.sipPort, sampleRate: 16000, source: () => twoToneFrames(700, 6000, 1) });
}, 40_000);

afterAll(async () => {
  await alice?.close().catch(() => undefined);
  await baresip?.stop();
  await kamailio?.stop();
}, 30_000);

const LONG = 20_000;

/** the loudest 100 ms (1600 samples at 16 kHz) of decoded audio, after the first half second */
function loudestWindow(heard: Int16Array): Int16Array {
  let start = 8000;
  let loudest = 0;
  for (let i = 8000; i + 1600 <= heard.length; i += 800) {
    const l = rms(heard.subarray(i, i + 1600));
    if (l > loudest) [loudest, start] = [l, i];
  }
  return heard.subarray(start, start + 1600);
}

async function provesWideband(id: CallId): Promise<void> {
  const session = alice.calls.session(id);
  const media = alice.calls.media(id);
  expect(session?.sdp.current?.audio.codec).toMatchObject({ name: 'G722', payloadType: 9, sampleRate: 16000 });
  expect(alice.calls.get(id)).toMatchObject({ codec: 'G.722', wideband: true });
  const tap = tapRtp(() => media?.localPort, () => session?.sdp.current?.audio.remotePort);
  try {
    // wait for the media itself: 50 packets each way on the wire, a second decoded here and by baresip
    await waitFor(
      () => tap.sent.length >= 50 && tap.received.length >= 50 && alice.audio.samples(id).length >= 32_000 && baresipHeard(baresip.dir).length >= 16_000,
      'G.722 both ways',
      LONG,
    ).catch((e: unknown) => {
      const counts = `sent ${tap.sent.length}, received ${tap.received.length}, decoded ${alice.audio.samples(id).length}, baresip decoded ${baresipHeard(baresip.dir).length}`;
      throw new Error(`${(e as Error).message} (${counts})\n${baresip.log().slice(-3000)}`, { cause: e });
    });
  } finally {
    tap.stop();
  }
  // RFC 3551 §4.5.2: payload type 9, 64 kbit/s = 160 octets per 20 ms, both directions
  expect(new Set(tap.sent.map((p) => `${p.payloadType}/${p.payloadLength}`))).toEqual(new Set(['9/160']));
  expect(new Set(tap.received.map((p) => `${p.payloadType}/${p.payloadLength}`))).toEqual(new Set(['9/160']));

  const heard = alice.audio.samples(id);
  const window = loudestWindow(heard);
  const match = bestCorrelation(window, theirs);
  const ours = { low: level(window, 1000, 16000), high: level(window, 5500, 16000) };
  const byBaresip = baresipHeard(baresip.dir);
  // its loudest 100 ms: our pacer may miss a 20 ms slot on a busy machine (silence goes out then)
  const tail = loudestWindow(byBaresip);
  const rate = baresipDumpRate(baresip.dir);
  const theirLevels = { low: level(tail, 700, 16000), high: level(tail, 6000, 16000) };
  console.info(
    `G.722 call: we decode rms ${rms(window).toFixed(0)}, correlation with baresip's WAV ${match.r.toFixed(3)}, 1 kHz ${ours.low.toFixed(0)} / 5.5 kHz ${ours.high.toFixed(0)}; ` +
      `baresip decodes at ${rate} Hz: 700 Hz ${theirLevels.low.toFixed(0)} / 6 kHz ${theirLevels.high.toFixed(0)} (sent 4000 each); packets sent ${tap.sent.length}, received ${tap.received.length}`,
  );
  expect(match.r).toBeGreaterThan(0.9);
  // both tones at about their level: the 5.5 kHz one exists only in a 16 kHz path
  expect(ours.low).toBeGreaterThan(2500);
  expect(ours.high).toBeGreaterThan(2500);
  expect(rate).toBe(16000);
  expect(theirLevels.low).toBeGreaterThan(2500);
  expect(theirLevels.high).toBeGreaterThan(2500);
}

describe('G.722 call with baresip through Kamailio (RFC 3551 §4.5.2, ITU-T G.722)', () => {
  it('we call: our offer lists G.722 first, baresip answers it; wideband both ways', async () => {
    const call = await alice.calls.place(null, 'sip:bob@example.test');
    await waitFor(() => alice.calls.get(call.id).state === 'connected', 'the call to connect', LONG);
    const offer = alice.calls.session(call.id)?.sdp.current?.local.media[0];
    expect(offer?.formats.slice(0, 3)).toEqual(['9', '0', '8']);
    await provesWideband(call.id);
    alice.calls.hangUp(call.id);
    await waitFor(() => alice.calls.get(call.id).state === 'ended', 'the call to end', LONG);
  }, 90_000);

  it('baresip calls: its offer lists G.711 first, we answer G.722; wideband both ways', async () => {
    const known = new Set(alice.calls.list().map((c) => c.id));
    await baresip.command('dial', 'sip:alice@example.test');
    let id: CallId | null = null;
    await waitFor(() => {
      id = (alice.calls.list().find((c) => c.state === 'incoming' && !known.has(c.id))?.id as CallId | undefined) ?? null;
      return id !== null;
    }, 'the incoming call', LONG);
    if (id === null) throw new Error('no incoming call');
    const callId: CallId = id;
    const offered = alice.calls.session(callId)?.sdp;
    await alice.calls.answer(callId);
    await waitFor(() => alice.calls.get(callId).state === 'connected', 'the call to connect', LONG);
    const remote = offered?.current?.remote.media[0];
    console.info(`baresip offered formats ${remote?.formats.join(' ')}`);
    expect(remote?.formats.indexOf('9')).toBeGreaterThan(remote?.formats.indexOf('0') ?? 99);
    await provesWideband(callId);
    alice.calls.hangUp(callId);
    await waitFor(() => alice.calls.get(callId).state === 'ended', 'the call to end', LONG);
  }, 90_000);
});
