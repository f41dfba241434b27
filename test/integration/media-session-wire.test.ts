/**
 * MediaSession against a raw UDP socket, paced by a fake clock: the exact RTP packets on the wire
 * (RFC 3550 sequence/timestamp, RFC 3551 marker, RFC 4733 DTMF, mute, hold) and the receive path.
 */
import dgram from 'node:dgram';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { decodeTelephoneEvent } from '../../main/media/dtmf.ts';
import { MediaSession } from '../../main/media/media-session.ts';
import { createRtpPacket, decodeRtpPacket, encodeRtpPacket, type RtpPacket } from '../../main/media/rtp-packet.ts';
import { parseSdp, type SessionDescription } from '../../main/media/sdp.ts';
import { encodeMulaw } from '../../main/media/g711.ts';
import { FakeClock } from '../unit/media/fake-clock.ts';

/** every wait ends on the event it names; generous for a busy 2-core machine */
const WAIT = { timeout: 15_000, interval: 2 };
const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0)) await c();
});

function sdp(port: number, direction: string, formats = '0 101'): SessionDescription {
  const text = ['v=0', 'o=- 1 1 IN IP4 127.0.0.1', 's=-', 'c=IN IP4 127.0.0.1', 't=0 0', `m=audio ${port} RTP/AVP ${formats}`, 'a=rtpmap:101 telephone-event/8000', `a=${direction}`, ''].join('\r\n');
  const r = parseSdp(text);
  if (!r.ok) throw new Error(r.error);
  return r.sdp;
}

async function setup(extra: { onInactive?: () => void } = {}): Promise<{ clock: FakeClock; session: MediaSession; peer: dgram.Socket; wire: RtpPacket[]; heard: Int16Array[]; step: (ticks: number) => Promise<void> }> {
  const clock = new FakeClock();
  const heard: Int16Array[] = [];
  const session = await MediaSession.open({ clock, bindAddress: '127.0.0.1', onAudio: (p) => heard.push(p), ...extra });
  const peer = dgram.createSocket('udp4');
  const wire: RtpPacket[] = [];
  let datagrams = 0;
  peer.on('message', (m) => {
    datagrams++;
    const d = decodeRtpPacket(new Uint8Array(m));
    if (d.ok) wire.push(d.packet);
  });
  await new Promise<void>((r) => peer.bind(0, '127.0.0.1', () => r()));
  cleanups.push(() => session.close(), () => new Promise<void>((r) => peer.close(() => r())));
  // one 20 ms tick at a time; each waits until every packet the session has sent so far has arrived
  const step = async (ticks: number): Promise<void> => {
    for (let i = 0; i < ticks; i++) {
      clock.advance(20);
      await vi.waitFor(() => expect(datagrams).toBeGreaterThanOrEqual(session.stats().packetsSent), WAIT);
    }
  };
  return { clock, session, peer, wire, heard, step };
}

