/**
 * Call audio ports (issue 6): main sends each call's MessagePort on 'calls:audio-port'
 * (main/app/call-audio.ts). contextBridge cannot carry MessagePorts, so the preload hands the port to the
 * page with window.postMessage (the pattern of Electron's MessagePort guide); the page's AudioLink
 * (renderer/src/audio/port-link.ts) takes it from there. Nothing else is forwarded.
 */
import { AUDIO_PORT_CHANNEL, AUDIO_PORT_MESSAGE } from '../services/calls/audio-frames.ts';

export interface AudioPortIpc {
  on(channel: string, listener: (event: { readonly ports: readonly unknown[] }, ...args: unknown[]) => void): unknown;
}

export interface PageWindow {
  postMessage(message: unknown, targetOrigin: string, transfer: unknown[]): void;
}

function isPageWindow(value: unknown): value is PageWindow {
  return typeof value === 'object' && value !== null && typeof Reflect.get(value, 'postMessage') === 'function';
}

function callIdOf(payload: unknown): string | null {
  if (typeof payload !== 'object' || payload === null) return null;
  const callId: unknown = Reflect.get(payload, 'callId');
  return typeof callId === 'string' && callId.length > 0 && callId.length <= 200 ? callId : null;
}

/** Forwards every call audio port from main to the page (`page` is the preload's window). */
export function forwardAudioPorts(ipc: AudioPortIpc, page: unknown = globalThis): void {
  if (!isPageWindow(page)) return;
  ipc.on(AUDIO_PORT_CHANNEL, (event, payload) => {
    const callId = callIdOf(payload);
    const port = event.ports[0];
    if (callId === null || port === undefined) return;
    page.postMessage({ type: AUDIO_PORT_MESSAGE, callId }, '*', [port]);
  });
}
