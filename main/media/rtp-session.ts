/**
 * One RTP session over node:dgram (RFC 3550) with symmetric RTP (RFC 4961): RTP is sent from the very
 * socket it is received on (RTCP likewise), and the remote address is latched to where valid packets
 * actually come from, so media flows through NATs that rewrote the address given in SDP.
 *
 * Latching rule: after `setRemote` (from SDP) the first valid RTP packet (version 2, an expected payload
 * type, not our own SSRC) latches the remote RTP address; later packets from any other address are
 * discarded and counted. RTCP latches the same way on its own socket. A new `setRemote` unlatches.
 */
import dgram from 'node:dgram';
import type { Clock } from '../sip/transaction/clock.ts';
import { createRtpPacket, decodeRtpPacket, encodeRtpPacket, type RtpPacket } from './rtp-packet.ts';
import { RtpReceiveStats, type RtpStatsSnapshot } from './rtp-stats.ts';
import type { SrtpContext } from './srtp/srtp-context.ts';
import { decodeRtcpCompound, encodeRtcpCompound, ntpFromUnixMs, type ReportBlock, type RtcpPacket } from './rtcp-packet.ts';

export interface Endpoint {
  readonly address: string;
  readonly port: number;
}

export interface RtpSessionOptions {
  readonly clock: Clock;
  /** local address to bind, e.g. '127.0.0.1', '0.0.0.0' or '::' */
  readonly bindAddress: string;
  /** RTP port, 0 = any; RTCP goes on port + 1 when free, else on any port */
  readonly port?: number;
  readonly clockRate?: number;
  readonly ssrc?: number;
  readonly cname?: string;
  /** wall clock for RTCP NTP timestamps (default Date.now) */
  readonly wallClock?: () => number;
}

export interface RtpSessionEvents {
  onRtp?: (packet: RtpPacket, from: Endpoint) => void;
  onRtcp?: (packets: RtcpPacket[], from: Endpoint) => void;
}

function bindSocket(type: 'udp4' | 'udp6', address: string, port: number): Promise<dgram.Socket> {
  return new Promise((resolve, reject) => {
    const socket = dgram.createSocket({ type, reuseAddr: false });
    const onError = (err: Error): void => {
      socket.close();
      reject(err);
    };
    socket.once('error', onError);
    socket.bind(port, address, () => {
      socket.off('error', onError);
      resolve(socket);
    });
  });
}

function randomUint32(): number {
  return Math.floor(Math.random() * 0x100000000) >>> 0;
}

export class RtpSession {
  readonly ssrc: number;
  readonly cname: string;
  private readonly clock: Clock;
  private readonly clockRate: number;
  private readonly wallClock: () => number;
  private readonly rtpSocket: dgram.Socket;
  private readonly rtcpSocket: dgram.Socket;
  private readonly events: RtpSessionEvents = {};
  private remoteRtp: Endpoint | null = null;
  private remoteRtcp: Endpoint | null = null;
  private rtpLatched = false;
  private rtcpLatched = false;
  private acceptedPayloadTypes = new Set<number>();
  private sequence = Math.floor(Math.random() * 0x10000);
  private packetsSent = 0;
  private bytesSent = 0;
  private lastSentTimestamp = 0;
  private lastSentAt = 0;
  private remoteSsrc: number | null = null;
  private receiveStats: RtpReceiveStats;
  private discarded = 0;
  private lastSr: { middle: number; at: number } | null = null;
  private rtcpTimer: ReturnType<Clock['setTimeout']> | null = null;
  private closed = false;
  /** SRTP (RFC 3711): we protect with our SDES key, unprotect with theirs; null = plain RTP */
  private srtp: { readonly tx: SrtpContext; readonly rx: SrtpContext } | null = null;

  private constructor(opts: RtpSessionOptions, rtp: dgram.Socket, rtcp: dgram.Socket) {
    this.clock = opts.clock;
    this.clockRate = opts.clockRate ?? 8000;
    this.wallClock = opts.wallClock ?? Date.now;
    this.ssrc = (opts.ssrc ?? randomUint32()) >>> 0;
    this.cname = opts.cname ?? `${this.ssrc.toString(16)}@sip-messenger`;
    this.rtpSocket = rtp;
    this.rtcpSocket = rtcp;
    this.receiveStats = new RtpReceiveStats(this.clockRate);
    rtp.on('message', (msg, rinfo) => this.onRtpDatagram(msg, { address: rinfo.address, port: rinfo.port }));
    rtcp.on('message', (msg, rinfo) => this.onRtcpDatagram(msg, { address: rinfo.address, port: rinfo.port }));
    // a send error (ICMP port unreachable on Linux) must not crash the process; media just doesn't flow
    rtp.on('error', () => undefined);
    rtcp.on('error', () => undefined);
  }

