/**
 * One call's audio: glue between the negotiated SDP, the RTP session, the codecs (G.722, G.711), the
 * jitter buffer and DTMF. The app speaks PCM at `sampleRate` (8 or 16 kHz: 160 or 320 samples a frame);
 * audio-pipeline.ts converts to and from the negotiated codec's rate.
 *
 * Send path (every ptime = 20 ms, paced by the injected clock, drift-free): take the next PCM frame the
 * app pushed, encode it with the negotiated codec and send it. The RTP timestamp advances by 160 per
 * tick (an 8000 clock for G.711 and G.722 alike, RFC 3551 §4.5.2) whether or not a packet goes out, so
 * the remote sees real time.
 * - Underrun (the app pushed nothing in time): a silence frame is sent, keeping the stream continuous.
 * - Mute: SILENCE is sent (frames the app pushes are discarded), so NAT bindings and the remote's
 *   jitter buffer stay alive and the remote can tell "muted" from "lost".
 * - Local hold (setHeld, RFC 3264 §8.4): we chose `sendonly` + silence over `inactive`: SILENCE frames
 *   keep going (NAT bindings, the remote's jitter buffer and its RTP inactivity check stay alive, and
 *   a PBX may still play its own music), the microphone is discarded until resume.
 * - Hold: when the negotiated direction does not allow sending (sendonly held by them, recvonly or
 *   inactive), nothing is sent; the first packet after resume carries the marker bit (RFC 3551 §4.1).
 * - DTMF: telephone-events (RFC 4733) replace audio while an event is being sent.
 * Receive path: audio goes into the jitter buffer; each tick one frame is pulled, decoded and given to
 * `onAudio`; a missing frame is concealed (loss-concealer.ts). Telephone-events become `onDtmf` digits.
 */
import type { Clock, TimerHandle } from '../sip/transaction/clock.ts';
import { G722, PCMA, PCMU, type AudioCodec } from './audio-codecs.ts';
import { AudioDecoderPipe, AudioEncoderPipe, codecOfPayloadType } from './audio-pipeline.ts';
import { DtmfEventSender, DtmfReceiver, dtmfEventCode, type DtmfDigitEvent } from './dtmf.ts';
import { JitterBuffer, type JitterBufferOptions } from './jitter-buffer.ts';
import { LossConcealer } from './loss-concealer.ts';
import type { RtpPacket } from './rtp-packet.ts';
import { RtpSession } from './rtp-session.ts';
import type { RtpStatsSnapshot } from './rtp-stats.ts';
import type { PcmRate } from './rate-converter.ts';
import type { SessionDescription } from './sdp.ts';
import { negotiate, type NegotiatedAudio, type NegotiationResult } from './sdp-offer-answer.ts';
import type { NegotiatedSrtp } from './sdp-srtp.ts';
import { SrtpContext, type SrtpSuite } from './srtp/srtp-context.ts';
import type { CryptoAttribute } from './srtp/sdes.ts';

function srtpContext(suite: SrtpSuite, key: CryptoAttribute): SrtpContext {
  return new SrtpContext(suite, key.masterKey, key.masterSalt);
}

function sameKeys(a: NegotiatedSrtp | null, b: NegotiatedSrtp | null): boolean {
  if (a === null || b === null) return a === b;
  const same = (x: CryptoAttribute, y: CryptoAttribute): boolean => x.masterKey.equals(y.masterKey) && x.masterSalt.equals(y.masterSalt);
  return a.suite === b.suite && same(a.ours, b.ours) && same(a.theirs, b.theirs);
}

/** RTP timestamp units per 20 ms frame (the 8000 clock) and app samples per frame at 8 kHz */
export const FRAME_SAMPLES = 160;
export const FRAME_MS = 20;

