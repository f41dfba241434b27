/**
 * The far end's playout buffer, in samples at the call rate (framer.ts, 16 kHz): absorbs the jitter of frames relayed from the main
 * process (whose own jitter buffer already reordered RTP). Playback starts once `target` samples are
 * queued (prebuffering); on underrun it plays silence and prebuffers again; when more than `max` are
 * queued (a burst after a stall) the oldest are dropped down to `target` so the delay stays bounded.
 */
import { CALL_SAMPLE_RATE, int16ToFloat } from './framer.ts';

export interface PlayoutOptions {
  /** samples to hold before playing; default 60 ms at the call rate */
  readonly target?: number;
  /** most samples held; default 200 ms at the call rate */
  readonly max?: number;
}

export interface PlayoutStats {
  readonly depth: number;
  readonly underruns: number;
  readonly dropped: number;
}

export class PlayoutBuffer {
  readonly #target: number;
  readonly #max: number;
  readonly #ring: Float32Array;
  #read = 0;
  #depth = 0;
  #prebuffering = true;
  #underruns = 0;
  #dropped = 0;

  constructor(options: PlayoutOptions = {}) {
    this.#target = options.target ?? (CALL_SAMPLE_RATE * 60) / 1000;
    this.#max = Math.max(options.max ?? (CALL_SAMPLE_RATE * 200) / 1000, this.#target);
    this.#ring = new Float32Array(this.#max + 2048);
  }

  get depth(): number {
    return this.#depth;
  }

  stats(): PlayoutStats {
    return { depth: this.#depth, underruns: this.#underruns, dropped: this.#dropped };
  }

  push(frame: ArrayLike<number>): void {
    const ring = this.#ring;
    let n = frame.length;
    let from = 0;
    if (n > ring.length) {
      from = n - ring.length;
      this.#dropped += from;
      n = ring.length;
    }
    if (this.#depth + n > ring.length) this.#skip(this.#depth + n - ring.length);
    let write = (this.#read + this.#depth) % ring.length;
    for (let i = from; i < frame.length; i++) {
      ring[write] = int16ToFloat(frame[i] ?? 0);
      write = write + 1 === ring.length ? 0 : write + 1;
    }
    this.#depth += n;
    if (this.#depth > this.#max) this.#skip(this.#depth - this.#target);
    if (this.#prebuffering && this.#depth >= this.#target) this.#prebuffering = false;
  }

  /** fills `out` with the next samples (silence while prebuffering or after an underrun); returns how many were real */
  pull(out: Float32Array): number {
    const ring = this.#ring;
    let i = 0;
    if (!this.#prebuffering) {
      const n = Math.min(out.length, this.#depth);
      for (; i < n; i++) {
        out[i] = ring[this.#read] ?? 0;
        this.#read = this.#read + 1 === ring.length ? 0 : this.#read + 1;
      }
      this.#depth -= n;
      if (n < out.length) {
        this.#underruns++;
        this.#prebuffering = true;
      }
    }
    out.fill(0, i);
    return i;
  }

  #skip(n: number): void {
    this.#read = (this.#read + n) % this.#ring.length;
    this.#depth -= n;
    this.#dropped += n;
  }
}
