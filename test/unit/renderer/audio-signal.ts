/** Signal helpers for the audio tests: tones and the Goertzel algorithm (power of one frequency). */

export function tone(frequency: number, rate: number, count: number, amplitude = 0.5): Float32Array {
  const out = new Float32Array(count);
  for (let i = 0; i < count; i++) out[i] = amplitude * Math.sin((2 * Math.PI * frequency * i) / rate);
  return out;
}

/** amplitude of `frequency` in `samples` (Goertzel; ≈ the sine's peak amplitude for a whole-cycle window) */
export function goertzel(samples: ArrayLike<number>, frequency: number, rate: number): number {
  const w = (2 * Math.PI * frequency) / rate;
  const coeff = 2 * Math.cos(w);
  let s1 = 0;
  let s2 = 0;
  for (let i = 0; i < samples.length; i++) {
    const s0 = (samples[i] ?? 0) + coeff * s1 - s2;
    s2 = s1;
    s1 = s0;
  }
  const power = s1 * s1 + s2 * s2 - coeff * s1 * s2;
  return (2 * Math.sqrt(Math.max(power, 0))) / samples.length;
}

export function rmsOf(samples: ArrayLike<number>): number {
  let sum = 0;
  for (let i = 0; i < samples.length; i++) sum += (samples[i] ?? 0) ** 2;
  return Math.sqrt(sum / Math.max(samples.length, 1));
}
