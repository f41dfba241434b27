/**
 * Helpers for the call integration tests: one of our accounts (real UDP transport + UserAgent, from
 * register-kit.ts) with a DialogLayer, a CallsService on real MediaSessions and real storage (in memory),
 * and a test audio port: a WAV/tone source paced at 20 ms and a recorder of what we decode.
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import dgram from 'node:dgram';
import { decodeMulaw } from '../../main/media/g711.ts';
import { decodeRtpPacket } from '../../main/media/rtp-packet.ts';
import type { CallDto } from '#shared/domain/call.ts';
import type { MessageDto } from '#shared/domain/chat.ts';
import type { AccountId, CallId } from '#shared/domain/ids.ts';
import { EventBus } from '../../main/ipc/event-bus.ts';
import { MediaSession, readWav, toFrames } from '../../main/media/index.ts';
import { CallsService } from '../../main/services/calls/index.ts';
import type { CallAccount, CallAudioPort } from '../../main/services/calls/index.ts';
import type { SrtpMode } from '../../main/services/calls/call-ports.ts';
import type { PagerSender } from '../../main/services/chats/pager.ts';
import { attachDialogLayer, DialogLayer, dialogUserAgent } from '../../main/sip/dialog/index.ts';
import { systemClock, type Clock } from '../../main/sip/transaction/index.ts';
import { sendPagerMessage } from '../../main/sip/ua/index.ts';
import { openStorage, type Storage } from '../../main/storage/storage.ts';
import { makeAccount, settled, type Account } from './register-kit.ts';

export const WAV_PATH = new URL('../fixtures/audio/callwaiting.wav', import.meta.url);

/**
 * baresip's `aufile` source ends the call when its file runs out ("menu: audio error (0,end of file)"):
 * callwaiting.wav lasts 5 s, which a call test on a loaded machine can outlive (the call then vanishes
 * mid-test). baresip plays this instead: the same WAV repeated `times` times (default 60 s), written once
 * per process to the OS temp dir. What it sends is still found in `wavSamples()`.
 */
export function loopedWavPath(times = 12): string {
  const path = join(tmpdir(), `sipm-callwaiting-x${String(times)}-${String(process.pid)}.wav`);
  if (existsSync(path)) return path;
  const one = wavSamples();
  const all = new Int16Array(one.length * times);
  for (let k = 0; k < times; k++) all.set(one, k * one.length);
  writeMonoWav(path, all);
  return path;
}

export function wavSamples(): Int16Array {
  const r = readWav(readFileSync(WAV_PATH));
  if (!r.ok) throw new Error(r.error);
  return r.wav.samples;
}

/** 160-sample frames of a 440 Hz tone at 8 kHz */
export function toneFrames(seconds: number): Int16Array[] {
  const n = seconds * 8000;
  const s = new Int16Array(n);
  for (let i = 0; i < n; i++) s[i] = Math.round(8000 * Math.sin((2 * Math.PI * 440 * i) / 8000));
  return toFrames(s);
}

export class TestAudio implements CallAudioPort {
  readonly played = new Map<CallId, Int16Array[]>();
  readonly #source: () => Int16Array[];

  constructor(source: () => Int16Array[]) {
    this.#source = source;
  }

  open(callId: CallId, push: (pcm: Int16Array) => void) {
    const frames = this.#source();
    const played: Int16Array[] = [];
    this.played.set(callId, played);
    let i = 0;
    // the "microphone": one frame every 20 ms, as a sound card would deliver them
    const timer = setInterval(() => {
      const f = frames[i++ % frames.length];
      if (f !== undefined) push(f);
    }, 20);
    return {
      play: (pcm: Int16Array) => void played.push(pcm),
      close: () => clearInterval(timer),
    };
  }

  samples(callId: CallId): Int16Array {
    const frames = this.played.get(callId) ?? [];
    const out = new Int16Array(frames.reduce((n, f) => n + f.length, 0));
    let at = 0;
    for (const f of frames) {
      out.set(f, at);
      at += f.length;
    }
    return out;
  }
}