export interface MediaSessionOptions {
  readonly clock: Clock;
  readonly bindAddress: string;
  readonly port?: number;
  /** the rate of the PCM the app pushes and `onAudio` gets: 8000 (default, 160-sample frames) or 16000 (320) */
  readonly sampleRate?: PcmRate;
  readonly onAudio?: (pcm: Int16Array) => void;
  readonly onDtmf?: (event: DtmfDigitEvent) => void;
  readonly jitter?: JitterBufferOptions;
  /** frames the app may queue ahead of the pacer before the oldest is dropped (default 10 = 200 ms) */
  readonly maxQueuedFrames?: number;
  /**
   * No RTP or RTCP at all for this long while we expect media (sendrecv/recvonly for us) means the far
   * end is gone: `onInactive` fires once (default 30 000 ms; 0 turns the check off)
   */
  readonly inactivityTimeoutMs?: number;
  readonly onInactive?: () => void;
  /** RTCP report interval (RFC 3550 §6.2), default 5000 ms */
  readonly rtcpIntervalMs?: number;
}

export interface MediaStats extends RtpStatsSnapshot {
  readonly framesPlayed: number;
  readonly framesConcealed: number;
  readonly lateDropped: number;
  readonly duplicatesDropped: number;
  readonly framesDroppedFromQueue: number;
}

interface QueuedDigit {
  readonly event: number;
  readonly durationMs: number;
}

export class MediaSession {
  private readonly clock: Clock;
  private readonly rtp: RtpSession;
  private readonly options: MediaSessionOptions;
  private readonly jitter: JitterBuffer<RtpPacket>;
  private readonly concealer: LossConcealer;
  /** app samples per 20 ms frame */
  readonly frameSamples: number;
  readonly sampleRate: PcmRate;
  private encoder: AudioEncoderPipe | null = null;
  /** one decoder per payload type heard (the far end may switch among the answer's codecs) */
  private readonly decoders = new Map<number, AudioDecoderPipe>();
  private readonly dtmfReceiver: DtmfReceiver;
  private readonly sendQueue: Int16Array[] = [];
  private readonly digits: QueuedDigit[] = [];
  private negotiated: NegotiatedAudio | null = null;
  private timestamp = Math.floor(Math.random() * 0x100000000);
  private marker = true;
  private muted = false;
  private held = false;
  private dtmf: DtmfEventSender | null = null;
  private interDigitTicks = 0;
  private timer: TimerHandle | null = null;
  private nextTickAt = 0;
  private queueDrops = 0;
  private concealed = 0;
  private closed = false;
  private lastHeardAt = 0;
  private inactiveReported = false;

  private constructor(options: MediaSessionOptions, rtp: RtpSession) {
    this.options = options;
    this.clock = options.clock;
    this.rtp = rtp;
    this.sampleRate = options.sampleRate ?? 8000;
    this.frameSamples = this.sampleRate / 50;
    this.concealer = new LossConcealer(this.frameSamples);
    this.jitter = new JitterBuffer<RtpPacket>({ frameMs: FRAME_MS, ...options.jitter });
    this.dtmfReceiver = new DtmfReceiver((e) => this.options.onDtmf?.(e));
    rtp.on({
      onRtp: (p) => this.onRtp(p),
      onRtcp: () => {
        this.lastHeardAt = this.clock.now();
      },
    });
  }

  /** binds the RTP/RTCP sockets; build the local SDP with `localPort` / `localRtcpPort`, then call `start` */
  static async open(options: MediaSessionOptions): Promise<MediaSession> {
    const rtp = await RtpSession.open({ clock: options.clock, bindAddress: options.bindAddress, ...(options.port === undefined ? {} : { port: options.port }) });
    return new MediaSession(options, rtp);
  }

  get localPort(): number {
    return this.rtp.localPort;
  }
  get localRtcpPort(): number {
    return this.rtp.localRtcpPort;
  }
  /** true while media is SRTP-protected (the call screen's lock) */
  get encrypted(): boolean {
    return this.rtp.encrypted;
  }

  get audio(): NegotiatedAudio | null {
    return this.negotiated;
  }
  get rtpSession(): RtpSession {
    return this.rtp;
  }

