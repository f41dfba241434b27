/**
 * Call-progress sounds synthesized with WebAudio (no binary assets; issue 16 item 8):
 *  - ringback (our outgoing call rings at the far end): 440 + 480 Hz, 2 s on / 4 s off (ITU-T E.180,
 *    North American ringing tone), quiet;
 *  - ringtone (a call for us): a two-note 660/880 Hz chirp, 1 s of bursts / 2 s pause, louder;
 *  - call waiting (a second call while one is up): two soft 440 Hz beeps every 5 s;
 *  - test tone (settings): 1 kHz for 1 s.
 * An AnalyserNode measures what actually plays (window.__toneStats, read by the e2e tests).
 */
import { routeTo } from './audio-prefs.ts';

export type ToneKind = 'ringtone' | 'ringback' | 'waiting' | 'test';

export interface PlayingTone {
  readonly kind: ToneKind;
  stop(): void;
}

interface ToneStats {
  kind: ToneKind | null;
  peakRms: number;
}

function stats(): ToneStats {
  let s = Reflect.get(window, '__toneStats') as ToneStats | undefined;
  if (!s) {
    s = { kind: null, peakRms: 0 };
    Reflect.set(window, '__toneStats', s);
  }
  return s;
}

/** schedules one cadence period of `kind` starting at `t` and returns its length in seconds */
function schedule(context: AudioContext, out: AudioNode, kind: ToneKind, t: number): number {
  const beep = (freqs: readonly number[], start: number, length: number, level: number) => {
    const gain = context.createGain();
    gain.gain.setValueAtTime(0, start);
    gain.gain.linearRampToValueAtTime(level, start + 0.02);
    gain.gain.setValueAtTime(level, start + length - 0.02);
    gain.gain.linearRampToValueAtTime(0, start + length);
    gain.connect(out);
    for (const f of freqs) {
      const osc = context.createOscillator();
      osc.frequency.value = f;
      osc.connect(gain);
      osc.start(start);
      osc.stop(start + length);
    }
  };
  switch (kind) {
    case 'ringback':
      beep([440, 480], t, 2, 0.08);
      return 6;
    case 'ringtone':
      for (let i = 0; i < 4; i++) beep([i % 2 === 0 ? 660 : 880], t + i * 0.25, 0.22, 0.25);
      return 3;
    case 'waiting':
      beep([440], t, 0.2, 0.06);
      beep([440], t + 0.4, 0.2, 0.06);
      return 5;
    case 'test':
      beep([1000], t, 1, 0.2);
      return Infinity;
  }
}

/** plays `kind` on `deviceId` ('' = default) until stop() (the test tone stops by itself) */
export function playTone(kind: ToneKind, deviceId = ''): PlayingTone {
  const context = new AudioContext();
  const analyser = context.createAnalyser();
  analyser.fftSize = 1024;
  analyser.connect(context.destination);
  void routeTo(context, deviceId);
  void context.resume().catch(() => undefined);
  let next = context.currentTime + 0.05;
  let stopped = false;
  const s = stats();
  s.kind = kind;
  s.peakRms = 0;
  const buffer = new Float32Array(analyser.fftSize);
  const tick = () => {
    if (stopped) return;
    while (next < context.currentTime + 1) {
      const period = schedule(context, analyser, kind, next);
      next += period;
      if (!Number.isFinite(period)) break;
    }
    analyser.getFloatTimeDomainData(buffer);
    let sum = 0;
    for (const v of buffer) sum += v * v;
    s.peakRms = Math.max(s.peakRms, Math.sqrt(sum / buffer.length));
  };
  tick();
  const timer = window.setInterval(tick, 100);
  return {
    kind,
    stop() {
      if (stopped) return;
      stopped = true;
      window.clearInterval(timer);
      if (s.kind === kind) s.kind = null;
      void context.close().catch(() => undefined);
    },
  };
}
