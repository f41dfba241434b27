/**
 * One call's audio in the page: an AudioContext at the device rate with the two worklet processors of
 * call-audio-worklet.ts, wired to an AudioLink. The far end plays even when the microphone is refused
 * (listen-only); the returned state says which.
 */
import { loadAudioPrefs, routeTo } from './audio-prefs.ts';
import workletUrl from './call-audio-worklet.ts?worker&url';
import type { AudioLink, CallAudioReport } from './audio-link.ts';

export type CallAudioState = 'live' | 'listen-only';

export interface RunningCallAudio {
  readonly state: CallAudioState;
  /** why the microphone is not used (listen-only), e.g. 'NotAllowedError' */
  readonly micProblem: string | null;
  stop(): void;
}

/** microphone constraints: the browser's echo canceller, noise suppressor and gain control, mono */
export const MIC_CONSTRAINTS: MediaTrackConstraints = {
  echoCancellation: true,
  noiseSuppression: true,
  autoGainControl: true,
  channelCount: 1,
};

function isReport(data: unknown): data is CallAudioReport {
  return typeof data === 'object' && data !== null && typeof Reflect.get(data, 'playedSamples') === 'number';
}

export async function startCallAudio(link: AudioLink): Promise<RunningCallAudio> {
  const context = new AudioContext({ latencyHint: 'interactive' });
  const prefs = loadAudioPrefs();
  await routeTo(context, prefs.speaker);
  let stream: MediaStream | null = null;
  let unsubscribe: (() => void) | null = null;
  const stop = () => {
    unsubscribe?.();
    for (const track of stream?.getTracks() ?? []) track.stop();
    void context.close().catch(() => undefined);
  };
  try {
    await context.audioWorklet.addModule(workletUrl);
    const playout = new AudioWorkletNode(context, 'call-playout', { numberOfInputs: 0, numberOfOutputs: 1, outputChannelCount: [1] });
    playout.connect(context.destination);
    playout.port.onmessage = (event: MessageEvent) => {
      if (isReport(event.data)) link.report?.(event.data);
    };
    unsubscribe = link.onFrame((frame) => playout.port.postMessage(frame, [frame.buffer]));
    // playback may start without a gesture in the app (Electron's default autoplay policy)
    void context.resume().catch(() => undefined);

    let micProblem: string | null = null;
    try {
      const audio = prefs.microphone === '' ? MIC_CONSTRAINTS : { ...MIC_CONSTRAINTS, deviceId: { ideal: prefs.microphone } };
      stream = await navigator.mediaDevices.getUserMedia({ audio });
    } catch (e) {
      micProblem = e instanceof Error ? e.name : 'microphone unavailable';
    }
    if (stream !== null) {
      const source = context.createMediaStreamSource(stream);
      // explicit mono: the graph downmixes a stereo microphone before the worklet sees it
      const mic = new AudioWorkletNode(context, 'call-mic', {
        numberOfInputs: 1,
        numberOfOutputs: 1,
        outputChannelCount: [1],
        channelCount: 1,
        channelCountMode: 'explicit',
        channelInterpretation: 'speakers',
      });
      mic.port.onmessage = (event: MessageEvent) => {
        if (event.data instanceof Int16Array) link.send(event.data);
      };
      source.connect(mic);
      mic.connect(context.destination); // silent output: keeps the processor pulled
    }
    return { state: stream === null ? 'listen-only' : 'live', micProblem, stop };
  } catch (e) {
    stop();
    throw e;
  }
}
