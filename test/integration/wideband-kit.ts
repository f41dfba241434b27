/**
 * Helpers for the wideband (G.722) call tests: 16 kHz WAV files and frames of two tones (one of them above
 * 4 kHz, where G.711's 8 kHz sampling cannot reach), the level of one frequency in PCM, the rate of a
 * WAV baresip wrote, and a tap of the RTP datagrams our process sends to and receives on a port.
 */
import dgram from 'node:dgram';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { decodeRtpPacket } from '../../main/media/rtp-packet.ts';
import { toFrames } from '../../main/media/index.ts';

/** amplitude 4000 each: `low` Hz plus `high` Hz, at 16 kHz */
export function twoTones(low: number, high: number, seconds: number): Int16Array {
  const n = seconds * 16000;
  const s = new Int16Array(n);
  for (let i = 0; i < n; i++) s[i] = Math.round(4000 * Math.sin((2 * Math.PI * low * i) / 16000) + 4000 * Math.sin((2 * Math.PI * high * i) / 16000));
  return s;
}

/** 320-sample (20 ms at 16 kHz) frames of twoTones */
export function twoToneFrames(low: number, high: number, seconds: number): Int16Array[] {
  return toFrames(twoTones(low, high, seconds), 320);
}

/** a mono 16-bit WAV of `samples` at `rate` */
export function writeWav(path: string, samples: Int16Array, rate: number): string {
  const n = samples.length;
  const bytes = Buffer.alloc(44 + 2 * n);
  bytes.write('RIFF', 0, 'latin1');
  bytes.writeUInt32LE(36 + 2 * n, 4);
  bytes.write('WAVEfmt ', 8, 'latin1');
  bytes.writeUInt32LE(16, 16);
  bytes.writeUInt16LE(1, 20);
  bytes.writeUInt16LE(1, 22);
  bytes.writeUInt32LE(rate, 24);
  bytes.writeUInt32LE(2 * rate, 28);
  bytes.writeUInt16LE(2, 32);
  bytes.writeUInt16LE(16, 34);
  bytes.write('data', 36, 'latin1');
  bytes.writeUInt32LE(2 * n, 40);
  for (let i = 0; i < n; i++) bytes.writeInt16LE(samples[i] ?? 0, 44 + 2 * i);
  writeFileSync(path, bytes);
  return path;
}

/** the sample rate in the header of the newest dump-*-dec.wav baresip's sndfile wrote in `dir` */
export function baresipDumpRate(dir: string): number | null {
  const last = readdirSync(dir).filter((f) => f.endsWith('-dec.wav')).sort().at(-1);
  if (last === undefined) return null;
  const bytes = readFileSync(join(dir, last));
  return bytes.length >= 28 ? bytes.readUInt32LE(24) : null;
}

/** amplitude of the `hz` component of `s` (one DFT bin) */
export function level(s: Int16Array, hz: number, rate: number): number {
  let re = 0;
  let im = 0;
  for (let i = 0; i < s.length; i++) {
    re += (s[i] ?? 0) * Math.cos((2 * Math.PI * hz * i) / rate);
    im += (s[i] ?? 0) * Math.sin((2 * Math.PI * hz * i) / rate);
  }
  return s.length === 0 ? 0 : (2 * Math.hypot(re, im)) / s.length;
}

export interface WirePacket {
  readonly payloadType: number;
  readonly payloadLength: number;
}

/**
 * Every RTP datagram our process sends to `remotePort()` and every one that arrives on `localPort()`
 * (dgram send / 'message', i.e. the bytes on the wire), by payload type and size.
 */
export function tapRtp(localPort: () => number | undefined, remotePort: () => number | undefined): { sent: WirePacket[]; received: WirePacket[]; stop(): void } {
  const proto = dgram.Socket.prototype as unknown as { send: (...args: unknown[]) => void; emit: (...args: unknown[]) => boolean };
  const { send, emit } = proto;
  const ownEmit = Object.hasOwn(proto, 'emit');
  const sent: WirePacket[] = [];
  const received: WirePacket[] = [];
  const record = (into: WirePacket[], data: Uint8Array) => {
    const d = decodeRtpPacket(new Uint8Array(data));
    if (d.ok) into.push({ payloadType: d.packet.payloadType, payloadLength: d.packet.payload.length });
  };
  proto.send = function (this: dgram.Socket, ...args: unknown[]) {
    const [data, port] = args;
    if (data instanceof Uint8Array && port === remotePort()) record(sent, data);
    send.apply(this, args);
  };
  proto.emit = function (this: dgram.Socket, ...args: unknown[]) {
    const [event, data] = args;
    if (event === 'message' && data instanceof Uint8Array) {
      let port: number | null = null;
      try {
        port = this.address().port;
      } catch {
        // not bound: not ours
      }
      if (port !== null && port === localPort()) record(received, data);
    }
    return emit.apply(this, args);
  };
  return {
    sent,
    received,
    stop: () => {
      proto.send = send;
      if (ownEmit) proto.emit = emit;
      else Reflect.deleteProperty(proto, 'emit');
    },
  };
}
