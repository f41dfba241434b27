/**
 * G.722 (ITU-T G.722, 64 kbit/s) against reference vectors computed independently by spandsp, the
 * G.722 that baresip's g722 module links (test/fixtures/audio/g722/gen.c made them: 3200 samples of
 * tones + noise and a full-scale alternating stretch for the saturation paths; encoded, then decoded).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { G722Decoder, G722Encoder } from '../../../main/media/g722.ts';

const dir = new URL('../../fixtures/audio/g722/', import.meta.url);
const bytes = (name: string) => new Uint8Array(readFileSync(new URL(name, dir)));
const samples = (name: string) => {
  const b = readFileSync(new URL(name, dir));
  return new Int16Array(b.buffer, b.byteOffset, b.length / 2);
};

describe('G.722 (ITU-T G.722 sub-band ADPCM, mode 1)', () => {
  it('the encoder MUST produce spandsp\'s octets bit for bit', () => {
    const code = new G722Encoder().encode(samples('pcm.bin'));
    const ref = bytes('g722.bin');
    expect(code.length).toBe(ref.length);
    const firstDiff = code.findIndex((v, i) => v !== ref[i]);
    expect(firstDiff).toBe(-1);
  });

  it('the decoder MUST produce spandsp\'s samples bit for bit, except that on overload it saturates where spandsp wraps', () => {
    const pcm = new G722Decoder().decode(bytes('g722.bin'));
    const ref = samples('decoded.bin');
    expect(pcm.length).toBe(ref.length);
    // the tones-and-noise part: identical
    expect(pcm.subarray(0, 2400)).toEqual(ref.subarray(0, 2400));
    // the full-scale part: spandsp truncates the QMF output to 16 bits (an overload click: +32804 comes out
    // as -32732); we clamp it (ITU-T G.722 limits the output). Every other sample is identical.
    let same = 0;
    for (let i = 0; i < pcm.length; i++) {
      const ours = pcm[i] as number;
      const theirs = ref[i] as number;
      if (ours === theirs) same++;
      else expect(ours === 32767 ? theirs < 0 : ours === -32768 && theirs > 0, `sample ${i}: ${ours} vs ${theirs}`).toBe(true);
    }
    expect(same).toBeGreaterThan(pcm.length * 0.9);
  });

  it('state carries across calls: frame by frame equals all at once (20 ms = 320 samples → 160 octets)', () => {
    const pcm = samples('pcm.bin');
    const enc = new G722Encoder();
    const parts: number[] = [];
    for (let i = 0; i < pcm.length; i += 320) parts.push(...enc.encode(pcm.subarray(i, i + 320)));
    expect(Uint8Array.from(parts)).toEqual(bytes('g722.bin'));
  });

  it('a 1 kHz tone survives the round trip (wideband: correlation with the input at the codec delay)', () => {
    const n = 16000;
    const tone = new Int16Array(n);
    for (let i = 0; i < n; i++) tone[i] = Math.round(10000 * Math.sin((2 * Math.PI * 1000 * i) / 16000));
    const out = new G722Decoder().decode(new G722Encoder().encode(tone));
    let best = 0;
    for (let lag = 0; lag < 64; lag++) {
      let dot = 0;
      let e1 = 0;
      let e2 = 0;
      for (let i = 4000; i < 12000; i++) {
        const a = tone[i] as number;
        const b = out[i + lag] as number;
        dot += a * b;
        e1 += a * a;
        e2 += b * b;
      }
      best = Math.max(best, dot / Math.sqrt(e1 * e2));
    }
    expect(best).toBeGreaterThan(0.99);
  });
});
