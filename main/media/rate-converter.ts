/**
 * 2:1 sample-rate conversion between 8 kHz (G.711, RFC 3551 §4.5.14) and 16 kHz (G.722, §4.5.2) for one
 * direction of a call, streaming (the filter history carries across 20 ms frames). One linear-phase FIR
 * low-pass serves both ways: a Kaiser-windowed sinc (95 taps at 16 kHz, β = 7, about 70 dB stop band)
 * with its edge at 3650 Hz, inside the 4 kHz Nyquist frequency of the 8 kHz side:
 *  - down (16 → 8 kHz): filter, keep every second sample (nothing above 4 kHz folds back);
 *  - up (8 → 16 kHz): put a zero between samples, filter with gain 2 (the images above 4 kHz go).
 * The delay is 47 samples at 16 kHz (about 3 ms). Same rate in and out: the frame is returned as is.
 */

export type PcmRate = 8000 | 16000;

const TAPS = 95;
const CUTOFF_HZ = 3650;
const BETA = 7;

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

function lowPass(): Float64Array {
  const h = new Float64Array(TAPS);
  const m = (TAPS - 1) / 2;
  const fc = CUTOFF_HZ / 16000;
  const i0 = besselI0(BETA);
  for (let n = 0; n < TAPS; n++) {
    const t = n - m;
    const sinc = t === 0 ? 1 : Math.sin(2 * Math.PI * fc * t) / (Math.PI * t * 2 * fc);
    const r = t / m;
    h[n] = 2 * fc * sinc * (besselI0(BETA * Math.sqrt(1 - r * r)) / i0);
  }
  return h;
}

const KERNEL = lowPass();

const clip16 = (v: number): number => {
  const s = Math.round(v);
  return s > 32767 ? 32767 : s < -32768 ? -32768 : s;
};

export class RateConverter {
  readonly from: PcmRate;
  readonly to: PcmRate;
  /** the last TAPS - 1 samples at 16 kHz (zero-stuffed when going up) */
  readonly #history = new Float64Array(TAPS - 1);

  constructor(from: PcmRate, to: PcmRate) {
    this.from = from;
    this.to = to;
  }

  /** samples out for `n` samples in */
  outputLength(n: number): number {
    return this.from === this.to ? n : this.from < this.to ? 2 * n : n >> 1;
  }

  convert(frame: Int16Array): Int16Array {
    if (this.from === this.to) return frame;
    const up = this.from < this.to;
    // the 16 kHz signal the filter runs on: the input itself, or the input with zeros between samples
    const n16 = up ? 2 * frame.length : frame.length;
    const x = new Float64Array(TAPS - 1 + n16);
    x.set(this.#history);
    if (up) for (let i = 0; i < frame.length; i++) x[TAPS - 1 + 2 * i] = 2 * (frame[i] ?? 0);
    else for (let i = 0; i < frame.length; i++) x[TAPS - 1 + i] = frame[i] ?? 0;
    const step = up ? 1 : 2;
    const out = new Int16Array(Math.floor(n16 / step));
    for (let o = 0; o < out.length; o++) {
      // y[k] = Σ h[j]·x[k - j], k the 16 kHz index of this output sample
      const k = TAPS - 1 + o * step + (step - 1);
      let acc = 0;
      for (let j = 0; j < TAPS; j++) acc += (KERNEL[j] as number) * (x[k - j] as number);
      out[o] = clip16(acc);
    }
    this.#history.set(x.subarray(x.length - (TAPS - 1)));
    return out;
  }
}