  /**
   * Apply the result of an offer/answer exchange (initial or a re-offer for hold/resume). Returns the
   * 488 result unchanged when nothing usable was negotiated; media keeps its previous state then.
   */
  start(local: SessionDescription, remote: SessionDescription): NegotiationResult {
    if (this.closed) throw new Error('MediaSession is closed');
    const result = negotiate(local, remote);
    if (!result.ok) return result;
    const a = result.audio;
    const previous = this.negotiated;
    this.negotiated = a;
    // every (re-)negotiation restarts the inactivity window
    this.lastHeardAt = this.clock.now();
    const moved = previous === null || previous.remoteAddress !== a.remoteAddress || previous.remotePort !== a.remotePort;
    if (this.encoder?.codec.name !== a.codec.name || this.encoder.codec.payloadType !== a.codec.payloadType) {
      this.encoder = new AudioEncoderPipe(a.codec, this.sampleRate);
      this.decoders.clear();
    }
    const pts = [PCMU.payloadType, PCMA.payloadType, G722.payloadType, a.codec.payloadType, 13];
    for (const pt of [a.receiveTelephoneEventPt, a.sendTelephoneEventPt]) if (pt !== null) pts.push(pt);
    if (moved) {
      this.rtp.setRemote({ address: a.remoteAddress, port: a.remotePort }, { address: a.remoteAddress, port: a.remoteRtcpPort }, pts);
    } else {
      // same remote (e.g. a hold/resume re-offer): keep the latched address (RFC 4961), refresh the types
      this.rtp.setAcceptedPayloadTypes(pts);
    }
    // SRTP (RFC 3711/4568): new contexts only when the keys change, so a hold re-offer keeps ROC and replay state
    if (!sameKeys(previous?.srtp ?? null, a.srtp)) {
      this.rtp.setSrtp(a.srtp === null ? null : { tx: srtpContext(a.srtp.suite, a.srtp.ours), rx: srtpContext(a.srtp.suite, a.srtp.theirs) });
    }
    if (!a.send) this.marker = true;
    if (!a.receive) this.jitter.reset();
    if (this.timer === null) {
      this.nextTickAt = this.clock.now() + FRAME_MS;
      this.timer = this.clock.setTimeout(() => this.tick(), FRAME_MS);
      this.rtp.startRtcp(this.options.rtcpIntervalMs ?? 5000);
    }
    return result;
  }

  /** queue one 20 ms PCM frame (160 samples at 8 kHz, 320 at 16 kHz) for sending */
  pushFrame(pcm: Int16Array): void {
    if (pcm.length !== this.frameSamples) throw new RangeError(`a frame is ${this.frameSamples} samples, got ${pcm.length}`);
    this.sendQueue.push(pcm);
    if (this.sendQueue.length > (this.options.maxQueuedFrames ?? 10)) {
      this.sendQueue.shift();
      this.queueDrops++;
    }
  }

  setMuted(muted: boolean): void {
    this.muted = muted;
  }
  get isMuted(): boolean {
    return this.muted;
  }

  /** local hold: send silence instead of the microphone (the re-INVITE carries a=sendonly) */
  setHeld(held: boolean): void {
    this.held = held;
  }
  get isHeld(): boolean {
    return this.held;
  }

  /** queue digits (0-9 * # A-D) as RFC 4733 events; false if the remote offered no telephone-event */
  sendDtmf(digits: string, durationMs = 100): boolean {
    if (this.negotiated === null || this.negotiated.sendTelephoneEventPt === null) return false;
    const codes = [...digits].map(dtmfEventCode);
    if (codes.some((c) => c === null)) throw new RangeError(`not a DTMF digit in "${digits}"`);
    for (const c of codes) if (c !== null) this.digits.push({ event: c, durationMs });
    return true;
  }

  stats(): MediaStats {
    const j = this.jitter.stats;
    return {
      ...this.rtp.stats(),
      framesPlayed: j.played,
      framesConcealed: this.concealed,
      lateDropped: j.late,
      duplicatesDropped: j.duplicate,
      framesDroppedFromQueue: this.queueDrops,
    };
  }