export interface CallRig {
  readonly account: Account;
  readonly calls: CallsService;
  readonly storage: Storage;
  readonly audio: TestAudio;
  readonly changes: CallDto[];
  readonly messages: MessageDto[];
  readonly accountId: AccountId;
  close(): Promise<void>;
}

export async function makeCallRig(spec: {
  user: 'alice' | 'bob' | 'carol';
  password: string;
  sipPort: number;
  withPager?: boolean;
  inactivityTimeoutMs?: number;
  /** the clock of the calls' INVITE sessions (session timers); the transactions and media keep the real one */
  callClock?: Clock;
  sessionExpires?: number;
  /** SRTP for this account's calls (the app's glue decides it from the transport) */
  srtp?: SrtpMode;
  /** the rate of our "microphone" and of what we decode (16 000: 320-sample frames, G.722's band) */
  sampleRate?: 8000 | 16000;
  /** the "microphone" (default: one second of a 440 Hz tone at 8 kHz) */
  source?: () => Int16Array[];
}): Promise<CallRig> {
  const account = await makeAccount({ user: spec.user, password: spec.password, protocol: 'udp', sipPort: spec.sipPort });
  const accountId = `acc-${spec.user}` as AccountId;
  const storage = await openStorage(':memory:');
  await storage.saveAccount({
    id: accountId, aor: `sip:${spec.user}@example.test`, displayName: spec.user, authUser: spec.user, passwordSecret: null,
    registrar: 'example.test', outboundProxy: null, transport: 'udp', port: null, cpim: false, pinnedCertificate: null,
    enabled: true, createdAt: 1_000,
  });
  const bus = new EventBus();
  const changes: CallDto[] = [];
  const messages: MessageDto[] = [];
  bus.on('calls:call-changed', (c) => changes.push(c));
  bus.on('chats:message-changed', (m) => messages.push(m));
  bus.on('chats:message-received', (m) => messages.push(m));
  let calls: CallsService | null = null;
  const layer = new DialogLayer({ onIncomingInvite: (r, ch) => void calls?.incoming(callAccount, r, ch) });
  const callAccount: CallAccount = {
    id: accountId,
    aor: `sip:${spec.user}@example.test`,
    displayName: spec.user,
    ua: dialogUserAgent(account.ua),
    layer,
    contact: () => account.ua.contact(),
    mediaAddress: '127.0.0.1',
    ...(spec.srtp !== undefined ? { srtp: spec.srtp } : {}),
  };
  const detach = attachDialogLayer(account.ua, layer);
  const pager: PagerSender = {
    send: async (r) => {
      const res = await sendPagerMessage(account.ua, { target: r.target, body: r.body, contentType: r.contentType, expiresSeconds: r.expiresSeconds, date: r.date });
      return { kind: 'response', status: res.status, reason: res.reason, accept: null };
    },
    isCongestionControlled: () => false,
  };
  // our "microphone" plays a tone, so what we decode cannot be our own audio coming back
  const audio = new TestAudio(spec.source ?? (() => toneFrames(1)));
  calls = new CallsService({
    clock: spec.callClock ?? systemClock,
    ...(spec.sessionExpires !== undefined ? { sessionExpires: spec.sessionExpires } : {}),
    emit: bus.emit,
    accounts: { resolve: () => callAccount },
    openMedia: (o) =>
      MediaSession.open({ clock: systemClock, bindAddress: o.bindAddress, ...(spec.sampleRate === undefined ? {} : { sampleRate: spec.sampleRate }), onAudio: o.onAudio, onInactive: o.onInactive, onDtmf: (e) => o.onDtmf?.(e.digit), ...(spec.inactivityTimeoutMs === undefined ? {} : { inactivityTimeoutMs: spec.inactivityTimeoutMs }) }),
    audio,
    messages: storage,
    pager: spec.withPager === false ? null : pager,
    onError: () => {},
  });
  account.registration.start();
  const status = await settled(account);
  if (status.state !== 'registered') throw new Error(`${spec.user} did not register: ${JSON.stringify(status)}`);
  const service = calls;
  return {
    account, calls: service, storage, audio, changes, messages, accountId,
    close: async () => {
      await service.closeAll();
      detach();
      await account.close();
      await storage.close();
    },
  };
}

