/**
 * Browser side of call audio in the renderer test host: the renderer's AudioLink over a WebSocket per
 * call (test/host/audio-host.ts is the other end), installed with setAudioLinkFactory before the renderer
 * starts. Test builds only: every link also records what crossed it in window.__callAudioStats[callId],
 * so e2e tests can see the page's audio without a speaker.
 */
import { setAudioLinkFactory, type AudioLink, type CallAudioReport } from '../../renderer/src/audio/audio-link.ts';
import { FRAME_SAMPLES, rms } from '../../renderer/src/audio/framer.ts';
import { IPC_PATH } from './protocol.ts';

export const STATS_GLOBAL = '__callAudioStats';
/** a frame louder than this (Int16 RMS) counts as sound */
export const SOUND_RMS = 100;

export interface CallAudioStats {
  sentFrames: number;
  sentSoundFrames: number;
  receivedFrames: number;
  receivedSoundFrames: number;
  /** the last playout report of the worklet */
  playout: CallAudioReport | null;
}

function statsFor(callId: string): CallAudioStats {
  const all = (Reflect.get(globalThis, STATS_GLOBAL) as Record<string, CallAudioStats> | undefined) ?? {};
  Reflect.set(globalThis, STATS_GLOBAL, all);
  const stats: CallAudioStats = { sentFrames: 0, sentSoundFrames: 0, receivedFrames: 0, receivedSoundFrames: 0, playout: null };
  all[callId] = stats;
  return stats;
}

export function createWsAudioLink(url: string, stats: CallAudioStats): AudioLink {
  const socket = new WebSocket(url);
  socket.binaryType = 'arraybuffer';
  const listeners = new Set<(frame: Int16Array) => void>();
  socket.addEventListener('message', (e: MessageEvent) => {
    const data: unknown = e.data;
    if (!(data instanceof ArrayBuffer) || data.byteLength !== FRAME_SAMPLES * 2) return;
    const frame = new Int16Array(data);
    stats.receivedFrames++;
    if (rms(frame) > SOUND_RMS) stats.receivedSoundFrames++;
    for (const l of listeners) l(frame);
  });
  return {
    send(frame) {
      if (socket.readyState !== WebSocket.OPEN) return;
      stats.sentFrames++;
      if (rms(frame) > SOUND_RMS) stats.sentSoundFrames++;
      socket.send(frame.slice());
    },
    onFrame(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    report(report) {
      stats.playout = report;
    },
    close() {
      listeners.clear();
      socket.close(1000);
    },
  };
}

/** Installs WebSocket audio links talking to the page's own origin. */
export function installWsAudioLinks(): void {
  const scheme = location.protocol === 'https:' ? 'wss' : 'ws';
  setAudioLinkFactory((callId) => createWsAudioLink(`${scheme}://${location.host}${IPC_PATH}?audio=${encodeURIComponent(callId)}`, statsFor(callId)));
}
