/** A CallsService over a FakeUa, fake media and a recording audio port, for the call-focus tests. */
import type { CallDto } from '#shared/domain/call.ts';
import type { AccountId, CallId } from '#shared/domain/ids.ts';
import { EventBus } from '../../../../main/ipc/event-bus.ts';
import type { NegotiationResult } from '../../../../main/media/index.ts';
import { CallsService } from '../../../../main/services/calls/index.ts';
import type { CallAccount, CallMedia, MediaOpenOptions } from '../../../../main/services/calls/index.ts';
import { DialogLayer } from '../../../../main/sip/dialog/index.ts';
import { openStorage, type Storage } from '../../../../main/storage/storage.ts';
import { FakeClock } from '../../../support/fake-clock.ts';
import { FakeUa } from '../../sip/dialog/fake-ua.ts';

export class RecordingMedia implements CallMedia {
  readonly localPort = 30000;
  held = false;
  /** microphone frames that reached this call's media */
  pushed = 0;
  digits = '';
  readonly open: MediaOpenOptions;
  constructor(open: MediaOpenOptions) {
    this.open = open;
  }
  start(): NegotiationResult {
    return { ok: false, status: 488, reason: 'not used' };
  }
  pushFrame(): void {
    this.pushed++;
  }
  setMuted(): void {}
  setHeld(h: boolean): void {
    this.held = h;
  }
  sendDtmf(d: string): boolean {
    this.digits += d;
    return true;
  }
  stats() {
    return { packetsSent: 0, bytesSent: 0, packetsReceived: 0, bytesReceived: 0, packetsLost: 0, jitter: 0, jitterMs: 0, packetsDiscarded: 0, framesPlayed: 0, framesConcealed: 0, lateDropped: 0, duplicatesDropped: 0, framesDroppedFromQueue: 0 };
  }
  async close(): Promise<void> {}
}

export interface CallsRig {
  readonly calls: CallsService;
  readonly ua: FakeUa;
  readonly layer: DialogLayer;
  readonly clock: FakeClock;
  readonly changes: CallDto[];
  readonly medias: RecordingMedia[];
  /** per call: the microphone callback the audio port got, and how many frames reached the speaker */
  readonly audio: Map<CallId, { push: (pcm: Int16Array) => void; played: number }>;
  readonly storage: Storage;
  readonly emitted: { channel: string; payload: unknown }[];
}

export async function callsRig(): Promise<CallsRig> {
  const storage = await openStorage(':memory:');
  const ua = new FakeUa();
  const clock = new FakeClock();
  const changes: CallDto[] = [];
  const medias: RecordingMedia[] = [];
  const audio = new Map<CallId, { push: (pcm: Int16Array) => void; played: number }>();
  const emitted: { channel: string; payload: unknown }[] = [];
  const bus = new EventBus();
  bus.on('calls:call-changed', (c) => changes.push(c));
  let calls: CallsService | null = null;
  const layer = new DialogLayer({ onIncomingInvite: (r, ch) => void calls?.incoming(account, r, ch) });
  const account: CallAccount = { id: 'acc-alice' as AccountId, aor: 'sip:alice@example.test', displayName: 'Alice', ua, layer, contact: () => '<sip:alice@127.0.0.1:5060>', mediaAddress: '127.0.0.1' };
  let n = 0;
  calls = new CallsService({
    clock,
    emit: (channel, payload) => {
      emitted.push({ channel, payload });
      bus.emit(channel, payload);
    },
    accounts: { resolve: () => account },
    openMedia: async (o) => {
      const m = new RecordingMedia(o);
      medias.push(m);
      return m;
    },
    audio: {
      open: (callId, push) => {
        const entry = { push, played: 0 };
        audio.set(callId, entry);
        return { play: () => void entry.played++, close: () => {} };
      },
    },
    messages: storage,
    pager: null,
    onError: () => {},
    newId: () => `call-${++n}`,
  });
  return { calls, ua, layer, clock, changes, medias, audio, storage, emitted };
}