/** best normalized cross-correlation of `window` against `reference` over every lag */
export function bestCorrelation(window: Int16Array, reference: Int16Array): { lag: number; r: number } {
  let best = { lag: -1, r: -1 };
  let wEnergy = 0;
  for (const v of window) wEnergy += v * v;
  for (let lag = 0; lag + window.length <= reference.length; lag++) {
    let dot = 0;
    let rEnergy = 0;
    for (let i = 0; i < window.length; i++) {
      const x = reference[lag + i] ?? 0;
      dot += (window[i] ?? 0) * x;
      rEnergy += x * x;
    }
    const r = rEnergy === 0 || wEnergy === 0 ? 0 : dot / Math.sqrt(wEnergy * rEnergy);
    if (r > best.r) best = { lag, r };
  }
  return best;
}

/**
 * How well decoded audio matches `reference`: 50 ms windows of `heard` (or `windowSamples`), the loud ones (at least half the
 * loudest: the reference may pause; at most the last `maxWindows`), each found in the reference
 * (bestCorrelation); the median and lowest r. A packet late on a loaded machine splices the decoded stream
 * (a gap or concealment): the one window straddling the splice matches less, the median does not move.
 */
export function loudWindowsMatch(
  heard: Int16Array,
  reference: Int16Array,
  maxWindows = 20,
  windowSamples = 400,
): { windows: number; median: number; lowest: number } {
  const windows: Int16Array[] = [];
  for (let i = 0; i + windowSamples <= heard.length; i += windowSamples) windows.push(heard.subarray(i, i + windowSamples));
  const loudest = Math.max(0, ...windows.map(rms));
  const loud = windows.filter((w) => loudest > 0 && rms(w) >= loudest / 2).slice(-maxWindows);
  const r = loud.map((w) => bestCorrelation(w, reference).r).sort((a, b) => a - b);
  return { windows: loud.length, median: r[Math.floor(r.length / 2)] ?? 0, lowest: r[0] ?? 0 };
}

/**
 * How many 50 ms windows of decoded audio are loud (rms above 5000): callwaiting.wav beeps at rms 15,000–18,000
 * in its first 0.75 s of every 5 s and is quiet (rms 256) otherwise, so a test that matches the WAV waits for
 * these rather than for a packet count (a loaded machine may lose the first beep at call start).
 */
export function loudWavWindows(heard: Int16Array): number {
  let n = 0;
  for (let i = 0; i + 400 <= heard.length; i += 400) if (rms(heard.subarray(i, i + 400)) > 5000) n++;
  return n;
}

/**
 * How well what baresip decoded from us matches our 440 Hz tone: each loud 20 ms frame of its last 2 s (one
 * packet each: baresip's decoded dump is written frame by frame from sample 0), found in the tone. On a loaded
 * machine a late packet leaves baresip's jitter buffer empty and it writes a silent frame between tone frames
 * (seen at load 18: every other frame), so silent frames are not judged and 50 ms windows would straddle the
 * gaps. Ciphertext decoded as PCMU is loud noise that matches nowhere (our wire read that way: r about 0.02).
 */
export function toneFramesMatch(heardByBaresip: Int16Array): { windows: number; median: number; lowest: number } {
  const tone = Int16Array.from(toneFrames(1).flatMap((f) => [...f]));
  return loudWindowsMatch(heardByBaresip.subarray(Math.max(0, heardByBaresip.length - 16_000)), tone, 100, 160);
}

/** root mean square of a PCM buffer */
export function rms(s: Int16Array): number {
  let sum = 0;
  for (const v of s) sum += v * v;
  return s.length === 0 ? 0 : Math.sqrt(sum / s.length);
}

/**
 * What baresip decoded from us so far (its sndfile filter, started with `recordReceived`): the samples of
 * the newest dump-*-dec.wav in `dir`, read while baresip is still writing it (the data chunk runs to EOF).
 */
