/**
 * The app's CallAudioPort (issue 6): each call's audio gets its own MessageChannelMain. Main keeps
 * port1; port2 goes to the window with webContents.postMessage (the preload, main/preload/audio.ts,
 * passes it on to the page, whose AudioLink is renderer/src/audio/port-link.ts). Frames are 320-byte
 * ArrayBuffers both ways, checked before they reach the media session (callAudioOverPort in
 * main/services/calls/audio-frames.ts, tested under Node). Binary audio stays off the IPC contract.
 */
import { MessageChannelMain, type WebContents } from 'electron';
import type { CallAudioPort } from '../services/calls/index.ts';
import { AUDIO_PORT_CHANNEL, callAudioOverPort } from '../services/calls/audio-frames.ts';

export function createElectronCallAudio(contents: () => WebContents | null | undefined): CallAudioPort {
  return {
    open(callId, push) {
      const { port1, port2 } = new MessageChannelMain();
      const relay = callAudioOverPort(port1, push);
      port1.on('message', (event) => relay.receive(event.data));
      port1.start();
      const target = contents();
      if (target && !target.isDestroyed()) target.postMessage(AUDIO_PORT_CHANNEL, { callId }, [port2]);
      else port2.close();
      return relay.audio;
    },
  };
}