describe('MediaSession on the wire (fake clock, real sockets)', () => {
  it('sends one 160-octet PCMU packet per 20 ms: seq +1, timestamp +160, marker on the first (RFC 3551 §4.1)', async () => {
    const { session, peer, wire, step } = await setup();
    session.start(sdp(session.localPort, 'sendrecv'), sdp(peer.address().port, 'sendrecv'));
    const frame = Int16Array.from({ length: 160 }, (_, i) => (i % 2 === 0 ? 1000 : -1000));
    session.pushFrame(frame);
    await step(5);
    expect(wire).toHaveLength(5);
    expect(wire.map((p) => p.marker)).toEqual([true, false, false, false, false]);
    for (let i = 1; i < wire.length; i++) {
      expect(((wire[i]?.sequenceNumber ?? 0) - (wire[i - 1]?.sequenceNumber ?? 0)) & 0xffff).toBe(1);
      expect(((wire[i]?.timestamp ?? 0) - (wire[i - 1]?.timestamp ?? 0)) >>> 0).toBe(160);
    }
    expect(Array.from(wire[0]?.payload ?? [])).toEqual(Array.from(encodeMulaw(frame)));
    expect(Array.from(wire[1]?.payload ?? []).every((b) => b === 0xff)).toBe(true); // underrun → silence
    expect(new Set(wire.map((p) => p.ssrc)).size).toBe(1);
  });

  it('DTMF (RFC 4733): event packets replace audio, share one timestamp, marker first, end sent 3 times', async () => {
    const { session, peer, wire, step } = await setup();
    session.start(sdp(session.localPort, 'sendrecv'), sdp(peer.address().port, 'sendrecv'));
    await step(2);
    expect(session.sendDtmf('5', 100)).toBe(true);
    await step(10);
    const events = wire.filter((p) => p.payloadType === 101);
    expect(events).toHaveLength(7);
    const e = events.map((p) => decodeTelephoneEvent(p.payload));
    expect(e.map((x) => x?.duration)).toEqual([160, 320, 480, 640, 800, 800, 800]);
    expect(e.map((x) => x?.end)).toEqual([false, false, false, false, true, true, true]);
    expect(events.map((p) => p.marker)).toEqual([true, false, false, false, false, false, false]);
    expect(new Set(events.map((p) => p.timestamp)).size).toBe(1);
    // the event starts where the next audio packet would have, and audio resumes 7 ticks later
    const first = events[0] === undefined ? -1 : wire.indexOf(events[0]);
    const before = wire[first - 1];
    const after = wire[first + 7];
    expect(((events[0]?.timestamp ?? 0) - (before?.timestamp ?? 0)) >>> 0).toBe(160);
    expect(after?.payloadType).toBe(0);
    expect(((after?.timestamp ?? 0) - (events[0]?.timestamp ?? 0)) >>> 0).toBe(7 * 160);
    // sequence numbers run on without a gap through the event
    for (let i = 1; i < wire.length; i++) expect(((wire[i]?.sequenceNumber ?? 0) - (wire[i - 1]?.sequenceNumber ?? 0)) & 0xffff).toBe(1);
  });

  it('refuses DTMF when the remote did not offer telephone-event', async () => {
    const { session, peer } = await setup();
    session.start(sdp(session.localPort, 'sendrecv'), sdp(peer.address().port, 'sendrecv', '0'));
    expect(session.sendDtmf('1')).toBe(false);
  });

  it('mute sends silence (0xFF) instead of pushed audio; on hold (remote sendonly → we recvonly) nothing is sent; resume sets the marker', async () => {
    const { session, peer, wire, step } = await setup();
    const port = peer.address().port;
    session.start(sdp(session.localPort, 'sendrecv'), sdp(port, 'sendrecv'));
    session.setMuted(true);
    session.pushFrame(Int16Array.from({ length: 160 }, () => 5000));
    await step(2);
    expect(wire.every((p) => p.payload.every((b) => b === 0xff))).toBe(true);
    session.setMuted(false);
    // remote put us on hold: its answer says sendonly → we are recvonly and send nothing
    session.start(sdp(session.localPort, 'recvonly'), sdp(port, 'sendonly'));
    const n = wire.length;
    await step(5);
    expect(wire.length).toBe(n);
    session.start(sdp(session.localPort, 'sendrecv'), sdp(port, 'sendrecv'));
    await step(2);
    expect(wire.length).toBe(n + 2);
    expect(wire[n]?.marker).toBe(true);
    expect(((wire[n]?.timestamp ?? 0) - (wire[n - 1]?.timestamp ?? 0)) >>> 0).toBe(6 * 160); // the clock kept running
  });

  it('local hold (we sendonly, RFC 3264 §8.4) sends silence, never the microphone; resume restores it', async () => {
    const { session, peer, wire, step } = await setup();
    const port = peer.address().port;
    const loud = Int16Array.from({ length: 160 }, (_, i) => (i % 2 === 0 ? 6000 : -6000));
    session.start(sdp(session.localPort, 'sendrecv'), sdp(port, 'sendrecv'));
    session.setHeld(true);
    session.start(sdp(session.localPort, 'sendonly'), sdp(port, 'recvonly'));
    for (let i = 0; i < 4; i++) session.pushFrame(loud);
    await step(4);
    expect(wire).toHaveLength(4);
    expect(wire.every((p) => p.payload.every((b) => b === 0xff))).toBe(true);
    session.setHeld(false);
    session.start(sdp(session.localPort, 'sendrecv'), sdp(port, 'sendrecv'));
    session.pushFrame(loud);
    await step(1);
    expect(Array.from(wire[4]?.payload ?? [])).toEqual(Array.from(encodeMulaw(loud)));
  });

  it('RTP/RTCP inactivity: 30 s without a packet while we expect media fires onInactive once; packets and hold keep it quiet', async () => {
    let inactive = 0;
    const { clock, session, peer } = await setup({ onInactive: () => inactive++ });
    const port = peer.address().port;
    session.start(sdp(session.localPort, 'sendrecv'), sdp(port, 'sendrecv'));
    // the far end talks for 40 s (one packet a second is enough to count as alive)
    for (let s = 0; s < 40; s++) {
      const packet = encodeRtpPacket(createRtpPacket({ payloadType: 0, sequenceNumber: s, timestamp: s * 8000, ssrc: 7, payload: new Uint8Array(160).fill(0xff) }));
      await new Promise<void>((r) => peer.send(packet, session.localPort, '127.0.0.1', () => r()));
      await vi.waitFor(() => expect(session.stats().packetsReceived).toBe(s + 1), WAIT);
      clock.advance(1000);
    }
    expect(inactive).toBe(0);
    // we hold (sendonly; the answer is recvonly): the far end rightly sends nothing, no timeout
    session.start(sdp(session.localPort, 'sendonly'), sdp(port, 'recvonly'));
    clock.advance(60_000);
    expect(inactive).toBe(0);
    // back to sendrecv and the far end is silent: fires once at 30 s, not before
    session.start(sdp(session.localPort, 'sendrecv'), sdp(port, 'sendrecv'));
    clock.advance(29_900);
    expect(inactive).toBe(0);
    clock.advance(200);
    expect(inactive).toBe(1);
    clock.advance(60_000);
    expect(inactive).toBe(1);
  });

  it('plays received packets in sequence order after the target delay and conceals a lost one', async () => {
    const { session, peer, heard, step } = await setup();
    session.start(sdp(session.localPort, 'sendrecv'), sdp(peer.address().port, 'sendrecv'));
    const send = (seq: number): void => {
      const payload = encodeMulaw(Int16Array.from({ length: 160 }, () => seq * 100));
      peer.send(encodeRtpPacket(createRtpPacket({ payloadType: 0, sequenceNumber: seq, timestamp: seq * 160, ssrc: 99, payload })), session.localPort, '127.0.0.1');
    };
    // 1, 3, 2, 5 arrive (4 is lost) within one tick, then nothing
    for (const seq of [1, 3, 2, 5]) send(seq);
    await vi.waitFor(() => expect(session.stats().packetsReceived).toBe(4), WAIT);
    await step(8);
    const levels = heard.map((f) => f[0]);
    // ticks at 20, 40 wait out the 60 ms target delay; from 60 ms one frame per tick. µ-law decodes
    // 100·seq to 104, 196, 308; slot 4 is concealed at half of 3; then 5; slot 6 concealed from 5
    expect(levels).toEqual([104, 196, 308, 154, 492, 246]);
    expect(session.stats()).toMatchObject({ framesPlayed: 4, framesConcealed: 2, packetsReceived: 4, lateDropped: 0 });
  });
});