  /** stops the pacer, sends RTCP BYE and closes the sockets */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (this.timer !== null) this.clock.clearTimeout(this.timer);
    this.timer = null;
    await this.rtp.close();
  }

  private onRtp(p: RtpPacket): void {
    this.lastHeardAt = this.clock.now();
    const a = this.negotiated;
    if (a === null || !a.receive) return;
    if (p.payloadType === a.receiveTelephoneEventPt || p.payloadType === a.sendTelephoneEventPt) {
      this.dtmfReceiver.receive(p.timestamp, p.payload);
    } else if (codecOfPayloadType(p.payloadType, a.codec) !== null) {
      this.jitter.push(p.sequenceNumber, p, this.clock.now());
    }
  }

  private tick(): void {
    if (this.closed) return;
    const now = this.clock.now();
    // catch up after a stalled event loop, but never burst more than 5 frames
    let due = 0;
    while (this.nextTickAt <= now && due < 5) {
      this.nextTickAt += FRAME_MS;
      due++;
    }
    if (this.nextTickAt <= now) this.nextTickAt = now + FRAME_MS;
    // due = 0: the timer fired a little early (timers round to whole ms); wait for the real instant
    // schedule first: an exception from the app's onAudio callback must not stop the media clock
    this.timer = this.clock.setTimeout(() => this.tick(), Math.max(0, this.nextTickAt - now));
    for (let i = 0; i < due; i++) {
      this.sendTick();
      this.receiveTick(now);
    }
    this.checkInactivity(now);
  }

  /** the RTP/RTCP inactivity check: only while the negotiated direction lets the far end send to us */
  private checkInactivity(now: number): void {
    const limit = this.options.inactivityTimeoutMs ?? 30_000;
    if (limit <= 0 || this.inactiveReported || this.negotiated?.receive !== true) return;
    if (now - this.lastHeardAt < limit) return;
    this.inactiveReported = true;
    this.options.onInactive?.();
  }

  private sendTick(): void {
    const a = this.negotiated;
    const frame = this.sendQueue.shift();
    const ts = this.timestamp;
    this.timestamp = (this.timestamp + FRAME_SAMPLES) >>> 0;
    if (a === null || !a.send) {
      this.marker = true;
      return;
    }
    if (this.sendDtmfTick(a, ts)) return;
    const encoder = this.encoder ?? new AudioEncoderPipe(a.codec, this.sampleRate);
    this.encoder = encoder;
    const payload = frame === undefined || this.muted || this.held ? encoder.silence(this.frameSamples) : encoder.encode(frame);
    this.rtp.send(a.codec.payloadType, payload, ts, this.marker);
    this.marker = false;
  }

  /** true when this tick belongs to DTMF (an event packet went out, or the gap between digits) */
  private sendDtmfTick(a: NegotiatedAudio, ts: number): boolean {
    if (a.sendTelephoneEventPt === null) return false;
    if (this.dtmf === null) {
      if (this.interDigitTicks > 0) {
        this.interDigitTicks--;
        return false;
      }
      const next = this.digits.shift();
      if (next === undefined) return false;
      this.dtmf = new DtmfEventSender({ event: next.event, timestamp: ts, durationMs: next.durationMs, ptimeMs: FRAME_MS });
    }
    const packet = this.dtmf.next();
    if (packet !== null) this.rtp.send(a.sendTelephoneEventPt, packet.payload, packet.timestamp, packet.marker);
    if (this.dtmf.done) {
      this.dtmf = null;
      this.interDigitTicks = 2; // 40 ms of audio between digits
    }
    return true;
  }

  private decode(p: RtpPacket): Int16Array {
    let decoder = this.decoders.get(p.payloadType);
    if (decoder === undefined) {
      // onRtp let only known audio types into the jitter buffer
      const codec = codecOfPayloadType(p.payloadType, this.negotiated?.codec ?? PCMU) as AudioCodec;
      decoder = new AudioDecoderPipe(codec, this.sampleRate);
      this.decoders.set(p.payloadType, decoder);
    }
    return decoder.decode(p.payload);
  }

  private receiveTick(now: number): void {
    const pulled = this.jitter.pull(now);
    if (pulled.kind === 'idle') return;
    let pcm: Int16Array;
    if (pulled.kind === 'frame') {
      pcm = this.concealer.good(this.decode(pulled.item));
    } else {
      pcm = this.concealer.conceal();
      this.concealed++;
    }
    this.options.onAudio?.(pcm);
  }
}
