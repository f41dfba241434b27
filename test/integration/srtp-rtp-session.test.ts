/**
 * SRTP on real sockets (RFC 3711 with SDES keys, RFC 4568): two RTP sessions on 127.0.0.1, each protecting
 * with its own key and unprotecting with the other's, through a relay that sees only the wire. The
 * payload never crosses in clear, the receiver gets it back intact, and a forged or replayed packet
 * from the relay is discarded (never played, the latch does not move).
 */
import dgram from 'node:dgram';
import { afterEach, describe, expect, it } from 'vitest';
import { MediaSession } from '../../main/media/media-session.ts';
import { RtpSession } from '../../main/media/rtp-session.ts';
import { createAnswer, createOffer, SdpOriginState } from '../../main/media/sdp-offer-answer.ts';
import { SrtpContext, newCryptoAttribute } from '../../main/media/srtp/index.ts';
import { systemClock } from '../../main/sip/transaction/clock.ts';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0)) await c();
});

async function waitUntil(check: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  for (const until = Date.now() + timeoutMs; !check(); ) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('SRTP between two RTP sessions (RFC 3711)', () => {
  it('the wire carries no clear payload; the receiver decrypts it; forged and replayed packets are discarded', async () => {
    const alice = await RtpSession.open({ clock: systemClock, bindAddress: '127.0.0.1' });
    const bob = await RtpSession.open({ clock: systemClock, bindAddress: '127.0.0.1' });
    cleanups.push(() => alice.close(), () => bob.close());
    const aliceKey = newCryptoAttribute(1, 'AES_CM_128_HMAC_SHA1_80');
    const bobKey = newCryptoAttribute(1, 'AES_CM_128_HMAC_SHA1_80');
    const ctx = (k: typeof aliceKey): SrtpContext => new SrtpContext(k.suite, k.masterKey, k.masterSalt);
    alice.setSrtp({ tx: ctx(aliceKey), rx: ctx(bobKey) });
    bob.setSrtp({ tx: ctx(bobKey), rx: ctx(aliceKey) });
    expect(alice.encrypted).toBe(true);

    // the relay: alice sends to it, it forwards to bob and keeps what it saw
    const relay = dgram.createSocket('udp4');
    const seen: Buffer[] = [];
    relay.on('message', (data) => {
      seen.push(data);
      relay.send(data, bob.localPort, '127.0.0.1');
    });
    await new Promise<void>((r) => relay.bind(0, '127.0.0.1', () => r()));
    cleanups.push(() => new Promise<void>((r) => relay.close(() => r())));
    const relayPort = relay.address().port;
    alice.setRemote({ address: '127.0.0.1', port: relayPort }, { address: '127.0.0.1', port: relayPort + 1 }, [0]);
    bob.setRemote({ address: '127.0.0.1', port: relayPort }, { address: '127.0.0.1', port: relayPort + 1 }, [0]);
    const heard: string[] = [];
    bob.on({ onRtp: (p) => heard.push(Buffer.from(p.payload).toString()) });

    for (let i = 0; i < 20; i++) alice.send(0, Buffer.from(`secret voice frame ${String(i).padStart(2, '0')}`), i * 160, i === 0);
    await waitUntil(() => heard.length === 20, '20 frames at bob');
    expect(heard).toEqual(Array.from({ length: 20 }, (_, i) => `secret voice frame ${String(i).padStart(2, '0')}`));
    expect(seen).toHaveLength(20);
    expect(seen.some((d) => d.includes(Buffer.from('secret')))).toBe(false);
    expect(seen.every((d) => d.length === 12 + 'secret voice frame 00'.length + 10)).toBe(true);

    // forged (flipped bit) and replayed packets from the latched relay address: discarded, not played
    const before = bob.stats().packetsDiscarded;
    const forged = Buffer.from(seen[5]!);
    forged[forged.length - 15] = (forged[forged.length - 15] ?? 0) ^ 0x04;
    relay.send(forged, bob.localPort, '127.0.0.1');
    relay.send(seen[3]!, bob.localPort, '127.0.0.1');
    // then a fresh frame proves bob is alive and processed the two before it
    alice.send(0, Buffer.from('secret voice frame 20'), 20 * 160, false);
    await waitUntil(() => heard.length === 21, 'the fresh frame at bob');
    expect(heard[20]).toBe('secret voice frame 20');
    expect(bob.stats().packetsDiscarded - before).toBe(2);
  });

  it('two media sessions negotiate SDES in offer/answer, turn SRTP on, and bob hears alice; a hold re-offer with the same keys keeps SRTP on', async () => {
    const heardByBob: Int16Array[] = [];
    const alice = await MediaSession.open({ clock: systemClock, bindAddress: '127.0.0.1' });
    const bob = await MediaSession.open({ clock: systemClock, bindAddress: '127.0.0.1', onAudio: (p) => heardByBob.push(p) });
    cleanups.push(() => alice.close(), () => bob.close());
    const aliceSrtp = { mode: 'required' as const, keys: [newCryptoAttribute(1, 'AES_CM_128_HMAC_SHA1_80')] };
    const bobSrtp = { mode: 'offered' as const, keys: [newCryptoAttribute(1, 'AES_CM_128_HMAC_SHA1_80'), newCryptoAttribute(2, 'AES_CM_128_HMAC_SHA1_32')] };
    const aliceOrigin = new SdpOriginState();
    const offer = createOffer({ address: '127.0.0.1', port: alice.localPort, srtp: aliceSrtp }, aliceOrigin);
    const r = createAnswer(offer, { address: '127.0.0.1', port: bob.localPort, srtp: bobSrtp }, new SdpOriginState());
    if (!r.ok) throw new Error(r.reason);
    expect(bob.start(r.answer, offer).ok).toBe(true);
    expect(alice.start(offer, r.answer).ok).toBe(true);
    expect(alice.encrypted).toBe(true);
    expect(bob.encrypted).toBe(true);
    const tone = Int16Array.from({ length: 160 }, (_, i) => Math.round(8000 * Math.sin((2 * Math.PI * i) / 8)));
    for (let i = 0; i < 10; i++) alice.pushFrame(tone);
    await waitUntil(() => heardByBob.some((f) => f.some((v) => Math.abs(v) > 4000)), "alice's tone at bob");
    const rtpSession = alice.rtpSession;
    // hold: a re-offer with the same keys keeps SRTP on, nothing discarded
    const hold = createOffer({ address: '127.0.0.1', port: alice.localPort, srtp: aliceSrtp, direction: 'sendonly' }, aliceOrigin);
    const held = createAnswer(hold, { address: '127.0.0.1', port: bob.localPort, srtp: bobSrtp }, new SdpOriginState());
    if (!held.ok) throw new Error(held.reason);
    expect(alice.start(hold, held.answer).ok).toBe(true);
    expect(alice.encrypted).toBe(true);
    expect(alice.rtpSession).toBe(rtpSession);
    expect(bob.rtpSession.stats().packetsDiscarded).toBe(0);
  });
});
