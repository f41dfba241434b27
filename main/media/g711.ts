/**
 * ITU-T G.711 companding: µ-law (PCMU, RTP PT 0) and A-law (PCMA, RTP PT 8), 16-bit linear PCM in and out.
 *
 * The arithmetic follows the ITU-T G.711 reference (and the classic Sun/CCITT g711.c):
 * - µ-law: bias 0x84 (132), clip at 32635, 8 segments, all bits inverted on the wire (G.711 Table 2).
 * - A-law: 13-bit magnitude (input >> 3), 8 segments, even bits inverted (XOR 0x55, G.711 Table 1).
 * Decoding is a 256-entry table lookup; encoding is a 65536-entry table lookup built once from the
 * arithmetic encoder (128 KiB total), so a 160-sample frame costs 160 array reads each way.
 */

/** Arithmetic µ-law encoder for one 16-bit sample (G.711 §2, µ-law). */
export function linearToMulawSample(sample: number): number {
  let s = sample | 0;
  const sign = s < 0 ? 0x80 : 0x00;
  if (s < 0) s = -s;
  if (s > 32635) s = 32635; // clip so that s + bias stays below 0x8000
  s += 0x84;
  // exponent = position of the highest set bit above bit 7 (segment number 0..7)
  let exponent = 7;
  for (let mask = 0x4000; (s & mask) === 0 && exponent > 0; mask >>= 1) exponent--;
  const mantissa = (s >> (exponent + 3)) & 0x0f;
  return ~(sign | (exponent << 4) | mantissa) & 0xff;
}

/** Arithmetic µ-law decoder for one code word. */
export function mulawToLinearSample(code: number): number {
  const u = ~code & 0xff;
  let t = ((u & 0x0f) << 3) + 0x84;
  t <<= (u & 0x70) >> 4;
  return (u & 0x80) !== 0 ? 0x84 - t : t - 0x84;
}

/** Arithmetic A-law encoder for one 16-bit sample (G.711 §2, A-law). */
export function linearToAlawSample(sample: number): number {
  let pcm = (sample | 0) >> 3; // 13-bit
  let mask: number;
  if (pcm >= 0) {
    mask = 0xd5; // sign bit set for positive values, then even-bit inversion
  } else {
    mask = 0x55;
    pcm = -pcm - 1;
  }
  // segment ends in the 13-bit domain: 0x1F, 0x3F, 0x7F, ... 0xFFF
  let seg = 0;
  while (seg < 8 && pcm > (0x1f << seg) + ((1 << seg) - 1)) seg++;
  if (seg >= 8) return 0x7f ^ mask;
  let aval = seg << 4;
  aval |= seg < 2 ? (pcm >> 1) & 0x0f : (pcm >> seg) & 0x0f;
  return aval ^ mask;
}

/** Arithmetic A-law decoder for one code word. */
export function alawToLinearSample(code: number): number {
  const a = (code & 0xff) ^ 0x55;
  let t = (a & 0x0f) << 4;
  const seg = (a & 0x70) >> 4;
  if (seg === 0) t += 8;
  else if (seg === 1) t += 0x108;
  else t = (t + 0x108) << (seg - 1);
  return (a & 0x80) !== 0 ? t : -t;
}

function buildDecodeTable(decode: (code: number) => number): Int16Array {
  const table = new Int16Array(256);
  for (let i = 0; i < 256; i++) table[i] = decode(i);
  return table;
}

function buildEncodeTable(encode: (sample: number) => number): Uint8Array {
  // indexed by the sample's 16-bit two's complement pattern (sample & 0xFFFF)
  const table = new Uint8Array(65536);
  for (let i = 0; i < 65536; i++) table[i] = encode(i >= 0x8000 ? i - 0x10000 : i);
  return table;
}

const MULAW_DECODE = buildDecodeTable(mulawToLinearSample);
const ALAW_DECODE = buildDecodeTable(alawToLinearSample);
const MULAW_ENCODE = buildEncodeTable(linearToMulawSample);
const ALAW_ENCODE = buildEncodeTable(linearToAlawSample);

function encodeWith(table: Uint8Array, pcm: Int16Array): Uint8Array {
  const out = new Uint8Array(pcm.length);
  for (let i = 0; i < pcm.length; i++) out[i] = table[(pcm[i] ?? 0) & 0xffff] ?? 0;
  return out;
}

function decodeWith(table: Int16Array, codes: Uint8Array): Int16Array {
  const out = new Int16Array(codes.length);
  for (let i = 0; i < codes.length; i++) out[i] = table[codes[i] ?? 0] ?? 0;
  return out;
}

export function encodeMulaw(pcm: Int16Array): Uint8Array {
  return encodeWith(MULAW_ENCODE, pcm);
}
export function decodeMulaw(codes: Uint8Array): Int16Array {
  return decodeWith(MULAW_DECODE, codes);
}
export function encodeAlaw(pcm: Int16Array): Uint8Array {
  return encodeWith(ALAW_ENCODE, pcm);
}
export function decodeAlaw(codes: Uint8Array): Int16Array {
  return decodeWith(ALAW_DECODE, codes);
}

/** The code word each law uses for digital silence (linear 0). */
export const MULAW_SILENCE = 0xff;
export const ALAW_SILENCE = 0xd5;
