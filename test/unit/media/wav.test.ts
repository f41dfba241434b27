import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { decodeAlaw, decodeMulaw, encodeAlaw, encodeMulaw } from '../../../main/media/g711.ts';
import { readWav, toFrames } from '../../../main/media/wav.ts';

const fixture = fileURLToPath(new URL('../../fixtures/audio/callwaiting.wav', import.meta.url));

/** builds a RIFF WAVE file from chunks (id, body), adding the pad byte after odd-sized bodies */
function riff(chunks: [string, Uint8Array][]): Uint8Array {
  const parts: number[] = [...'WAVE'].map((c) => c.charCodeAt(0));
  for (const [id, body] of chunks) {
    parts.push(...[...id].map((c) => c.charCodeAt(0)), body.length & 0xff, (body.length >> 8) & 0xff, 0, 0, ...body);
    if (body.length % 2 === 1) parts.push(0);
  }
  const size = parts.length;
  return Uint8Array.from([0x52, 0x49, 0x46, 0x46, size & 0xff, (size >> 8) & 0xff, 0, 0, ...parts]);
}

function fmt(format: number, channels: number, rate: number, bits: number): Uint8Array {
  const b = new Uint8Array(16);
  const v = new DataView(b.buffer);
  v.setUint16(0, format, true);
  v.setUint16(2, channels, true);
  v.setUint32(4, rate, true);
  v.setUint32(8, (rate * channels * bits) / 8, true);
  v.setUint16(12, (channels * bits) / 8, true);
  v.setUint16(14, bits, true);
  return b;
}

describe('WAV reader (RIFF chunks, 16-bit PCM)', () => {
  it("parses baresip's callwaiting.wav: 8 kHz mono 16-bit, 40187 samples", () => {
    const r = readWav(new Uint8Array(readFileSync(fixture)));
    if (!r.ok) throw new Error(r.error);
    expect(r.wav).toMatchObject({ sampleRate: 8000, channels: 1, bitsPerSample: 16 });
    expect(r.wav.samples.length).toBe(40187);
    expect(Array.from(r.wav.samples.subarray(0, 6))).toEqual([0, 8704, 16640, 22273, 25598, 25602]);
    expect(Math.max(...r.wav.samples)).toBe(26117);
    expect(toFrames(r.wav.samples)).toHaveLength(252); // 40187 / 160 rounded up
  });

  it('callwaiting.wav survives a G.711 round trip (µ-law and A-law) at > 30 dB SNR', () => {
    const r = readWav(new Uint8Array(readFileSync(fixture)));
    if (!r.ok) throw new Error(r.error);
    const x = r.wav.samples;
    for (const out of [decodeMulaw(encodeMulaw(x)), decodeAlaw(encodeAlaw(x))]) {
      let sig = 0;
      let noise = 0;
      for (let i = 0; i < x.length; i++) {
        sig += (x[i] ?? 0) ** 2;
        noise += ((x[i] ?? 0) - (out[i] ?? 0)) ** 2;
      }
      expect(10 * Math.log10(sig / noise)).toBeGreaterThan(30);
    }
  });

  it('skips unknown chunks (including an odd-sized one with its pad byte) before data', () => {
    const data = Uint8Array.of(0x01, 0x00, 0xff, 0xff, 0x00, 0x80);
    const r = readWav(riff([['fmt ', fmt(1, 1, 8000, 16)], ['LIST', Uint8Array.of(1, 2, 3)], ['data', data]]));
    expect(r.ok && Array.from(r.wav.samples)).toEqual([1, -1, -32768]);
  });

  it('MUST reject non-RIFF input, non-16-bit encodings and a data chunk before fmt with a result', () => {
    expect(readWav(new TextEncoder().encode('hello world, not a wav'))).toEqual({ ok: false, error: 'not a RIFF WAVE file' });
    expect(readWav(riff([['fmt ', fmt(1, 1, 8000, 8)], ['data', Uint8Array.of(1, 2)]]))).toMatchObject({ ok: false, error: expect.stringContaining('unsupported') });
    expect(readWav(riff([['fmt ', fmt(7, 1, 8000, 8)], ['data', Uint8Array.of(1, 2)]])).ok).toBe(false);
    expect(readWav(riff([['data', Uint8Array.of(1, 2)]]))).toEqual({ ok: false, error: 'data chunk before fmt chunk' });
    expect(readWav(riff([['fmt ', fmt(1, 1, 8000, 16)]]))).toEqual({ ok: false, error: 'no data chunk' });
  });

  it('zero-pads the last 20 ms frame', () => {
    const frames = toFrames(Int16Array.from({ length: 170 }, (_, i) => i + 1));
    expect(frames).toHaveLength(2);
    expect(frames[1]?.[9]).toBe(170);
    expect(frames[1]?.[10]).toBe(0);
  });
});
