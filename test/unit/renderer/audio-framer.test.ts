import { describe, expect, it } from 'vitest';
import { CALL_SAMPLE_RATE, FRAME_SAMPLES, Framer, floatToInt16, int16ToFloat, rms } from '../../../renderer/src/audio/framer.ts';
import { PlayoutBuffer } from '../../../renderer/src/audio/playout-buffer.ts';

describe('Framer: 20 ms frames of 320 samples (RFC 3551 §4.2 default packetization, 16 kHz for G.722 wideband)', () => {
  it('emits one Int16 frame per 320 samples, each in its own (transferable) buffer', () => {
    const frames: Int16Array[] = [];
    const framer = new Framer((f) => frames.push(f));
    for (let i = 0; i < 3 * FRAME_SAMPLES + 10; i++) framer.push(i % 2 === 0 ? 0.25 : -0.25);
    expect(frames).toHaveLength(3);
    expect(CALL_SAMPLE_RATE).toBe(16000);
    expect(frames.every((f) => f.length === 320 && f.byteOffset === 0 && f.buffer.byteLength === 640)).toBe(true);
    expect(new Set(frames.map((f) => f.buffer)).size).toBe(3);
    expect(frames[0]?.[0]).toBe(8192);
    expect(frames[0]?.[1]).toBe(-8192);
  });

  it('clips out-of-range floats instead of wrapping', () => {
    expect(floatToInt16(1.5)).toBe(32767);
    expect(floatToInt16(-1.5)).toBe(-32768);
    expect(floatToInt16(int16ToFloat(-1234))).toBe(-1234);
  });

  it('rms of a full-scale square wave is its amplitude, of silence 0', () => {
    expect(rms(new Int16Array([1000, -1000, 1000, -1000]))).toBe(1000);
    expect(rms(new Int16Array(160))).toBe(0);
  });
});

const frame = (value: number) => new Int16Array(160).fill(value);
const pull = (b: PlayoutBuffer, n: number) => {
  const out = new Float32Array(n);
  const real = b.pull(out);
  return { out, real };
};

describe('PlayoutBuffer: the far end after the relay from main', () => {
  it('while prebuffering (less than the target queued) it plays silence and keeps the samples', () => {
    const b = new PlayoutBuffer({ target: 480 });
    b.push(frame(1000));
    b.push(frame(1000));
    const { out, real } = pull(b, 128);
    expect(real).toBe(0);
    expect(out.every((s) => s === 0)).toBe(true);
    expect(b.depth).toBe(320);
  });

  it('once the target is queued it plays in order; on underrun it fills with silence, counts it and prebuffers again', () => {
    const b = new PlayoutBuffer({ target: 320 });
    b.push(frame(1000));
    b.push(frame(2000));
    expect(pull(b, 160).out[0]).toBeCloseTo(1000 / 32768, 6);
    const { out, real } = pull(b, 200);
    expect(real).toBe(160);
    expect(out[159]).toBeCloseTo(2000 / 32768, 6);
    expect(out[160]).toBe(0);
    expect(b.stats()).toMatchObject({ underruns: 1, depth: 0 });
    b.push(frame(3000));
    expect(pull(b, 10).real).toBe(0); // prebuffering again
  });

  it('bounds the delay: past `max` queued it drops the oldest down to the target', () => {
    const b = new PlayoutBuffer({ target: 480, max: 800 });
    for (let i = 0; i < 5; i++) b.push(frame(i));
    expect(b.depth).toBe(800);
    b.push(frame(5));
    expect(b.depth).toBe(480);
    expect(b.stats().dropped).toBe(480);
    expect(pull(b, 1).out[0]).toBeCloseTo(3 / 32768, 6); // frames 0-2 dropped
  });
});