export function baresipHeard(dir: string): Int16Array {
  const files = readdirSync(dir).filter((f) => f.endsWith('-dec.wav')).sort();
  const last = files.at(-1);
  if (last === undefined) return new Int16Array(0);
  const bytes = readFileSync(join(dir, last));
  const data = bytes.indexOf('data', 12, 'latin1');
  if (data < 0) return new Int16Array(0);
  const start = data + 8;
  const n = Math.floor((bytes.length - start) / 2);
  const out = new Int16Array(n);
  for (let i = 0; i < n; i++) out[i] = bytes.readInt16LE(start + 2 * i);
  return out;
}

/**
 * Every RTP datagram our process hands to the kernel for `toPort` (dgram send, i.e. the bytes on the
 * wire), decoded as PCMU: `samples()` is the audio the far end receives from us, in send order.
 */
export function tapSentPcmu(toPort: () => number | undefined): { samples(): Int16Array; stop(): void } {
  const proto = dgram.Socket.prototype as unknown as { send: (...args: unknown[]) => void };
  const original = proto.send;
  const frames: Int16Array[] = [];
  proto.send = function (this: dgram.Socket, ...args: unknown[]) {
    const [data, port] = args;
    if (data instanceof Uint8Array && port === toPort()) {
      const d = decodeRtpPacket(new Uint8Array(data));
      if (d.ok && d.packet.payloadType === 0) frames.push(decodeMulaw(d.packet.payload));
    }
    original.apply(this, args);
  };
  return {
    samples: () => {
      const out = new Int16Array(frames.length * 160);
      frames.forEach((f, k) => out.set(f.subarray(0, 160), k * 160));
      return out;
    },
    stop: () => {
      proto.send = original;
    },
  };
}

/**
 * The system clock with every delay divided by `factor`: RFC 4028 session intervals are minutes (Min-SE
 * is 90 s), so a test sees refreshes in seconds; the exact instants are unit-tested on the fake clock.
 */
export function scaledClock(factor: number): Clock {
  return {
    now: () => systemClock.now() * factor,
    setTimeout: (fn, ms) => systemClock.setTimeout(fn, ms / factor),
    clearTimeout: (h) => systemClock.clearTimeout(h),
  };
}

/** writes a mono 16-bit 8 kHz WAV of a `hz` tone (amplitude 8000) lasting `seconds`, for baresip's aufile source */
export function writeToneWav(path: string, hz: number, seconds: number): string {
  const s = new Int16Array(seconds * 8000);
  for (let i = 0; i < s.length; i++) s[i] = Math.round(8000 * Math.sin((2 * Math.PI * hz * i) / 8000));
  writeMonoWav(path, s);
  return path;
}

/** writes 8 kHz mono 16-bit PCM as a WAV file (RIFF, one fmt and one data chunk) */
export function writeMonoWav(path: string, samples: Int16Array): void {
  const n = samples.length;
  const bytes = Buffer.alloc(44 + 2 * n);
  bytes.write('RIFF', 0, 'latin1');
  bytes.writeUInt32LE(36 + 2 * n, 4);
  bytes.write('WAVEfmt ', 8, 'latin1');
  bytes.writeUInt32LE(16, 16);
  bytes.writeUInt16LE(1, 20);
  bytes.writeUInt16LE(1, 22);
  bytes.writeUInt32LE(8000, 24);
  bytes.writeUInt32LE(16000, 28);
  bytes.writeUInt16LE(2, 32);
  bytes.writeUInt16LE(16, 34);
  bytes.write('data', 36, 'latin1');
  bytes.writeUInt32LE(2 * n, 40);
  for (let i = 0; i < n; i++) bytes.writeInt16LE(samples[i] ?? 0, 44 + 2 * i);
  writeFileSync(path, bytes);
}

/** zero crossings per second of 8 kHz PCM: about twice the frequency of a pure tone */
export function crossingsPerSecond(s: Int16Array): number {
  let crossings = 0;
  for (let i = 1; i < s.length; i++) if (((s[i - 1] ?? 0) < 0) !== ((s[i] ?? 0) < 0)) crossings++;
  return s.length < 2 ? 0 : (crossings * 8000) / s.length;
}
