/**
 * G.711 known answers: every one of the 256 µ-law and A-law codes decodes to the value of the
 * ITU-T G.711 tables (Tables 2a/2b, as in the CCITT reference decoder g711.c, re-derived here
 * independently), plus literal spot values from the tables.
 */
import { describe, expect, it } from 'vitest';
import { alawToLinearSample, linearToAlawSample, linearToMulawSample, mulawToLinearSample } from '../../../main/media/g711.ts';

/** G.711 Table 2a (µ-law), 16-bit scale: |x| = ((2·mantissa + 33) << segment) − 33, times 4. */
function refMulaw(code: number): number {
  const u = ~code & 0xff;
  const segment = (u >> 4) & 7;
  const mantissa = u & 0x0f;
  const magnitude = (((mantissa << 3) + 0x84) << segment) - 0x84;
  return u & 0x80 && magnitude !== 0 ? -magnitude : magnitude;
}

/** G.711 Table 1a (A-law), 16-bit scale; even bits inverted (XOR 0x55) on the line. */
function refAlaw(code: number): number {
  const a = code ^ 0x55;
  const segment = (a >> 4) & 7;
  const mantissa = a & 0x0f;
  const magnitude = segment === 0 ? (mantissa << 4) + 8 : ((mantissa << 4) + 0x108) << (segment - 1);
  return a & 0x80 ? magnitude : -magnitude;
}

describe('G.711 known answers', () => {
  it('µ-law: all 256 codes decode to the G.711 table value', () => {
    for (let c = 0; c < 256; c++) expect([c, mulawToLinearSample(c)]).toEqual([c, refMulaw(c)]);
  });

  it('A-law: all 256 codes decode to the G.711 table value', () => {
    for (let c = 0; c < 256; c++) expect([c, alawToLinearSample(c)]).toEqual([c, refAlaw(c)]);
  });

  it('literal table entries: µ 0x00→-32124 0x80→32124 0xFF→0 0x7E→-8 0xEF→132; A 0xD5→8 0x55→-8 0xAA→32256 0x80→5504', () => {
    expect([0x00, 0x80, 0xff, 0x7e, 0xef].map(mulawToLinearSample)).toEqual([-32124, 32124, 0, -8, 132]);
    expect([0xd5, 0x55, 0xaa, 0x80].map(alawToLinearSample)).toEqual([8, -8, 32256, 5504]);
  });

  it('encoders: literal codes for chosen inputs (µ 1000→0xCE, -1000→0x4E; A 1000→0xFA, -1000→0x7A)', () => {
    expect([0, 1000, -1000, 32767, -32768].map(linearToMulawSample)).toEqual([0xff, 0xce, 0x4e, 0x80, 0x00]);
    expect([0, 1000, -1000, 32767, -32768].map(linearToAlawSample)).toEqual([0xd5, 0xfa, 0x7a, 0xaa, 0x2a]);
  });

  it('every decoded table value re-encodes to its own code (except µ-law negative zero 0x7F→0xFF)', () => {
    for (let c = 0; c < 256; c++) {
      expect(linearToMulawSample(refMulaw(c))).toBe(c === 0x7f ? 0xff : c);
      expect(linearToAlawSample(refAlaw(c))).toBe(c);
    }
  });
});
