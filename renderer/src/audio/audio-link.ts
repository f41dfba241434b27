/**
 * Call audio path (issue 6), renderer side. Design:
 *  - microphone: getUserMedia (echo cancellation, noise suppression, AGC) → MediaStreamSource → the
 *    'call-mic' AudioWorklet (call-audio-worklet.ts): windowed-sinc resampler context rate → 16 kHz,
 *    framed into 20 ms Int16 frames of 320 samples at 16 kHz → AudioLink.send → main → RTP/G.722 (or G.711 at 8 kHz).
 *  - far end: main's decoded frames → AudioLink.onFrame → the 'call-playout' AudioWorklet: playout
 *    buffer (60 ms prebuffer, 200 ms cap) → resampler 16 kHz → context rate → speakers.
 *  - the AudioLink carries binary frames outside the request/response IPC contract. In the app it is a
 *    MessagePort per call (main/app/call-audio.ts → preload → window.postMessage, port-link.ts); in the
 *    renderer test host a WebSocket per call (test/host/audio-link.ts), installed with setAudioLinkFactory.
 */

/** what the audio engine tells its link every ~0.5 s (test builds expose it; the app ignores it) */
export interface CallAudioReport {
  /** samples at the call rate (16 kHz) the playout worklet has played from the far end */
  readonly playedSamples: number;
  /** RMS (Int16 units) of the far-end audio played in the last report period */
  readonly playedRms: number;
  readonly underruns: number;
  readonly dropped: number;
  /** the context's sample rate (the resampler's other side) */
  readonly contextRate: number;
}

export interface AudioLink {
  /** a 20 ms microphone frame: 320 Int16 samples at 16 kHz (ownership passes to the link) */
  send(frame: Int16Array): void;
  /** far-end frames from main; returns the unsubscribe */
  onFrame(listener: (frame: Int16Array) => void): () => void;
  report?(report: CallAudioReport): void;
  close(): void;
}

export type AudioLinkFactory = (callId: string) => AudioLink;

let factory: AudioLinkFactory | null = null;
let fallback: AudioLinkFactory | null = null;

/** The test host installs its WebSocket links here before the renderer starts. */
export function setAudioLinkFactory(next: AudioLinkFactory): void {
  factory = next;
}

/** The app's default (MessagePort links); registered by port-link.ts when it loads. */
export function setDefaultAudioLinkFactory(next: AudioLinkFactory): void {
  fallback = next;
}

export function openAudioLink(callId: string): AudioLink {
  const make = factory ?? fallback;
  if (make === null) throw new Error('no audio link for calls is installed');
  return make(callId);
}
