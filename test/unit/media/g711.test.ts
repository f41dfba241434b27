import { describe, expect, it } from 'vitest';
import {
  alawToLinearSample,
  decodeAlaw,
  decodeMulaw,
  encodeAlaw,
  encodeMulaw,
  linearToAlawSample,
  linearToMulawSample,
  mulawToLinearSample,
} from '../../../main/media/g711.ts';

const all16 = (): Int16Array => {
  const a = new Int16Array(65536);
  for (let i = 0; i < 65536; i++) a[i] = i - 32768;
  return a;
};

function snrDb(ref: Int16Array, out: Int16Array): number {
  let sig = 0;
  let noise = 0;
  for (let i = 0; i < ref.length; i++) {
    const r = ref[i] ?? 0;
    sig += r * r;
    noise += (r - (out[i] ?? 0)) ** 2;
  }
  return 10 * Math.log10(sig / noise);
}

const sine = (amp: number): Int16Array => Int16Array.from({ length: 8000 }, (_, i) => Math.round(amp * Math.sin((2 * Math.PI * 1000 * i) / 8000 + 0.3)));

describe('G.711 µ-law (ITU-T G.711 Table 2)', () => {
  it('MUST code linear zero as 0xFF and decode both zero codes 0xFF and 0x7F to 0', () => {
    expect(linearToMulawSample(0)).toBe(0xff);
    expect(mulawToLinearSample(0xff)).toBe(0);
    expect(mulawToLinearSample(0x7f)).toBe(0);
  });
  it('MUST decode the extremes 0x80 → +32124 and 0x00 → -32124 and clip full scale onto them', () => {
    expect(mulawToLinearSample(0x80)).toBe(32124);
    expect(mulawToLinearSample(0x00)).toBe(-32124);
    expect(linearToMulawSample(32767)).toBe(0x80);
    expect(linearToMulawSample(-32768)).toBe(0x00);
  });
  it('MUST place segment boundaries at magnitudes 124, 380, 892, 1916, 3964, 8060, 16252', () => {
    const edges = [124, 380, 892, 1916, 3964, 8060, 16252];
    edges.forEach((m, seg) => {
      // below the edge: top of segment seg (mantissa 15); at the edge: next segment, mantissa 0
      expect(~linearToMulawSample(m - 1) & 0x7f).toBe((seg << 4) | 0x0f);
      expect(~linearToMulawSample(m) & 0x7f).toBe((seg + 1) << 4);
    });
    // decoded segment starts: 132·2^s − 132
    expect([0, 1, 2, 3, 4, 5, 6, 7].map((s) => mulawToLinearSample(~(s << 4) & 0xff))).toEqual([0, 132, 396, 924, 1980, 4092, 8316, 16764]);
  });
  it('MUST decode within half a quantization step for every 16-bit input (clip region excepted)', () => {
    const input = all16();
    const out = decodeMulaw(encodeMulaw(input));
    for (let i = 0; i < input.length; i++) {
      const x = input[i] ?? 0;
      const m = Math.min(Math.abs(x), 32635);
      const seg = Math.max(0, Math.floor(Math.log2((m + 132) >> 7)));
      const bound = (1 << (seg + 2)) + (Math.abs(x) - m);
      expect(Math.abs((out[i] ?? 0) - x)).toBeLessThanOrEqual(bound);
    }
  });
  it('table encoder MUST agree with the arithmetic encoder and be idempotent on decoded values', () => {
    const input = all16();
    const enc = encodeMulaw(input);
    for (let i = 0; i < input.length; i += 7) expect(enc[i]).toBe(linearToMulawSample(input[i] ?? 0));
    const codes = Uint8Array.from({ length: 256 }, (_, i) => i);
    const again = encodeMulaw(decodeMulaw(codes));
    // every code except negative zero 0x7F re-encodes to itself
    for (let c = 0; c < 256; c++) expect(again[c]).toBe(c === 0x7f ? 0xff : c);
  });
  it('gives > 37 dB SNR on a 1 kHz sine at -6 dBFS', () => {
    const s = sine(16384);
    expect(snrDb(s, decodeMulaw(encodeMulaw(s)))).toBeGreaterThan(37);
  });
});

describe('G.711 A-law (ITU-T G.711 Table 1)', () => {
  it('MUST code the smallest positive/negative values as 0xD5/0x55 (decoded ±8)', () => {
    expect(linearToAlawSample(0)).toBe(0xd5);
    expect(linearToAlawSample(-1)).toBe(0x55);
    expect(alawToLinearSample(0xd5)).toBe(8);
    expect(alawToLinearSample(0x55)).toBe(-8);
  });
  it('MUST decode the extremes 0xAA → +32256 and 0x2A → -32256', () => {
    expect(alawToLinearSample(0xaa)).toBe(32256);
    expect(alawToLinearSample(0x2a)).toBe(-32256);
    expect(linearToAlawSample(32767)).toBe(0xaa);
    expect(linearToAlawSample(-32768)).toBe(0x2a);
  });
  it('MUST place segment boundaries at magnitudes 256, 512, 1024, ... 16384', () => {
    for (let seg = 1; seg < 8; seg++) {
      const edge = 128 << seg;
      expect(((linearToAlawSample(edge - 1) ^ 0xd5) & 0x70) >> 4).toBe(seg - 1);
      expect(((linearToAlawSample(edge) ^ 0xd5) & 0x70) >> 4).toBe(seg);
    }
    expect([0, 1, 2, 3, 4, 5, 6, 7].map((s) => alawToLinearSample((s << 4) ^ 0xd5))).toEqual([8, 264, 528, 1056, 2112, 4224, 8448, 16896]);
  });
  it('MUST decode within half a quantization step for every 16-bit input', () => {
    const input = all16();
    const out = decodeAlaw(encodeAlaw(input));
    for (let i = 0; i < input.length; i++) {
      const x = input[i] ?? 0;
      const m = Math.abs(x);
      const seg = m < 256 ? 1 : Math.floor(Math.log2(m >> 7));
      const step = 8 << seg; // 16 in segments 0 and 1, doubling after
      const bound = step / 2 + (m > 32256 + step / 2 ? m - 32256 : 0);
      expect(Math.abs((out[i] ?? 0) - x)).toBeLessThanOrEqual(bound);
    }
  });
  it('table encoder MUST agree with the arithmetic encoder; every code re-encodes to itself', () => {
    const input = all16();
    const enc = encodeAlaw(input);
    for (let i = 0; i < input.length; i += 7) expect(enc[i]).toBe(linearToAlawSample(input[i] ?? 0));
    const codes = Uint8Array.from({ length: 256 }, (_, i) => i);
    expect(Array.from(encodeAlaw(decodeAlaw(codes)))).toEqual(Array.from(codes));
  });
  it('gives > 37 dB SNR on a 1 kHz sine at -6 dBFS', () => {
    const s = sine(16384);
    expect(snrDb(s, decodeAlaw(encodeAlaw(s)))).toBeGreaterThan(37);
  });
});
