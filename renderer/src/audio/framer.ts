/**
 * 20 ms frames of 16-bit PCM at 16 kHz (320 samples), the unit the main process's media session sends
 * as one RTP packet (20 ms default packetization, RFC 3551 §4.2): G.722 carries the 16 kHz as it is
 * (§4.5.2), G.711 after main's conversion to 8 kHz (§4.5.14). Must match main's CALL_AUDIO_RATE. Float samples of the
 * Web Audio graph (-1…1) become Int16 with clipping; each frame is a fresh buffer so it can be transferred.
 */

export const CALL_SAMPLE_RATE = 16000;
export const FRAME_SAMPLES = 320;

export function floatToInt16(x: number): number {
  const s = Math.round(x * 32767);
  return s > 32767 ? 32767 : s < -32768 ? -32768 : s;
}

export function int16ToFloat(s: number): number {
  return s / 32768;
}

/** root mean square of a frame, in Int16 units (0 … 32767) */
export function rms(frame: ArrayLike<number>): number {
  if (frame.length === 0) return 0;
  let sum = 0;
  for (let i = 0; i < frame.length; i++) {
    const s = frame[i] ?? 0;
    sum += s * s;
  }
  return Math.sqrt(sum / frame.length);
}

export class Framer {
  readonly #size: number;
  readonly #onFrame: (frame: Int16Array) => void;
  #frame: Int16Array;
  #fill = 0;

  constructor(onFrame: (frame: Int16Array) => void, size = FRAME_SAMPLES) {
    this.#size = size;
    this.#onFrame = onFrame;
    this.#frame = new Int16Array(size);
  }

  /** one float sample (-1…1); a full frame goes to onFrame and a new one starts */
  push(sample: number): void {
    this.#frame[this.#fill++] = floatToInt16(sample);
    if (this.#fill === this.#size) {
      const full = this.#frame;
      this.#frame = new Int16Array(this.#size);
      this.#fill = 0;
      this.#onFrame(full);
    }
  }
}
