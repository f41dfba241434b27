import { describe, expect, it } from 'vitest';
import { Resampler } from '../../../renderer/src/audio/resampler.ts';
import { goertzel, rmsOf, tone } from './audio-signal.ts';

function run(resampler: Resampler, input: Float32Array, chunk = 128): number[] {
  const out: number[] = [];
  for (let i = 0; i < input.length; i += chunk) resampler.process(input.subarray(i, i + chunk), (s) => out.push(s));
  return out;
}

/** the steady part: skip the kernel's start-up transient */
const steady = (samples: number[], rate: number) => samples.slice(Math.round(rate * 0.1));

describe('Resampler: the microphone down to G.711 8 kHz (RFC 3551 §4.5.14) and the far end back up', () => {
  it('48 kHz → 8 kHz: one output per 6 inputs, a 440 Hz tone keeps its frequency and its level (±2 %)', () => {
    const r = new Resampler(48_000, 8000);
    const out = run(r, tone(440, 48_000, 48_000));
    expect(out.length).toBeGreaterThanOrEqual(8000 - Math.ceil(r.latency / 6) - 1);
    expect(out.length).toBeLessThanOrEqual(8000);
    const s = steady(out, 8000);
    expect(goertzel(s, 440, 8000)).toBeGreaterThan(0.49);
    expect(goertzel(s, 440, 8000)).toBeLessThan(0.51);
    expect(goertzel(s, 1000, 8000)).toBeLessThan(0.005);
  });

  it('48 kHz → 8 kHz MUST NOT alias: a 5 kHz tone (which would fold to 3 kHz) comes out at least 40 dB down', () => {
    const out = steady(run(new Resampler(48_000, 8000), tone(5000, 48_000, 48_000)), 8000);
    expect(rmsOf(out)).toBeLessThan((0.5 / Math.SQRT2) * 0.01);
    expect(goertzel(out, 3000, 8000)).toBeLessThan(0.005);
  });

  it('passes the voice band: 300 Hz and 3000 Hz lose less than 1 dB', () => {
    for (const f of [300, 3000]) {
      const s = steady(run(new Resampler(48_000, 8000), tone(f, 48_000, 48_000)), 8000);
      expect(goertzel(s, f, 8000)).toBeGreaterThan(0.5 * 0.89);
    }
  });

  it('44.1 kHz → 8 kHz (a fractional ratio): 8000 outputs a second, the tone intact', () => {
    const r = new Resampler(44_100, 8000);
    const out = run(r, tone(440, 44_100, 44_100));
    expect(Math.abs(out.length - 8000)).toBeLessThanOrEqual(Math.ceil(r.latency / 5.5) + 1);
    expect(goertzel(steady(out, 8000), 440, 8000)).toBeGreaterThan(0.49);
  });

  it('8 kHz → 48 kHz: six outputs per input, the tone intact, its images (7560/8440 Hz) at least 40 dB down', () => {
    const out = run(new Resampler(8000, 48_000), tone(440, 8000, 8000), 8);
    expect(out.length).toBeGreaterThan(47_000);
    const s = steady(out, 48_000);
    expect(goertzel(s, 440, 48_000)).toBeGreaterThan(0.49);
    expect(goertzel(s, 7560, 48_000)).toBeLessThan(0.005);
    expect(goertzel(s, 8440, 48_000)).toBeLessThan(0.005);
  });

  it('streams: any chunking of the input gives the same output as one block', () => {
    const input = tone(700, 48_000, 9600);
    const whole = run(new Resampler(48_000, 8000), input, input.length);
    expect(run(new Resampler(48_000, 8000), input, 128)).toEqual(whole);
    expect(run(new Resampler(48_000, 8000), input, 7)).toEqual(whole);
  });

  it('rejects rates that are not positive (a programmer fault)', () => {
    expect(() => new Resampler(0, 8000)).toThrow(RangeError);
  });
});
