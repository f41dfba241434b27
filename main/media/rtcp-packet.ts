/**
 * Minimal RTCP (RFC 3550 §6.4 SR/RR, §6.5 SDES CNAME, §6.6 BYE) and compound packets (§6.1).
 * Unknown packet types inside a compound are kept as raw bytes. Decoding never throws.
 */

export interface ReportBlock {
  readonly ssrc: number;
  /** fraction lost since the last report, fixed point /256 */
  readonly fractionLost: number;
  /** cumulative packets lost, signed 24-bit */
  readonly cumulativeLost: number;
  readonly extendedHighestSeq: number;
  readonly jitter: number;
  /** middle 32 bits of the NTP timestamp of the last SR received */
  readonly lastSr: number;
  /** delay since last SR, 1/65536 s */
  readonly delaySinceLastSr: number;
}

export interface SenderReport {
  readonly type: 'sr';
  readonly ssrc: number;
  readonly ntpSeconds: number;
  readonly ntpFraction: number;
  readonly rtpTimestamp: number;
  readonly packetCount: number;
  readonly octetCount: number;
  readonly reports: readonly ReportBlock[];
}

export interface ReceiverReport {
  readonly type: 'rr';
  readonly ssrc: number;
  readonly reports: readonly ReportBlock[];
}

export interface SourceDescription {
  readonly type: 'sdes';
  /** one CNAME per source; other SDES items are skipped */
  readonly chunks: readonly { readonly ssrc: number; readonly cname: string }[];
}

export interface Goodbye {
  readonly type: 'bye';
  readonly ssrcs: readonly number[];
  readonly reason?: string;
}

export interface UnknownRtcp {
  readonly type: 'unknown';
  readonly packetType: number;
  readonly raw: Uint8Array;
}

export type RtcpPacket = SenderReport | ReceiverReport | SourceDescription | Goodbye | UnknownRtcp;
export type RtcpDecodeResult = { ok: true; packets: RtcpPacket[] } | { ok: false; error: string };

export const RTCP_SR = 200;
export const RTCP_RR = 201;
export const RTCP_SDES = 202;
export const RTCP_BYE = 203;
const SDES_CNAME = 1;

class Writer {
  private readonly bytes: number[] = [];
  u8(v: number): void {
    this.bytes.push(v & 0xff);
  }
  u16(v: number): void {
    this.u8(v >>> 8);
    this.u8(v);
  }
  u24(v: number): void {
    this.u8(v >>> 16);
    this.u16(v);
  }
  u32(v: number): void {
    this.u16(v >>> 16);
    this.u16(v);
  }
  raw(b: Uint8Array): void {
    for (const x of b) this.bytes.push(x);
  }
  padTo4(): void {
    while (this.bytes.length % 4 !== 0) this.bytes.push(0);
  }
  get length(): number {
    return this.bytes.length;
  }
  result(): Uint8Array {
    return Uint8Array.from(this.bytes);
  }
}

function writeReportBlock(w: Writer, r: ReportBlock): void {
  w.u32(r.ssrc);
  w.u8(r.fractionLost);
  w.u24(r.cumulativeLost & 0xffffff);
  w.u32(r.extendedHighestSeq);
  w.u32(r.jitter);
  w.u32(r.lastSr);
  w.u32(r.delaySinceLastSr);
}

function encodeOne(p: RtcpPacket): Uint8Array {
  const body = new Writer();
  let count = 0;
  let pt: number;
  switch (p.type) {
    case 'sr':
      pt = RTCP_SR;
      count = p.reports.length;
      body.u32(p.ssrc);
      body.u32(p.ntpSeconds);
      body.u32(p.ntpFraction);
      body.u32(p.rtpTimestamp);
      body.u32(p.packetCount);
      body.u32(p.octetCount);
      for (const r of p.reports) writeReportBlock(body, r);
      break;
    case 'rr':
      pt = RTCP_RR;
      count = p.reports.length;
      body.u32(p.ssrc);
      for (const r of p.reports) writeReportBlock(body, r);
      break;
    case 'sdes':
      pt = RTCP_SDES;
      count = p.chunks.length;
      for (const c of p.chunks) {
        const name = new TextEncoder().encode(c.cname).slice(0, 255);
        body.u32(c.ssrc);
        body.u8(SDES_CNAME);
        body.u8(name.length);
        body.raw(name);
        body.u8(0); // §6.5: the item list ends with at least one null octet, then pad to 32 bits
        body.padTo4();
      }
      break;
    case 'bye': {
      pt = RTCP_BYE;
      count = p.ssrcs.length;
      for (const s of p.ssrcs) body.u32(s);
      if (p.reason !== undefined) {
        const reason = new TextEncoder().encode(p.reason).slice(0, 255);
        body.u8(reason.length);
        body.raw(reason);
        body.padTo4();
      }
      break;
    }
    case 'unknown':
      return p.raw;
  }
  if (count > 31) throw new RangeError('RTCP count field exceeds 31');
  const out = new Writer();
  out.u8(0x80 | count); // V=2, P=0
  out.u8(pt);
  out.u16(body.length / 4); // length in 32-bit words minus one (the header word)
  out.raw(body.result());
  return out.result();
}