  static async open(opts: RtpSessionOptions): Promise<RtpSession> {
    const type = opts.bindAddress.includes(':') ? 'udp6' : 'udp4';
    const rtp = await bindSocket(type, opts.bindAddress, opts.port ?? 0);
    const rtpPort = rtp.address().port;
    let rtcp: dgram.Socket;
    try {
      rtcp = await bindSocket(type, opts.bindAddress, rtpPort < 65535 ? rtpPort + 1 : 0);
    } catch {
      rtcp = await bindSocket(type, opts.bindAddress, 0); // advertised with a=rtcp (RFC 3605)
    }
    return new RtpSession(opts, rtp, rtcp);
  }

  get localPort(): number {
    return this.rtpSocket.address().port;
  }

  get localRtcpPort(): number {
    return this.rtcpSocket.address().port;
  }

  get remote(): Endpoint | null {
    return this.remoteRtp;
  }

  get latched(): boolean {
    return this.rtpLatched;
  }

  on(events: RtpSessionEvents): void {
    Object.assign(this.events, events);
  }

  /** remote addresses from SDP; clears latching (RFC 4961 §3: the peer may move on a re-offer) */
  setRemote(rtp: Endpoint, rtcp: Endpoint, acceptedPayloadTypes: Iterable<number>): void {
    this.remoteRtp = rtp;
    this.remoteRtcp = rtcp;
    this.rtpLatched = false;
    this.rtcpLatched = false;
    this.acceptedPayloadTypes = new Set(acceptedPayloadTypes);
  }

  /**
   * Switches the session to SRTP/SRTCP (or back to plain RTP with null). From then on a packet that does
   * not authenticate under `rx` is discarded, never played (RFC 3711 §3.3 step 5).
   */
  setSrtp(contexts: { readonly tx: SrtpContext; readonly rx: SrtpContext } | null): void {
    this.srtp = contexts;
  }

  get encrypted(): boolean {
    return this.srtp !== null;
  }

  setAcceptedPayloadTypes(types: Iterable<number>): void {
    this.acceptedPayloadTypes = new Set(types);
  }

  /** send one RTP packet; the sequence number is ours to assign (RFC 3550 §5.1, random initial value) */
  send(payloadType: number, payload: Uint8Array, timestamp: number, marker: boolean): void {
    if (this.closed || this.remoteRtp === null) return;
    const sequenceNumber = this.sequence;
    this.sequence = (this.sequence + 1) & 0xffff;
    const plain = encodeRtpPacket(createRtpPacket({ payloadType, sequenceNumber, timestamp: timestamp >>> 0, ssrc: this.ssrc, marker, payload }));
    const data = this.srtp === null ? plain : this.srtp.tx.protectRtp(plain);
    this.packetsSent++;
    this.bytesSent += payload.length;
    this.lastSentTimestamp = timestamp >>> 0;
    this.lastSentAt = this.clock.now();
    this.rtpSocket.send(data, this.remoteRtp.port, this.remoteRtp.address);
  }

  stats(): RtpStatsSnapshot {
    return {
      packetsSent: this.packetsSent,
      bytesSent: this.bytesSent,
      packetsReceived: this.receiveStats.packetsReceived,
      bytesReceived: this.receiveStats.bytesReceived,
      packetsLost: this.receiveStats.cumulativeLost,
      jitter: this.receiveStats.jitter,
      jitterMs: this.receiveStats.jitterMs,
      packetsDiscarded: this.discarded,
    };
  }

  /** RFC 3550 §6.2: report every `intervalMs` (5 s minimum for a two-party call); §6.1 compound = report + SDES */
  startRtcp(intervalMs = 5000): void {
    const tick = (): void => {
      this.sendRtcp([]);
      this.rtcpTimer = this.clock.setTimeout(tick, intervalMs);
    };
    this.rtcpTimer = this.clock.setTimeout(tick, intervalMs);
  }

  /** sends a BYE (RFC 3550 §6.6) in a compound packet, then closes both sockets */
  async close(reason = 'call ended'): Promise<void> {
    if (this.closed) return;
    if (this.rtcpTimer !== null) this.clock.clearTimeout(this.rtcpTimer);
    await this.sendRtcp([{ type: 'bye', ssrcs: [this.ssrc], reason }]);
    this.closed = true;
    await Promise.all([new Promise<void>((r) => this.rtpSocket.close(() => r())), new Promise<void>((r) => this.rtcpSocket.close(() => r()))]);
  }

