import { describe, expect, it } from 'vitest';
import { AUDIO_FRAME_SAMPLES, AUDIO_PORT_MESSAGE, pcmFrameBytes, pcmFrameOf } from '../../../../main/services/calls/audio-frames.ts';
import { AUDIO_PORT_MESSAGE as RENDERER_PORT_MESSAGE } from '../../../../renderer/src/audio/port-link.ts';
import { audioCallIdOf } from '../../../host/audio-host.ts';

describe('call audio frames between the page and main: 320 samples at 16 kHz, 640 little-endian bytes', () => {
  const pcm = Int16Array.from({ length: 320 }, (_, i) => (i - 80) * 100);

  it('round-trips a frame through its bytes (Buffer, Uint8Array at an offset, ArrayBuffer)', () => {
    const bytes = pcmFrameBytes(pcm);
    expect(AUDIO_FRAME_SAMPLES).toBe(320);
    expect(bytes.byteLength).toBe(640);
    expect(new DataView(bytes).getInt16(2, true)).toBe(-79 * 100);
    expect(pcmFrameOf(bytes)).toEqual(pcm);
    expect(pcmFrameOf(Buffer.from(bytes))).toEqual(pcm);
    const padded = new Uint8Array(650);
    padded.set(new Uint8Array(bytes), 7);
    expect(pcmFrameOf(padded.subarray(7, 647))).toEqual(pcm);
  });

  it('drops anything else from the page without throwing: wrong sizes, text, objects, null', () => {
    for (const bad of [new ArrayBuffer(638), new Uint8Array(642), new ArrayBuffer(320), 'x'.repeat(640), { length: 640 }, null, undefined, 42]) {
      expect(pcmFrameOf(bad)).toBeNull();
    }
  });

  it('the preload and the page agree on the port message name', () => {
    expect(RENDERER_PORT_MESSAGE).toBe(AUDIO_PORT_MESSAGE);
  });

  it('the test host takes audio sockets only on its socket path with ?audio=<callId>', () => {
    expect(audioCallIdOf('/ipc?audio=abc-1')).toBe('abc-1');
    expect(audioCallIdOf('/ipc')).toBeNull();
    expect(audioCallIdOf('/other?audio=abc')).toBeNull();
    expect(audioCallIdOf('/ipc?audio=')).toBeNull();
    expect(audioCallIdOf(undefined)).toBeNull();
  });
});
