/**
 * Symmetric RTP (RFC 4961) on real sockets: we send from the port we receive on, and latch the remote
 * address to where RTP actually comes from, not to what SDP said (a NAT rewrote it).
 */
import dgram from 'node:dgram';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { MediaSession } from '../../main/media/media-session.ts';
import { createRtpPacket, decodeRtpPacket, encodeRtpPacket } from '../../main/media/rtp-packet.ts';
import { RtpSession } from '../../main/media/rtp-session.ts';
import { createAnswer, createOffer, SdpOriginState } from '../../main/media/sdp-offer-answer.ts';
import { systemClock } from '../../main/sip/transaction/clock.ts';

/** every wait ends on the event it names; generous for a busy 2-core machine */
const WAIT = { timeout: 15_000, interval: 10 };
const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0)) await c();
});

async function udp(): Promise<{ socket: dgram.Socket; port: number; received: { port: number; data: Buffer }[] }> {
  const socket = dgram.createSocket('udp4');
  const received: { port: number; data: Buffer }[] = [];
  socket.on('message', (data, rinfo) => received.push({ port: rinfo.port, data }));
  await new Promise<void>((r) => socket.bind(0, '127.0.0.1', () => r()));
  cleanups.push(() => new Promise<void>((r) => socket.close(() => r())));
  return { socket, port: socket.address().port, received };
}

describe('symmetric RTP (RFC 4961)', () => {
  it('MUST latch to the address RTP really comes from and send there, from the port it receives on', async () => {
    const decoy = await udp(); // the address SDP claims (a NAT mapping that leads nowhere)
    const heardByBob: Int16Array[] = [];
    const alice = await MediaSession.open({ clock: systemClock, bindAddress: '127.0.0.1' });
    const bob = await MediaSession.open({ clock: systemClock, bindAddress: '127.0.0.1', onAudio: (p) => heardByBob.push(p) });
    cleanups.push(() => alice.close(), () => bob.close());
    const offer = createOffer({ address: '127.0.0.1', port: alice.localPort }, new SdpOriginState());
    const r = createAnswer(offer, { address: '127.0.0.1', port: bob.localPort }, new SdpOriginState());
    if (!r.ok) throw new Error(r.reason);
    const m = r.answer.media[0];
    if (m === undefined) throw new Error('no audio');
    const rewritten = { ...r.answer, media: [{ ...m, port: decoy.port }] };
    bob.start(r.answer, offer);
    expect(alice.start(offer, rewritten).ok).toBe(true);
    expect(alice.rtpSession.remote).toEqual({ address: '127.0.0.1', port: decoy.port });
    const tone = Int16Array.from({ length: 160 }, (_, i) => Math.round(8000 * Math.sin((2 * Math.PI * i) / 8)));
    for (let i = 0; i < 10; i++) alice.pushFrame(tone);
    // bob answers from his port: alice latches to it, and bob hears the tone
    await vi.waitFor(() => {
      expect(alice.rtpSession.latched).toBe(true);
      expect(heardByBob.some((f) => f.some((v) => Math.abs(v) > 4000))).toBe(true);
    }, WAIT);
    expect(alice.rtpSession.remote).toEqual({ address: '127.0.0.1', port: bob.localPort });
    // whatever reached the decoy came from alice's receiving port (symmetric), and it stopped after latching
    expect(decoy.received.every((d) => d.port === alice.localPort)).toBe(true);
    const atDecoy = decoy.received.length;
    expect(atDecoy).toBeLessThanOrEqual(3);
    // ten more packets reached bob since: had any gone to the decoy, the decoy socket would have them too
    const bobHad = bob.stats().packetsReceived;
    await vi.waitFor(() => expect(bob.stats().packetsReceived).toBeGreaterThan(bobHad + 10), WAIT);
    expect(decoy.received.length).toBe(atDecoy);
  });

  it('after latching, RTP from any other address is discarded and does not move the latch', async () => {
    const session = await RtpSession.open({ clock: systemClock, bindAddress: '127.0.0.1' });
    cleanups.push(() => session.close());
    const peer = await udp();
    const intruder = await udp();
    const got: number[] = [];
    session.on({ onRtp: (p) => got.push(p.sequenceNumber) });
    session.setRemote({ address: '127.0.0.1', port: 9 }, { address: '127.0.0.1', port: 10 }, [0]);
    const rtp = (seq: number, pt = 0): Uint8Array => encodeRtpPacket(createRtpPacket({ payloadType: pt, sequenceNumber: seq, timestamp: seq * 160, ssrc: 77, payload: new Uint8Array(160) }));
    const discarded = () => session.stats().packetsDiscarded;
    intruder.socket.send(rtp(1, 96), session.localPort, '127.0.0.1'); // not an accepted payload type: no latch
    await vi.waitFor(() => expect(discarded()).toBe(1), WAIT);
    peer.socket.send(rtp(2), session.localPort, '127.0.0.1');
    await vi.waitFor(() => expect(got).toEqual([2]), WAIT);
    intruder.socket.send(rtp(3), session.localPort, '127.0.0.1');
    intruder.socket.send(Uint8Array.of(1, 2, 3), session.localPort, '127.0.0.1');
    await vi.waitFor(() => expect(discarded()).toBe(3), WAIT);
    peer.socket.send(rtp(4), session.localPort, '127.0.0.1');
    await vi.waitFor(() => expect(got).toEqual([2, 4]), WAIT);
    expect(session.remote).toEqual({ address: '127.0.0.1', port: peer.port });
    expect(session.stats()).toMatchObject({ packetsReceived: 2, packetsDiscarded: 3 });
    // we answer from the port we receive on
    session.send(0, new Uint8Array(160), 1234, true);
    await vi.waitFor(() => expect(peer.received).toHaveLength(1), WAIT);
    expect(peer.received[0]?.port).toBe(session.localPort);
    const decoded = decodeRtpPacket(new Uint8Array(peer.received[0]?.data ?? []));
    expect(decoded.ok && decoded.packet).toMatchObject({ marker: true, timestamp: 1234, ssrc: session.ssrc });
    // a new SDP address unlatches: the next valid source is accepted
    session.setRemote({ address: '127.0.0.1', port: peer.port }, { address: '127.0.0.1', port: peer.port + 1 }, [0]);
    intruder.socket.send(rtp(5), session.localPort, '127.0.0.1');
    await vi.waitFor(() => expect(session.remote).toEqual({ address: '127.0.0.1', port: intruder.port }), WAIT);
    expect(got).toEqual([2, 4, 5]);
  });
});
