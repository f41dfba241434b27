import { describe, expect, it } from 'vitest';
import { AUDIO_PORT_CHANNEL, AUDIO_PORT_MESSAGE } from '../../../main/services/calls/audio-frames.ts';
import { forwardAudioPorts, type AudioPortIpc } from '../../../main/preload/audio.ts';

type Listener = Parameters<AudioPortIpc['on']>[1];

function fakeIpc() {
  const listeners = new Map<string, Listener>();
  const ipc: AudioPortIpc = { on: (channel, listener) => listeners.set(channel, listener) };
  return { ipc, emit: (channel: string, ports: unknown[], payload: unknown) => listeners.get(channel)?.({ ports }, payload) };
}

describe('preload: call audio ports go from main to the page beside the contract', () => {
  it('hands each port to the page with its call id, and nothing without a port or a call id', () => {
    const { ipc, emit } = fakeIpc();
    const posted: { message: unknown; origin: string; transfer: unknown[] }[] = [];
    forwardAudioPorts(ipc, { postMessage: (message: unknown, origin: string, transfer: unknown[]) => posted.push({ message, origin, transfer }) });
    const port = { fake: 'port' };
    emit(AUDIO_PORT_CHANNEL, [port], { callId: 'call-1' });
    emit(AUDIO_PORT_CHANNEL, [], { callId: 'call-2' });
    emit(AUDIO_PORT_CHANNEL, [port], { callId: 7 });
    emit(AUDIO_PORT_CHANNEL, [port], null);
    expect(posted).toEqual([{ message: { type: AUDIO_PORT_MESSAGE, callId: 'call-1' }, origin: '*', transfer: [port] }]);
  });

  it('outside a window (no postMessage) it listens to nothing', () => {
    const { ipc } = fakeIpc();
    let subscribed = 0;
    forwardAudioPorts({ on: (c, l) => (subscribed++, ipc.on(c, l)) }, {});
    expect(subscribed).toBe(0);
  });
});
