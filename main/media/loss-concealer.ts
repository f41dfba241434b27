/**
 * Packet loss concealment for 20 ms G.711 frames, deliberately simple (in the spirit of G.711 Appendix I,
 * without its pitch search): the FIRST missing frame after a good one repeats that frame at half
 * amplitude; every further consecutive missing frame is silence. Repeating longer makes a buzzing tone.
 */
export class LossConcealer {
  private last: Int16Array | null = null;
  private repeated = false;
  private readonly frameSamples: number;

  constructor(frameSamples = 160) {
    this.frameSamples = frameSamples;
  }

  /** record a decoded frame that arrived */
  good(frame: Int16Array): Int16Array {
    this.last = frame;
    this.repeated = false;
    return frame;
  }

  /** a frame for a missing slot */
  conceal(): Int16Array {
    if (this.last !== null && !this.repeated) {
      this.repeated = true;
      const out = new Int16Array(this.last.length);
      for (let i = 0; i < out.length; i++) out[i] = (this.last[i] ?? 0) >> 1;
      return out;
    }
    return new Int16Array(this.last?.length ?? this.frameSamples);
  }
}
