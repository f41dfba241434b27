/**
 * The wire form of call audio between the renderer and main (issue 6): one 20 ms frame of 320 16-bit
 * samples at 16 kHz as 640 little-endian bytes, outside the IPC request/response contract. 16 kHz keeps
 * G.722's wideband (50-7000 Hz, issue 13) from the microphone to the speaker; for a G.711 call the media
 * session converts to and from 8 kHz (main/media/audio-pipeline.ts). Used by the app's MessagePort (main/app/call-audio.ts) and the test host's
 * WebSocket (test/host/audio-host.ts). Frames come from the page, so they are checked, never trusted.
 */

/** the PCM rate of call audio between page and main (MediaSession's sampleRate in the app) */
export const CALL_AUDIO_RATE = 16000;
export const AUDIO_FRAME_SAMPLES = CALL_AUDIO_RATE / 50;
export const AUDIO_FRAME_BYTES = AUDIO_FRAME_SAMPLES * 2;
/** main → preload: the IPC channel that carries a call's MessagePort */
export const AUDIO_PORT_CHANNEL = 'calls:audio-port';
/** preload → page: window.postMessage({ type, callId }, '*', [port]) (renderer/src/audio/port-link.ts) */
export const AUDIO_PORT_MESSAGE = 'messenger-audio-port';
/** main → page on the port: the call's audio ended */
export const AUDIO_PORT_CLOSE = 'close';

function bytesOf(data: unknown): Uint8Array | null {
  if (data instanceof Uint8Array) return data;
  if (ArrayBuffer.isView(data)) return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  if (data instanceof ArrayBuffer || Object.prototype.toString.call(data) === '[object ArrayBuffer]') return new Uint8Array(data as ArrayBuffer);
  return null;
}

/** A frame from the page, or null for anything that is not exactly 640 bytes of binary data. */
export function pcmFrameOf(data: unknown): Int16Array | null {
  const bytes = bytesOf(data);
  if (bytes === null || bytes.byteLength !== AUDIO_FRAME_BYTES) return null;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const frame = new Int16Array(AUDIO_FRAME_SAMPLES);
  for (let i = 0; i < AUDIO_FRAME_SAMPLES; i++) frame[i] = view.getInt16(2 * i, true);
  return frame;
}

/** A frame for the page: a fresh little-endian buffer (transferable, never shared with the caller). */
export function pcmFrameBytes(pcm: Int16Array): ArrayBuffer {
  const out = new ArrayBuffer(pcm.length * 2);
  const view = new DataView(out);
  for (let i = 0; i < pcm.length; i++) view.setInt16(2 * i, pcm[i] ?? 0, true);
  return out;
}

/** The one method of a port (Electron's MessagePortMain in the app) that the main side sends with. */
export interface FramePort {
  postMessage(data: unknown): void;
  close(): void;
}

/**
 * Main's end of one call's audio port: `receive` takes what the page posted (checked frames go to
 * `push`, anything else is dropped); `audio` plays the far end into the port and ends it with 'close'.
 */
export function callAudioOverPort(port: FramePort, push: (pcm: Int16Array) => void): { receive(data: unknown): void; audio: { play(pcm: Int16Array): void; close(): void } } {
  let open = true;
  return {
    receive(data) {
      const frame = open ? pcmFrameOf(data) : null;
      if (frame !== null) push(frame);
    },
    audio: {
      play(pcm) {
        if (open) port.postMessage(pcmFrameBytes(pcm));
      },
      close() {
        if (!open) return;
        open = false;
        port.postMessage(AUDIO_PORT_CLOSE);
        port.close();
      },
    },
  };
}