  private reportBlocks(): ReportBlock[] {
    if (this.remoteSsrc === null || !this.receiveStats.hasReceived) return [];
    const s = this.receiveStats;
    const dlsr = this.lastSr === null ? 0 : Math.floor(((this.clock.now() - this.lastSr.at) * 65536) / 1000);
    return [
      {
        ssrc: this.remoteSsrc,
        fractionLost: s.takeFractionLost(),
        cumulativeLost: Math.max(-0x800000, Math.min(0x7fffff, s.cumulativeLost)),
        extendedHighestSeq: s.extendedHighestSeq >>> 0,
        jitter: s.jitter >>> 0,
        lastSr: this.lastSr?.middle ?? 0,
        delaySinceLastSr: this.lastSr === null ? 0 : dlsr >>> 0,
      },
    ];
  }

  private sendRtcp(extra: RtcpPacket[]): Promise<void> {
    if (this.closed || this.remoteRtcp === null) return Promise.resolve();
    const reports = this.reportBlocks();
    const ntp = ntpFromUnixMs(this.wallClock());
    const elapsed = this.clock.now() - this.lastSentAt;
    const head: RtcpPacket =
      this.packetsSent > 0
        ? {
            type: 'sr',
            ssrc: this.ssrc,
            ntpSeconds: ntp.seconds,
            ntpFraction: ntp.fraction,
            rtpTimestamp: (this.lastSentTimestamp + Math.round((elapsed * this.clockRate) / 1000)) >>> 0,
            packetCount: this.packetsSent >>> 0,
            octetCount: this.bytesSent >>> 0,
            reports,
          }
        : { type: 'rr', ssrc: this.ssrc, reports };
    const plain = encodeRtcpCompound([head, { type: 'sdes', chunks: [{ ssrc: this.ssrc, cname: this.cname }] }, ...extra]);
    const data = this.srtp === null ? plain : this.srtp.tx.protectRtcp(plain);
    const to = this.remoteRtcp;
    return new Promise((resolve) => this.rtcpSocket.send(data, to.port, to.address, () => resolve()));
  }

  private onRtpDatagram(datagram: Buffer, from: Endpoint): void {
    const msg = this.unprotect(datagram, 'rtp');
    if (msg === null) return;
    const decoded = decodeRtpPacket(new Uint8Array(msg.buffer, msg.byteOffset, msg.byteLength));
    if (!decoded.ok || !this.acceptedPayloadTypes.has(decoded.packet.payloadType) || decoded.packet.ssrc === this.ssrc) {
      this.discarded++;
      return;
    }
    if (!this.acceptFrom(from, 'rtp')) {
      this.discarded++;
      return;
    }
    const p = decoded.packet;
    if (p.ssrc !== this.remoteSsrc) {
      // a new source (RFC 3550 §8.2 SSRC change): statistics start over
      this.remoteSsrc = p.ssrc;
      this.receiveStats = new RtpReceiveStats(this.clockRate);
    }
    if (this.receiveStats.onPacket(p.sequenceNumber, p.timestamp, this.clock.now(), p.payload.length) === null) return;
    this.events.onRtp?.(p, from);
  }

  /** the clear packet, or null (counted as discarded) when SRTP is on and it does not authenticate */
  private unprotect(datagram: Buffer, kind: 'rtp' | 'rtcp'): Buffer | null {
    if (this.srtp === null) return datagram;
    const r = kind === 'rtp' ? this.srtp.rx.unprotectRtp(datagram) : this.srtp.rx.unprotectRtcp(datagram);
    if (r.ok) return r.packet;
    this.discarded++;
    return null;
  }

  private onRtcpDatagram(datagram: Buffer, from: Endpoint): void {
    const msg = this.unprotect(datagram, 'rtcp');
    if (msg === null) return;
    const decoded = decodeRtcpCompound(new Uint8Array(msg.buffer, msg.byteOffset, msg.byteLength));
    if (!decoded.ok || !this.acceptFrom(from, 'rtcp')) return;
    for (const p of decoded.packets) {
      if (p.type === 'sr') this.lastSr = { middle: ((p.ntpSeconds & 0xffff) * 0x10000 + (p.ntpFraction >>> 16)) >>> 0, at: this.clock.now() };
    }
    this.events.onRtcp?.(decoded.packets, from);
  }

  /** RFC 4961 symmetric RTP: latch to the first valid source, then only accept that source */
  private acceptFrom(from: Endpoint, kind: 'rtp' | 'rtcp'): boolean {
    if (this.remoteRtp === null) return false;
    const latched = kind === 'rtp' ? this.rtpLatched : this.rtcpLatched;
    const current = kind === 'rtp' ? this.remoteRtp : this.remoteRtcp;
    if (latched) return current !== null && current.address === from.address && current.port === from.port;
    if (kind === 'rtp') {
      this.remoteRtp = from;
      this.rtpLatched = true;
    } else {
      this.remoteRtcp = from;
      this.rtcpLatched = true;
    }
    return true;
  }
}
