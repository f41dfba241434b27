import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { createRtpPacket, decodeRtpPacket, encodeRtpPacket, looksLikeRtcp } from '../../../main/media/rtp-packet.ts';
import { seqDistance, seqNewer, SequenceTracker } from '../../../main/media/rtp-sequence.ts';
import { RtpReceiveStats } from '../../../main/media/rtp-stats.ts';

describe('RTP packet codec (RFC 3550 §5.1)', () => {
  it('MUST lay out the 12-octet fixed header bit-exactly', () => {
    const bytes = encodeRtpPacket(
      createRtpPacket({ payloadType: 8, sequenceNumber: 0x1234, timestamp: 0xdeadbeef, ssrc: 0x01020304, marker: true, payload: Uint8Array.of(0xd5, 0xd5) }),
    );
    expect(Array.from(bytes)).toEqual([0x80, 0x88, 0x12, 0x34, 0xde, 0xad, 0xbe, 0xef, 0x01, 0x02, 0x03, 0x04, 0xd5, 0xd5]);
  });

  it('round-trips CSRCs, header extension and padding (P, X, CC bits)', () => {
    const p = createRtpPacket({
      payloadType: 101,
      sequenceNumber: 65535,
      timestamp: 4294967295,
      ssrc: 0xffffffff,
      marker: false,
      csrcs: [1, 0xfffffffe],
      extension: { profile: 0xbede, data: Uint8Array.of(0x10, 0xaa, 0, 0) },
      paddingLength: 3,
      payload: Uint8Array.of(1, 2, 3, 4, 5),
    });
    const bytes = encodeRtpPacket(p);
    expect(bytes[0]).toBe(0x80 | 0x20 | 0x10 | 2);
    expect(bytes.length).toBe(12 + 8 + 8 + 5 + 3);
    expect(bytes[bytes.length - 1]).toBe(3);
    const d = decodeRtpPacket(bytes);
    expect(d).toEqual({ ok: true, packet: p });
  });

  it('MUST reject malformed datagrams with a result, never a throw', () => {
    expect(decodeRtpPacket(new Uint8Array(11)).ok).toBe(false);
    expect(decodeRtpPacket(Uint8Array.of(0x40, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0))).toMatchObject({ ok: false, error: expect.stringContaining('version') });
    // CC says 2 CSRCs but none follow
    expect(decodeRtpPacket(Uint8Array.of(0x82, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)).ok).toBe(false);
    // padding count larger than the packet
    expect(decodeRtpPacket(Uint8Array.of(0xa0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 40)).ok).toBe(false);
    // extension length runs past the end
    expect(decodeRtpPacket(Uint8Array.of(0x90, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xbe, 0xde, 0, 9)).ok).toBe(false);
  });

  it('tells RTCP (PT 200-204) apart from RTP (RFC 5761 §4)', () => {
    expect(looksLikeRtcp(Uint8Array.of(0x80, 200, 0, 6))).toBe(true);
    expect(looksLikeRtcp(Uint8Array.of(0x80, 0x88, 0, 6))).toBe(false);
  });
});

describe('sequence number arithmetic across the 16-bit wrap (RFC 3550 A.1)', () => {
  it('orders 65535 before 0 and 0 after 65534', () => {
    expect(seqDistance(65535, 0)).toBe(1);
    expect(seqDistance(0, 65535)).toBe(-1);
    expect(seqNewer(0, 65534)).toBe(true);
    expect(seqNewer(65534, 0)).toBe(false);
  });

  it('MUST count a cycle when the sequence wraps and extend reordered pre-wrap packets correctly', () => {
    const t = new SequenceTracker();
    expect(t.update(65534)).toBe(65534);
    expect(t.update(65535)).toBe(65535);
    expect(t.update(1)).toBe(65537);
    expect(t.update(0)).toBe(65536); // late, from after the wrap
    expect(t.update(65535)).toBe(65535); // duplicate from before the wrap
    expect(t.extendedMax).toBe(65537);
    expect(t.expected).toBe(4);
  });

  it('MUST ignore a single large jump and resynchronise when the next packet confirms it', () => {
    const t = new SequenceTracker();
    t.update(100);
    expect(t.update(20000)).toBeNull();
    expect(t.update(20001)).toBe(20001);
    expect(t.expected).toBe(1);
  });
});

describe('receiver statistics (RFC 3550 A.3 loss, A.8 jitter)', () => {
  it('counts lost packets as expected − received', () => {
    const s = new RtpReceiveStats(8000);
    for (const seq of [10, 11, 13, 14, 17]) s.onPacket(seq, seq * 160, seq * 20, 160);
    expect(s.cumulativeLost).toBe(3);
    expect(s.takeFractionLost()).toBe(Math.floor((3 * 256) / 8));
    expect(s.takeFractionLost()).toBe(0); // nothing new since the last report
  });

  it('keeps jitter at 0 for perfectly paced packets and converges to |D| for alternating delay', () => {
    const even = new RtpReceiveStats(8000);
    for (let i = 0; i < 50; i++) even.onPacket(i, i * 160, 1000 + i * 20, 160);
    expect(even.jitter).toBe(0);
    const wobbly = new RtpReceiveStats(8000);
    // every other packet 10 ms late: |D| = 80 timestamp units each step
    for (let i = 0; i < 400; i++) wobbly.onPacket(i, i * 160, i * 20 + (i % 2) * 10, 160);
    expect(wobbly.jitter).toBeGreaterThanOrEqual(78);
    expect(wobbly.jitter).toBeLessThanOrEqual(80);
    expect(wobbly.jitterMs).toBeCloseTo(10, 0);
  });
});

describe('RTP codec properties (fast-check)', () => {
  it('decode(encode(p)) = p for any valid packet', () => {
    const packet = fc.record({
      payloadType: fc.integer({ min: 0, max: 127 }),
      sequenceNumber: fc.integer({ min: 0, max: 0xffff }),
      timestamp: fc.integer({ min: 0, max: 0xffffffff }),
      ssrc: fc.integer({ min: 0, max: 0xffffffff }),
      marker: fc.boolean(),
      csrcs: fc.array(fc.integer({ min: 0, max: 0xffffffff }), { maxLength: 15 }),
      extension: fc.option(fc.record({ profile: fc.integer({ min: 0, max: 0xffff }), data: fc.integer({ min: 0, max: 4 }).map((w) => new Uint8Array(4 * w).fill(7)) }), { nil: null }),
      paddingLength: fc.integer({ min: 0, max: 255 }),
      payload: fc.uint8Array({ maxLength: 320 }),
    });
    fc.assert(fc.property(packet, (p) => {
        expect(decodeRtpPacket(encodeRtpPacket(p))).toEqual({ ok: true, packet: p });
      }), { numRuns: 300 });
  });

  it('never throws on arbitrary bytes', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 64 }), (b) => typeof decodeRtpPacket(b).ok === 'boolean'), { numRuns: 500 });
  });
});
