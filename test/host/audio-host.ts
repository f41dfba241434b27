/**
 * Host side of call audio in the renderer test host (issue 6): a CallAudioPort for createAppServices
 * whose device is the page, reached over one WebSocket per call on the host's socket path with
 * `?audio=<callId>` (binary frames of main/services/calls/audio-frames.ts). Either side may come first:
 * main opens a call's audio when its media starts, the page when its call screen shows the call live.
 */
import type { WebSocket } from 'ws';
import type { CallAudio, CallAudioPort } from '../../main/services/calls/index.ts';
import { pcmFrameBytes, pcmFrameOf } from '../../main/services/calls/audio-frames.ts';
import { IPC_PATH } from './protocol.ts';

export const AUDIO_QUERY = 'audio';

interface Pairing {
  push: ((pcm: Int16Array) => void) | null;
  socket: WebSocket | null;
}

export interface HostCallAudio {
  readonly port: CallAudioPort;
  /** takes a socket whose URL is `${IPC_PATH}?audio=<callId>`; false for any other socket */
  accept(socket: WebSocket, url: string | undefined): boolean;
  close(): void;
}

export function audioCallIdOf(url: string | undefined): string | null {
  if (url === undefined) return null;
  const parsed = new URL(url, 'http://host.invalid');
  const callId = parsed.searchParams.get(AUDIO_QUERY);
  return parsed.pathname === IPC_PATH && callId !== null && callId.length > 0 ? callId : null;
}

export function createHostCallAudio(): HostCallAudio {
  const pairings = new Map<string, Pairing>();
  const pairing = (callId: string): Pairing => {
    let p = pairings.get(callId);
    if (p === undefined) {
      p = { push: null, socket: null };
      pairings.set(callId, p);
    }
    return p;
  };
  return {
    port: {
      open(callId, push): CallAudio {
        const p = pairing(callId);
        p.push = push;
        return {
          play(pcm) {
            const socket = p.socket;
            if (socket !== null && socket.readyState === socket.OPEN) socket.send(pcmFrameBytes(pcm), { binary: true });
          },
          close() {
            p.push = null;
            p.socket?.close(1000, 'call ended');
            if (pairings.get(callId) === p) pairings.delete(callId);
          },
        };
      },
    },
    accept(socket, url) {
      const callId = audioCallIdOf(url);
      if (callId === null) return false;
      const p = pairing(callId);
      p.socket?.close(1000, 'replaced');
      p.socket = socket;
      socket.on('message', (data, isBinary) => {
        if (!isBinary) return;
        const frame = pcmFrameOf(data);
        if (frame !== null) p.push?.(frame);
      });
      const gone = () => {
        if (p.socket !== socket) return;
        p.socket = null;
        if (p.push === null && pairings.get(callId) === p) pairings.delete(callId);
      };
      socket.on('close', gone);
      socket.on('error', gone);
      return true;
    },
    close() {
      for (const p of pairings.values()) p.socket?.terminate();
      pairings.clear();
    },
  };
}
