/**
 * The AudioWorklet module of calls (loaded with audioWorklet.addModule; Vite bundles it as its own
 * script through `?worker&url`, so CSP script-src 'self' admits it). Two processors:
 *  - 'call-mic': mono input at the context rate → 16 kHz (resampler.ts) → 320-sample Int16 frames,
 *    posted (transferred) to the main thread. Its output stays silent; it is connected to the
 *    destination only so the graph keeps pulling it.
 *  - 'call-playout': 16 kHz Int16 frames posted in → playout buffer → context rate → output; posts a
 *    CallAudioReport every ~0.5 s.
 */
import { CALL_SAMPLE_RATE, Framer, floatToInt16 } from './framer.ts';
import { PlayoutBuffer } from './playout-buffer.ts';
import { Resampler } from './resampler.ts';
import type { CallAudioReport } from './audio-link.ts';

// AudioWorkletGlobalScope (not in TypeScript's DOM lib)
declare const sampleRate: number;
declare class AudioWorkletProcessor {
  readonly port: MessagePort;
}
declare function registerProcessor(name: string, processor: new () => AudioWorkletProcessor): void;

class CallMicProcessor extends AudioWorkletProcessor {
  readonly #resampler = new Resampler(sampleRate, CALL_SAMPLE_RATE);
  readonly #framer = new Framer((frame) => this.port.postMessage(frame, [frame.buffer]));
  readonly #emit = (sample: number): void => this.#framer.push(sample);

  process(inputs: Float32Array[][]): boolean {
    const channel = inputs[0]?.[0];
    if (channel !== undefined && channel.length > 0) this.#resampler.process(channel, this.#emit);
    return true;
  }
}

class CallPlayoutProcessor extends AudioWorkletProcessor {
  readonly #buffer = new PlayoutBuffer();
  readonly #resampler = new Resampler(CALL_SAMPLE_RATE, sampleRate);
  readonly #fifo = new Float32Array(4096);
  #fifoRead = 0;
  #fifoCount = 0;
  readonly #chunk = new Float32Array(8);
  readonly #push = (sample: number): void => {
    const fifo = this.#fifo;
    if (this.#fifoCount === fifo.length) return;
    fifo[(this.#fifoRead + this.#fifoCount) % fifo.length] = sample;
    this.#fifoCount++;
  };
  #played = 0;
  #sumSquares = 0;
  #periodSamples = 0;
  #sinceReport = 0;

  constructor() {
    super();
    this.port.onmessage = (event: MessageEvent) => {
      const data: unknown = event.data;
      if (data instanceof Int16Array) this.#buffer.push(data);
    };
  }

  process(_inputs: Float32Array[][], outputs: Float32Array[][]): boolean {
    const output = outputs[0];
    const first = output?.[0];
    if (output === undefined || first === undefined) return true;
    const needed = first.length;
    while (this.#fifoCount < needed) {
      const real = this.#buffer.pull(this.#chunk);
      this.#played += real;
      for (let i = 0; i < real; i++) {
        const s = floatToInt16(this.#chunk[i] ?? 0);
        this.#sumSquares += s * s;
      }
      this.#periodSamples += real;
      this.#resampler.process(this.#chunk, this.#push);
    }
    const fifo = this.#fifo;
    for (let i = 0; i < needed; i++) {
      const s = fifo[this.#fifoRead] ?? 0;
      this.#fifoRead = this.#fifoRead + 1 === fifo.length ? 0 : this.#fifoRead + 1;
      for (const channel of output) channel[i] = s;
    }
    this.#fifoCount -= needed;
    this.#sinceReport += needed;
    if (this.#sinceReport >= sampleRate / 2) this.#report();
    return true;
  }

  #report(): void {
    const stats = this.#buffer.stats();
    const report: CallAudioReport = {
      playedSamples: this.#played,
      playedRms: this.#periodSamples === 0 ? 0 : Math.sqrt(this.#sumSquares / this.#periodSamples),
      underruns: stats.underruns,
      dropped: stats.dropped,
      contextRate: sampleRate,
    };
    this.port.postMessage(report);
    this.#sumSquares = 0;
    this.#periodSamples = 0;
    this.#sinceReport = 0;
  }
}

registerProcessor('call-mic', CallMicProcessor);
registerProcessor('call-playout', CallPlayoutProcessor);
