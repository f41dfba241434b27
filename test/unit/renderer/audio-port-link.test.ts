/**
 * The app's audio path between main and the page over a real MessageChannel (Node's, as Electron's
 * MessagePortMain and the page's MessagePort stand in for each other here): main's end is
 * callAudioOverPort (main/app/call-audio.ts wires it to MessageChannelMain), the page's is portAudioLink.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { callAudioOverPort } from '../../../main/services/calls/audio-frames.ts';
import { FRAME_SAMPLES } from '../../../renderer/src/audio/framer.ts';
import { acceptAudioPort, portAudioLink } from '../../../renderer/src/audio/port-link.ts';

const open: MessagePort[] = [];
afterEach(() => {
  for (const p of open.splice(0)) p.close();
});

function channel() {
  const { port1, port2 } = new MessageChannel();
  open.push(port1, port2);
  const pushed: Int16Array[] = [];
  let onPush: (() => void) | null = null;
  const relay = callAudioOverPort(port1, (pcm) => {
    pushed.push(pcm);
    onPush?.();
  });
  port1.onmessage = (e: MessageEvent) => relay.receive(e.data);
  const nextPush = () => new Promise<void>((resolve) => (onPush = resolve));
  return { main: relay, pagePort: port2, pushed, nextPush };
}

/** a 20 ms frame at the call rate (320 samples at 16 kHz) */
const frame = (value: number, length = FRAME_SAMPLES) => new Int16Array(length).fill(value);

describe('call audio over a MessagePort per call (main ⇄ page)', () => {
  it('a port that came before the call screen is parked; the link then carries frames both ways, checked on main', async () => {
    const { main, pagePort, pushed, nextPush } = channel();
    acceptAudioPort('call-1', pagePort);
    const link = portAudioLink('call-1');
    const heard = new Promise<Int16Array>((resolve) => link.onFrame(resolve));
    main.audio.play(frame(-1234));
    expect(Array.from(await heard)).toEqual(Array.from(frame(-1234)));

    const pushedOnce = nextPush();
    link.send(frame(99, 10)); // not a 20 ms frame: never sent
    link.send(frame(4321));
    await pushedOnce;
    expect(pushed.map((f) => f[0])).toEqual([4321]);
    main.receive('not audio');
    main.receive(new ArrayBuffer(100));
    expect(pushed).toHaveLength(1);
    link.close();
  });

  it('a link opened before its port arrives starts carrying once the port comes', async () => {
    const { main, pagePort } = channel();
    const link = portAudioLink('call-2');
    link.send(frame(1)); // no port yet: dropped, no throw
    const heard = new Promise<Int16Array>((resolve) => link.onFrame(resolve));
    acceptAudioPort('call-2', pagePort);
    main.audio.play(frame(77));
    expect((await heard)[FRAME_SAMPLES - 1]).toBe(77);
    link.close();
  });

  it('after main closes a call\'s audio it plays nothing more and takes nothing more', () => {
    const { main, pushed } = channel();
    main.audio.close();
    main.audio.close(); // twice is harmless
    expect(() => main.audio.play(frame(5))).not.toThrow();
    main.receive(new Int16Array(FRAME_SAMPLES).buffer);
    expect(pushed).toHaveLength(0);
  });
});

describe('call audio port while the call screen comes and goes', () => {
  it('closing the link (screen left) keeps the port: a new link for the same call carries frames again', async () => {
    const { main, pagePort } = channel();
    acceptAudioPort('call-3', pagePort);
    portAudioLink('call-3').close();
    const again = portAudioLink('call-3');
    const heard = new Promise<Int16Array>((resolve) => again.onFrame(resolve));
    main.audio.play(frame(31));
    expect((await heard)[0]).toBe(31);
    again.close();
  });
});
