import { describe, expect, it } from 'vitest';
import { decodeRtcpCompound, encodeRtcpCompound, ntpFromUnixMs, type RtcpPacket } from '../../../main/media/rtcp-packet.ts';

const block = { ssrc: 0xaabbccdd, fractionLost: 25, cumulativeLost: -3, extendedHighestSeq: 70000, jitter: 42, lastSr: 0x12345678, delaySinceLastSr: 65536 };

describe('RTCP compound packets (RFC 3550 §6.1, §6.4, §6.5, §6.6)', () => {
  it('round-trips SR + SDES CNAME + BYE with reason in one compound datagram', () => {
    const packets: RtcpPacket[] = [
      { type: 'sr', ssrc: 1, ntpSeconds: 3900000000, ntpFraction: 0x80000000, rtpTimestamp: 160000, packetCount: 50, octetCount: 8000, reports: [block] },
      { type: 'sdes', chunks: [{ ssrc: 1, cname: 'alice@example.com' }] },
      { type: 'bye', ssrcs: [1], reason: 'call ended' },
    ];
    const bytes = encodeRtcpCompound(packets);
    expect(bytes.length % 4).toBe(0);
    expect(decodeRtcpCompound(bytes)).toEqual({ ok: true, packets });
  });

  it('MUST encode the SR header with V=2, RC and length in 32-bit words minus one', () => {
    const bytes = encodeRtcpCompound([{ type: 'sr', ssrc: 7, ntpSeconds: 0, ntpFraction: 0, rtpTimestamp: 0, packetCount: 0, octetCount: 0, reports: [block] }]);
    expect(bytes[0]).toBe(0x81);
    expect(bytes[1]).toBe(200);
    expect((bytes[2] ?? 0) * 256 + (bytes[3] ?? 0)).toBe(12); // 52 octets (header 4 + SSRC+sender info 24 + one block 24) = 13 words, minus one
    expect(bytes.length).toBe(52);
  });

  it('round-trips an empty RR and a BYE without reason; keeps unknown packet types raw', () => {
    const app = Uint8Array.of(0x80, 204, 0, 2, 0, 0, 0, 1, 0x6e, 0x61, 0x6d, 0x65);
    const rr: RtcpPacket[] = [{ type: 'rr', ssrc: 9, reports: [] }, { type: 'bye', ssrcs: [9, 10] }];
    const bytes = encodeRtcpCompound(rr);
    const merged = new Uint8Array(bytes.length + app.length);
    merged.set(bytes);
    merged.set(app, bytes.length);
    expect(decodeRtcpCompound(merged)).toEqual({ ok: true, packets: [...rr, { type: 'unknown', packetType: 204, raw: app }] });
  });

  it('MUST reject truncated or wrong-version input with a result', () => {
    const bytes = encodeRtcpCompound([{ type: 'rr', ssrc: 9, reports: [block] }]);
    expect(decodeRtcpCompound(bytes.subarray(0, bytes.length - 4)).ok).toBe(false);
    expect(decodeRtcpCompound(Uint8Array.of(0x40, 201, 0, 1, 0, 0, 0, 0)).ok).toBe(false);
    expect(decodeRtcpCompound(new Uint8Array(2)).ok).toBe(false);
  });

  it('converts Unix time to NTP (seconds since 1900)', () => {
    expect(ntpFromUnixMs(0)).toEqual({ seconds: 2208988800, fraction: 0 });
    expect(ntpFromUnixMs(1500)).toEqual({ seconds: 2208988801, fraction: 0x80000000 });
  });
});
