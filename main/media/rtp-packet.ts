/**
 * RTP fixed header and packet codec (RFC 3550 §5.1, header extension §5.3.1, padding §5.1 "P").
 * Decoding never throws: malformed datagrams yield `{ ok: false, error }` so a socket callback can drop them.
 */

export interface RtpHeaderExtension {
  /** 16-bit profile-defined identifier (RFC 3550 §5.3.1) */
  readonly profile: number;
  /** extension data; its length is a multiple of 4 octets */
  readonly data: Uint8Array;
}

export interface RtpPacket {
  readonly payloadType: number;
  readonly sequenceNumber: number;
  readonly timestamp: number;
  readonly ssrc: number;
  readonly marker: boolean;
  readonly csrcs: readonly number[];
  readonly extension: RtpHeaderExtension | null;
  /** number of padding octets at the end, including the count octet itself (0 = P bit clear) */
  readonly paddingLength: number;
  readonly payload: Uint8Array;
}

export type RtpDecodeResult = { ok: true; packet: RtpPacket } | { ok: false; error: string };

export const RTP_VERSION = 2;
export const RTP_HEADER_LENGTH = 12;

export function createRtpPacket(fields: Partial<RtpPacket> & Pick<RtpPacket, 'payloadType' | 'sequenceNumber' | 'timestamp' | 'ssrc' | 'payload'>): RtpPacket {
  return { marker: false, csrcs: [], extension: null, paddingLength: 0, ...fields };
}

/** RFC 3550 §5.1: serialize a packet. Programmer faults (out-of-range fields) throw. */
export function encodeRtpPacket(p: RtpPacket): Uint8Array {
  if (p.payloadType < 0 || p.payloadType > 127) throw new RangeError(`RTP payload type out of range: ${p.payloadType}`);
  if (p.csrcs.length > 15) throw new RangeError('RTP CSRC count exceeds 15');
  if (p.paddingLength < 0 || p.paddingLength > 255) throw new RangeError('RTP padding length out of range');
  if (p.extension !== null && p.extension.data.length % 4 !== 0) throw new RangeError('RTP extension length must be a multiple of 4');
  const extLength = p.extension === null ? 0 : 4 + p.extension.data.length;
  const total = RTP_HEADER_LENGTH + 4 * p.csrcs.length + extLength + p.payload.length + p.paddingLength;
  const buf = new Uint8Array(total);
  const view = new DataView(buf.buffer);
  buf[0] = (RTP_VERSION << 6) | (p.paddingLength > 0 ? 0x20 : 0) | (p.extension !== null ? 0x10 : 0) | p.csrcs.length;
  buf[1] = (p.marker ? 0x80 : 0) | p.payloadType;
  view.setUint16(2, p.sequenceNumber & 0xffff);
  view.setUint32(4, p.timestamp >>> 0);
  view.setUint32(8, p.ssrc >>> 0);
  let offset = RTP_HEADER_LENGTH;
  for (const csrc of p.csrcs) {
    view.setUint32(offset, csrc >>> 0);
    offset += 4;
  }
  if (p.extension !== null) {
    view.setUint16(offset, p.extension.profile & 0xffff);
    view.setUint16(offset + 2, p.extension.data.length / 4);
    buf.set(p.extension.data, offset + 4);
    offset += extLength;
  }
  buf.set(p.payload, offset);
  // §5.1: the last octet of the padding contains the count of padding octets, including itself
  if (p.paddingLength > 0) buf[total - 1] = p.paddingLength;
  return buf;
}

/** RFC 3550 §5.1 / A.1 header validity checks, then field extraction. */
export function decodeRtpPacket(data: Uint8Array): RtpDecodeResult {
  if (data.length < RTP_HEADER_LENGTH) return { ok: false, error: `datagram too short for RTP (${data.length} octets)` };
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  const b0 = data[0] ?? 0;
  const b1 = data[1] ?? 0;
  const version = b0 >> 6;
  if (version !== RTP_VERSION) return { ok: false, error: `unsupported RTP version ${version}` };
  const hasPadding = (b0 & 0x20) !== 0;
  const hasExtension = (b0 & 0x10) !== 0;
  const csrcCount = b0 & 0x0f;
  let offset = RTP_HEADER_LENGTH + 4 * csrcCount;
  if (data.length < offset) return { ok: false, error: 'datagram too short for its CSRC list' };
  const csrcs: number[] = [];
  for (let i = 0; i < csrcCount; i++) csrcs.push(view.getUint32(RTP_HEADER_LENGTH + 4 * i));
  let extension: RtpHeaderExtension | null = null;
  if (hasExtension) {
    if (data.length < offset + 4) return { ok: false, error: 'datagram too short for its header extension' };
    const profile = view.getUint16(offset);
    const words = view.getUint16(offset + 2);
    const end = offset + 4 + 4 * words;
    if (data.length < end) return { ok: false, error: 'header extension runs past the datagram' };
    extension = { profile, data: data.slice(offset + 4, end) };
    offset = end;
  }
  let paddingLength = 0;
  if (hasPadding) {
    paddingLength = data[data.length - 1] ?? 0;
    if (paddingLength === 0 || offset + paddingLength > data.length) return { ok: false, error: `invalid RTP padding count ${paddingLength}` };
  }
  return {
    ok: true,
    packet: {
      payloadType: b1 & 0x7f,
      marker: (b1 & 0x80) !== 0,
      sequenceNumber: view.getUint16(2),
      timestamp: view.getUint32(4),
      ssrc: view.getUint32(8),
      csrcs,
      extension,
      paddingLength,
      payload: data.slice(offset, data.length - paddingLength),
    },
  };
}

/**
 * RFC 5761 §4: with RTP and RTCP on one port, RTCP packet types 200-204 (second octet 192-223 range
 * once the marker bit is folded in) tell RTCP apart from RTP.
 */
export function looksLikeRtcp(data: Uint8Array): boolean {
  const pt = data[1] ?? 0;
  return data.length >= 4 && (data[0] ?? 0) >> 6 === 2 && pt >= 192 && pt <= 223;
}
