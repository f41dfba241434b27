/**
 * WAV (RIFF WAVE) reader for 16-bit PCM: walks the RIFF chunks (skipping LIST/fact/etc., honouring the
 * pad byte after odd-sized chunks), reads `fmt ` and `data`. Returns an error result, never throws.
 */

export interface WavAudio {
  readonly sampleRate: number;
  readonly channels: number;
  readonly bitsPerSample: number;
  /** interleaved samples when channels > 1 */
  readonly samples: Int16Array;
}

export type WavReadResult = { ok: true; wav: WavAudio } | { ok: false; error: string };

const ascii = (b: Uint8Array, o: number): string => String.fromCharCode(b[o] ?? 0, b[o + 1] ?? 0, b[o + 2] ?? 0, b[o + 3] ?? 0);

export function readWav(bytes: Uint8Array): WavReadResult {
  if (bytes.length < 12 || ascii(bytes, 0) !== 'RIFF' || ascii(bytes, 8) !== 'WAVE') return { ok: false, error: 'not a RIFF WAVE file' };
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const riffEnd = Math.min(bytes.length, 8 + view.getUint32(4, true));
  let fmt: { format: number; channels: number; rate: number; bits: number } | null = null;
  let offset = 12;
  while (offset + 8 <= riffEnd) {
    const id = ascii(bytes, offset);
    const size = view.getUint32(offset + 4, true);
    const body = offset + 8;
    if (id === 'fmt ') {
      if (size < 16 || body + 16 > bytes.length) return { ok: false, error: 'short fmt chunk' };
      fmt = { format: view.getUint16(body, true), channels: view.getUint16(body + 2, true), rate: view.getUint32(body + 4, true), bits: view.getUint16(body + 14, true) };
    } else if (id === 'data') {
      if (fmt === null) return { ok: false, error: 'data chunk before fmt chunk' };
      // 1 = WAVE_FORMAT_PCM; 0xFFFE = WAVE_FORMAT_EXTENSIBLE (assumed PCM sub-format)
      if ((fmt.format !== 1 && fmt.format !== 0xfffe) || fmt.bits !== 16) return { ok: false, error: `unsupported WAV encoding (format ${fmt.format}, ${fmt.bits} bits)` };
      const end = Math.min(body + size, bytes.length); // tolerate a truncated data chunk
      const count = Math.floor((end - body) / 2);
      const samples = new Int16Array(count);
      for (let i = 0; i < count; i++) samples[i] = view.getInt16(body + 2 * i, true);
      return { ok: true, wav: { sampleRate: fmt.rate, channels: fmt.channels, bitsPerSample: fmt.bits, samples } };
    }
    offset = body + size + (size & 1); // RIFF chunks are word aligned
  }
  return { ok: false, error: 'no data chunk' };
}

/** splits mono samples into 20 ms frames of `frameSamples`, zero-padding the last one */
export function toFrames(samples: Int16Array, frameSamples = 160): Int16Array[] {
  const frames: Int16Array[] = [];
  for (let o = 0; o < samples.length; o += frameSamples) {
    const f = new Int16Array(frameSamples);
    f.set(samples.subarray(o, Math.min(o + frameSamples, samples.length)));
    frames.push(f);
  }
  return frames;
}