/** RFC 3550 §6.1: a compound packet is the concatenation of individual RTCP packets. */
export function encodeRtcpCompound(packets: readonly RtcpPacket[]): Uint8Array {
  const parts = packets.map(encodeOne);
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let offset = 0;
  for (const p of parts) {
    out.set(p, offset);
    offset += p.length;
  }
  return out;
}

function readReportBlocks(view: DataView, offset: number, count: number): ReportBlock[] {
  const reports: ReportBlock[] = [];
  for (let i = 0; i < count; i++) {
    const o = offset + 24 * i;
    const lostRaw = view.getUint32(o + 4) & 0xffffff;
    reports.push({
      ssrc: view.getUint32(o),
      fractionLost: view.getUint8(o + 4),
      cumulativeLost: lostRaw & 0x800000 ? lostRaw - 0x1000000 : lostRaw,
      extendedHighestSeq: view.getUint32(o + 8),
      jitter: view.getUint32(o + 12),
      lastSr: view.getUint32(o + 16),
      delaySinceLastSr: view.getUint32(o + 20),
    });
  }
  return reports;
}

function decodeSdes(data: Uint8Array, count: number): SourceDescription | null {
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  const chunks: { ssrc: number; cname: string }[] = [];
  let o = 0;
  for (let c = 0; c < count; c++) {
    if (o + 4 > data.length) return null;
    const ssrc = view.getUint32(o);
    o += 4;
    let cname = '';
    while (o < data.length && data[o] !== 0) {
      const type = data[o] ?? 0;
      const len = data[o + 1] ?? 0;
      if (o + 2 + len > data.length) return null;
      if (type === SDES_CNAME) cname = new TextDecoder().decode(data.subarray(o + 2, o + 2 + len));
      o += 2 + len;
    }
    o = (o + 4) & ~3; // skip the terminating null and padding to the next 32-bit boundary
    chunks.push({ ssrc, cname });
  }
  return { type: 'sdes', chunks };
}

export function decodeRtcpCompound(data: Uint8Array): RtcpDecodeResult {
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  const packets: RtcpPacket[] = [];
  let offset = 0;
  if (data.length < 4) return { ok: false, error: 'datagram too short for RTCP' };
  while (offset < data.length) {
    if (offset + 4 > data.length) return { ok: false, error: `truncated RTCP header at ${offset}` };
    const b0 = view.getUint8(offset);
    if (b0 >> 6 !== 2) return { ok: false, error: `unsupported RTCP version at ${offset}` };
    const count = b0 & 0x1f;
    const pt = view.getUint8(offset + 1);
    const end = offset + 4 * (view.getUint16(offset + 2) + 1);
    if (end > data.length) return { ok: false, error: `RTCP packet at ${offset} runs past the datagram` };
    // §6.4.1: padding (P bit) only on the last packet; the last octet counts the padding
    const padding = b0 & 0x20 ? view.getUint8(end - 1) : 0;
    const bodyEnd = end - padding;
    const body = offset + 4;
    const need = (n: number): boolean => body + n <= bodyEnd;
    if (pt === RTCP_SR) {
      if (!need(24 + 24 * count)) return { ok: false, error: 'short RTCP SR' };
      packets.push({
        type: 'sr',
        ssrc: view.getUint32(body),
        ntpSeconds: view.getUint32(body + 4),
        ntpFraction: view.getUint32(body + 8),
        rtpTimestamp: view.getUint32(body + 12),
        packetCount: view.getUint32(body + 16),
        octetCount: view.getUint32(body + 20),
        reports: readReportBlocks(view, body + 24, count),
      });
    } else if (pt === RTCP_RR) {
      if (!need(4 + 24 * count)) return { ok: false, error: 'short RTCP RR' };
      packets.push({ type: 'rr', ssrc: view.getUint32(body), reports: readReportBlocks(view, body + 4, count) });
    } else if (pt === RTCP_SDES) {
      const sdes = decodeSdes(data.subarray(body, bodyEnd), count);
      if (sdes === null) return { ok: false, error: 'malformed RTCP SDES' };
      packets.push(sdes);
    } else if (pt === RTCP_BYE) {
      if (!need(4 * count)) return { ok: false, error: 'short RTCP BYE' };
      const ssrcs: number[] = [];
      for (let i = 0; i < count; i++) ssrcs.push(view.getUint32(body + 4 * i));
      const r = body + 4 * count;
      if (r < bodyEnd) {
        const len = view.getUint8(r);
        if (r + 1 + len > bodyEnd) return { ok: false, error: 'RTCP BYE reason runs past the packet' };
        packets.push({ type: 'bye', ssrcs, reason: new TextDecoder().decode(data.subarray(r + 1, r + 1 + len)) });
      } else {
        packets.push({ type: 'bye', ssrcs });
      }
    } else {
      packets.push({ type: 'unknown', packetType: pt, raw: data.slice(offset, end) });
    }
    offset = end;
  }
  return { ok: true, packets };
}

/** RFC 3550 §4: NTP timestamp (seconds since 1900) from Unix epoch milliseconds. */
export function ntpFromUnixMs(ms: number): { seconds: number; fraction: number } {
  const seconds = Math.floor(ms / 1000) + 2208988800;
  const fraction = Math.floor(((ms % 1000) / 1000) * 0x100000000);
  return { seconds: seconds >>> 0, fraction: fraction >>> 0 };
}
