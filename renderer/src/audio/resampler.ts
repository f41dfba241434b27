/**
 * Streaming windowed-sinc resampler (band-limited interpolation, J. O. Smith, "Digital Audio Resampling").
 * One kernel serves both directions of a call: the microphone at the context rate (48 kHz typical) down
 * to the 16 kHz of call audio (G.722 wideband, RFC 3551 §4.5.2; main converts for G.711), and the far end back up. The kernel
 * is a sinc low-pass at `cutoff` Hz (below the lower rate's Nyquist frequency, so nothing aliases going
 * down and no images appear going up) under a Kaiser window, spanning ±`halfWidth` samples of the lower
 * rate. It is tabulated once; each output sample is a dot product over the input around it.
 * Pure TypeScript: runs in the AudioWorklet and in node unit tests.
 */

export interface ResamplerOptions {
  /** low-pass edge in Hz; default 3500 for an 8 kHz side (G.711 carries 300-3400 Hz) */
  readonly cutoff?: number;
  /** kernel half-width in samples of the lower rate; default 16 (≈ 0.9 kHz transition band at 8 kHz) */
  readonly halfWidth?: number;
  /** Kaiser window beta; default 6 (about 60 dB stop band) */
  readonly beta?: number;
  /** table resolution per input sample; default 64 */
  readonly phases?: number;
}

/** zeroth-order modified Bessel function of the first kind (power series), for the Kaiser window */
function besselI0(x: number): number {
  let sum = 1;
  let term = 1;
  for (let k = 1; k < 50; k++) {
    term *= (x / (2 * k)) * (x / (2 * k));
    sum += term;
    if (term < sum * 1e-12) break;
  }
  return sum;
}

export class Resampler {
  readonly inputRate: number;
  readonly outputRate: number;
  /** input samples per output sample */
  readonly #step: number;
  /** kernel half-width in input samples */
  readonly #span: number;
  readonly #phases: number;
  /** h(τ) at τ = i / phases input samples, i = 0 … span·phases + 1 */
  readonly #kernel: Float32Array;
  #buf: Float32Array;
  #len: number;
  /** position of the next output sample, in input samples from the start of #buf */
  #t: number;

  constructor(inputRate: number, outputRate: number, options: ResamplerOptions = {}) {
    if (!(inputRate > 0 && outputRate > 0)) throw new RangeError(`bad rates ${inputRate} → ${outputRate}`);
    this.inputRate = inputRate;
    this.outputRate = outputRate;
    this.#step = inputRate / outputRate;
    const low = Math.min(inputRate, outputRate);
    const cutoff = Math.min(options.cutoff ?? low * 0.4375, low / 2);
    const beta = options.beta ?? 6;
    this.#phases = options.phases ?? 64;
    this.#span = Math.ceil((options.halfWidth ?? 16) * (inputRate / low));
    const fc = cutoff / inputRate; // cycles per input sample
    const size = this.#span * this.#phases + 2;
    this.#kernel = new Float32Array(size);
    const i0beta = besselI0(beta);
    for (let i = 0; i < size; i++) {
      const tau = i / this.#phases;
      const r = tau / this.#span;
      if (r >= 1) continue;
      const x = 2 * fc * tau;
      const sinc = x === 0 ? 1 : Math.sin(Math.PI * x) / (Math.PI * x);
      this.#kernel[i] = 2 * fc * sinc * (besselI0(beta * Math.sqrt(1 - r * r)) / i0beta);
    }
    this.#buf = new Float32Array(Math.max(1024, 4 * this.#span));
    this.#len = this.#span; // zero history: the first output lines up with the first input sample
    this.#t = this.#span;
  }

  /** delay through the resampler, in input samples (the kernel needs this much look-ahead) */
  get latency(): number {
    return this.#span;
  }

  /** Feeds input samples; calls `emit` for every output sample that the input so far determines. */
  process(input: ArrayLike<number>, emit: (sample: number) => void): void {
    this.#append(input);
    const buf = this.#buf;
    const span = this.#span;
    while (Math.floor(this.#t) + span < this.#len) {
      const t = this.#t;
      let acc = 0;
      for (let n = Math.ceil(t - span); n <= Math.floor(t + span); n++) acc += (buf[n] ?? 0) * this.#h(t - n);
      emit(acc);
      this.#t += this.#step;
    }
    const drop = Math.floor(this.#t) - span;
    if (drop > 0) {
      buf.copyWithin(0, drop, this.#len);
      this.#len -= drop;
      this.#t -= drop;
    }
  }

  #h(tau: number): number {
    const p = Math.abs(tau) * this.#phases;
    const i = Math.floor(p);
    const a = this.#kernel[i] ?? 0;
    const b = this.#kernel[i + 1] ?? 0;
    return a + (b - a) * (p - i);
  }

  #append(input: ArrayLike<number>): void {
    const need = this.#len + input.length;
    if (need > this.#buf.length) {
      const grown = new Float32Array(Math.max(need, this.#buf.length * 2));
      grown.set(this.#buf.subarray(0, this.#len));
      this.#buf = grown;
    }
    for (let i = 0; i < input.length; i++) this.#buf[this.#len + i] = input[i] ?? 0;
    this.#len = need;
  }
}
