/**
 * The app's AudioLink: one MessagePort per call, created by main (main/app/call-audio.ts) and handed to
 * the page by the preload with window.postMessage({ type: 'messenger-audio-port', callId }, '*', [port])
 * (contextBridge cannot carry MessagePorts). Ports can arrive before the call screen asks for them, so
 * they are parked by call id from the moment this module loads. Frames travel as transferred
 * ArrayBuffers of 640 bytes (320 little-endian Int16 at 16 kHz); main ends a call's port with the string 'close'.
 */
import { setDefaultAudioLinkFactory, type AudioLink } from './audio-link.ts';
import { FRAME_SAMPLES } from './framer.ts';

/** must equal AUDIO_PORT_MESSAGE in main/services/calls/audio-frames.ts (checked by a unit test) */
export const AUDIO_PORT_MESSAGE = 'messenger-audio-port';
export const AUDIO_PORT_CLOSE = 'close';

interface PortEntry {
  port: MessagePort | null;
  /** the open link's handler for this call's port, or null while the port is parked */
  attach: ((port: MessagePort) => void) | null;
}

const entries = new Map<string, PortEntry>();

function entry(callId: string): PortEntry {
  let e = entries.get(callId);
  if (e === undefined) {
    e = { port: null, attach: null };
    entries.set(callId, e);
  }
  return e;
}

function isPortMessage(data: unknown): data is { type: string; callId: string } {
  if (typeof data !== 'object' || data === null) return false;
  return Reflect.get(data, 'type') === AUDIO_PORT_MESSAGE && typeof Reflect.get(data, 'callId') === 'string';
}

/** main ended the call's audio: forget its port */
function ended(callId: string, port: MessagePort): void {
  const e = entries.get(callId);
  if (e?.port !== port) return;
  entries.delete(callId);
  port.close();
}

/** no link open: frames are dropped, only the end is heard */
function park(callId: string, port: MessagePort): void {
  port.onmessage = (m: MessageEvent) => {
    if (m.data === AUDIO_PORT_CLOSE) ended(callId, port);
  };
}

/** A call's port from the preload (exported for tests, which hand ports in directly). */
export function acceptAudioPort(callId: string, port: MessagePort): void {
  const e = entry(callId);
  if (e.port !== null && e.port !== port) e.port.close();
  e.port = port;
  if (e.attach !== null) e.attach(port);
  else park(callId, port);
}

/**
 * The link of one call. Closing it (the call screen went away) only parks the port: main owns the
 * call's audio and ends the port with 'close'; the screen can open the link again meanwhile.
 */
export function portAudioLink(callId: string): AudioLink {
  const e = entry(callId);
  const listeners = new Set<(frame: Int16Array) => void>();
  let port: MessagePort | null = null;
  let closed = false;
  const attach = (p: MessagePort) => {
    port = p;
    p.onmessage = (m: MessageEvent) => {
      const data: unknown = m.data;
      if (data === AUDIO_PORT_CLOSE) return ended(callId, p);
      if (!(data instanceof ArrayBuffer) || data.byteLength !== FRAME_SAMPLES * 2) return;
      const frame = new Int16Array(data);
      for (const l of listeners) l(frame);
    };
  };
  e.attach = attach;
  if (e.port !== null) attach(e.port);
  return {
    send(frame) {
      if (closed || port === null || frame.length !== FRAME_SAMPLES) return;
      const whole = frame.byteOffset === 0 && frame.byteLength === frame.buffer.byteLength ? frame : frame.slice();
      const buffer = whole.buffer;
      if (buffer instanceof ArrayBuffer) port.postMessage(buffer, [buffer]);
    },
    onFrame(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    close() {
      if (closed) return;
      closed = true;
      listeners.clear();
      if (e.attach === attach) e.attach = null;
      if (port !== null && e.port === port) park(callId, port);
    },
  };
}

if (typeof window !== 'undefined') {
  window.addEventListener('message', (event: MessageEvent) => {
    if (event.source !== window || !isPortMessage(event.data)) return;
    const [port] = event.ports;
    if (port !== undefined) acceptAudioPort(event.data.callId, port);
  });
  setDefaultAudioLinkFactory(portAudioLink);
}
