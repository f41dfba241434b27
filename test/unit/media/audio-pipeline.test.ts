import { describe, expect, it } from 'vitest';
import { G722, PCMA, PCMU } from '../../../main/media/audio-codecs.ts';
import { AudioDecoderPipe, AudioEncoderPipe, codecOfPayloadType } from '../../../main/media/audio-pipeline.ts';
import { RateConverter } from '../../../main/media/rate-converter.ts';

function tone(hz: number, rate: number, n: number, amplitude = 8000): Int16Array {
  return Int16Array.from({ length: n }, (_, i) => Math.round(amplitude * Math.sin((2 * Math.PI * hz * i) / rate)));
}

/** amplitude of the `hz` component (Goertzel / DFT bin), after the first `skip` samples */
function level(s: Int16Array, hz: number, rate: number, skip = 200): number {
  let re = 0;
  let im = 0;
  const n = s.length - skip;
  for (let i = skip; i < s.length; i++) {
    re += (s[i] ?? 0) * Math.cos((2 * Math.PI * hz * i) / rate);
    im += (s[i] ?? 0) * Math.sin((2 * Math.PI * hz * i) / rate);
  }
  return (2 * Math.hypot(re, im)) / n;
}

function inFrames(conv: { convert(f: Int16Array): Int16Array } | ((f: Int16Array) => Int16Array), s: Int16Array, frame: number): Int16Array {
  const f = typeof conv === 'function' ? conv : (x: Int16Array) => conv.convert(x);
  const parts: Int16Array[] = [];
  for (let i = 0; i + frame <= s.length; i += frame) parts.push(f(s.subarray(i, i + frame)));
  const out = new Int16Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

describe('RateConverter: 2:1 between 8 and 16 kHz', () => {
  it('16 → 8 kHz keeps a 1 kHz tone and removes a 6 kHz one (it would alias to 2 kHz)', () => {
    const down = inFrames(new RateConverter(16000, 8000), tone(1000, 16000, 16000), 320);
    expect(down.length).toBe(8000);
    expect(level(down, 1000, 8000)).toBeGreaterThan(7600);
    const aliased = inFrames(new RateConverter(16000, 8000), tone(6000, 16000, 16000), 320);
    expect(level(aliased, 2000, 8000)).toBeLessThan(8000 / 1000);
  });

  it('8 → 16 kHz keeps a 1 kHz tone at its level with no image at 7 kHz', () => {
    const up = inFrames(new RateConverter(8000, 16000), tone(1000, 8000, 8000), 160);
    expect(up.length).toBe(16000);
    expect(level(up, 1000, 16000)).toBeGreaterThan(7600);
    expect(level(up, 1000, 16000)).toBeLessThan(8400);
    expect(level(up, 7000, 16000)).toBeLessThan(8000 / 1000);
  });

  it('is streaming: 20 ms frames give the same samples as one block', () => {
    const s = tone(700, 16000, 3200);
    expect(inFrames(new RateConverter(16000, 8000), s, 320)).toEqual(new RateConverter(16000, 8000).convert(s));
    const t = tone(700, 8000, 1600);
    expect(inFrames(new RateConverter(8000, 16000), t, 160)).toEqual(new RateConverter(8000, 16000).convert(t));
    const same = new RateConverter(8000, 8000);
    expect(same.convert(t)).toBe(t);
  });
});

describe('audio pipes: app PCM ↔ codec payload', () => {
  it('G.722 with a 16 kHz app carries a 5 kHz tone (wideband); G.711 cannot', () => {
    const src = tone(5000, 16000, 16000);
    const enc = new AudioEncoderPipe(G722, 16000);
    const dec = new AudioDecoderPipe(G722, 16000);
    const payloads: number[] = [];
    const heard = inFrames((f) => {
      const p = enc.encode(f);
      payloads.push(p.length);
      return dec.decode(p);
    }, src, 320);
    // 20 ms of G.722 is 160 octets (64 kbit/s) for 320 samples
    expect(new Set(payloads)).toEqual(new Set([160]));
    expect(level(heard, 5000, 16000, 400)).toBeGreaterThan(5000);
    const narrowEnc = new AudioEncoderPipe(PCMU, 16000);
    const narrowDec = new AudioDecoderPipe(PCMU, 16000);
    const narrow = inFrames((f) => narrowDec.decode(narrowEnc.encode(f)), src, 320);
    expect(level(narrow, 5000, 16000, 400)).toBeLessThan(100);
  });

  it('an 8 kHz app over G.722 and a 16 kHz app over G.711 keep a 1 kHz tone', () => {
    for (const [codec, rate] of [[G722, 8000], [PCMA, 16000]] as const) {
      const enc = new AudioEncoderPipe(codec, rate);
      const dec = new AudioDecoderPipe(codec, rate);
      const heard = inFrames((f) => dec.decode(enc.encode(f)), tone(1000, rate, rate), rate / 50);
      expect(heard.length).toBe(rate);
      expect(level(heard, 1000, rate, 400)).toBeGreaterThan(6500);
    }
  });

  it('silence is G.711 silence octets, or G.722 of zeros that decodes to (near) nothing', () => {
    expect(new AudioEncoderPipe(PCMU, 8000).silence(160)).toEqual(new Uint8Array(160).fill(0xff));
    expect(new AudioEncoderPipe(PCMA, 16000).silence(320)).toEqual(new Uint8Array(160).fill(0xd5));
    const g = new AudioEncoderPipe(G722, 16000).silence(320);
    expect(g.length).toBe(160);
    const out = new AudioDecoderPipe(G722, 16000).decode(g);
    expect(Math.max(...Array.from(out, Math.abs))).toBeLessThan(50);
  });

  it('maps payload types: the negotiated one, then the RFC 3551 static ones; others are not audio', () => {
    expect(codecOfPayloadType(9, PCMU)).toBe(G722);
    expect(codecOfPayloadType(0, G722)).toBe(PCMU);
    expect(codecOfPayloadType(18, PCMU)).toBeNull();
    expect(codecOfPayloadType(101, PCMU)).toBeNull();
  });
});
