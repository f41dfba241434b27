/**
 * SRTP in offer/answer (RFC 4568 SDES over RFC 3264): what we offer per policy, how offers are answered,
 * and what a local/remote pair negotiated — including the refusals a user must see instead of a call that
 * silently runs in clear.
 */
import { describe, expect, it } from 'vitest';
import { createAnswer, createOffer, negotiate, SdpOriginState, type LocalAudioConfig } from '../../../main/media/sdp-offer-answer.ts';
import { newCryptoAttribute, type CryptoAttribute } from '../../../main/media/srtp/index.ts';
import type { SrtpPolicy } from '../../../main/media/sdp-srtp.ts';
import { parseSdp, serializeSdp, type SessionDescription } from '../../../main/media/sdp.ts';

const keys = (): CryptoAttribute[] => [newCryptoAttribute(1, 'AES_CM_128_HMAC_SHA1_80'), newCryptoAttribute(2, 'AES_CM_128_HMAC_SHA1_32')];
const policy = (mode: SrtpPolicy['mode']): SrtpPolicy => ({ mode, keys: keys() });
const local = (port: number, srtp?: SrtpPolicy): LocalAudioConfig => (srtp === undefined ? { address: '127.0.0.1', port } : { address: '127.0.0.1', port, srtp });
const wire = (sdp: SessionDescription): string => serializeSdp(sdp);
const reparse = (sdp: SessionDescription): SessionDescription => {
  const r = parseSdp(wire(sdp));
  if (!r.ok) throw new Error(r.error);
  return r.sdp;
};

describe('SRTP offers', () => {
  it('required: RTP/SAVP with one crypto line per suite; offered: RTP/AVP with the same lines; none: plain', () => {
    const req = wire(createOffer(local(4000, policy('required')), new SdpOriginState()));
    expect(req).toMatch(/^m=audio 4000 RTP\/SAVP /m);
    expect(req).toMatch(/^a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:[A-Za-z0-9+/]{40}\r$/m);
    expect(req).toMatch(/^a=crypto:2 AES_CM_128_HMAC_SHA1_32 inline:[A-Za-z0-9+/]{40}\r$/m);
    const off = wire(createOffer(local(4000, policy('offered')), new SdpOriginState()));
    expect(off).toMatch(/^m=audio 4000 RTP\/AVP /m);
    expect(off).toContain('a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:');
    const none = wire(createOffer(local(4000), new SdpOriginState()));
    expect(none).toMatch(/^m=audio 4000 RTP\/AVP /m);
    expect(none).not.toContain('a=crypto');
  });
});

describe('SRTP answers and negotiation', () => {
  it('both sides agree on the first offered suite; each protects with its own key and unprotects with the other', () => {
    const alice = policy('required');
    const bob = policy('offered');
    const offer = reparse(createOffer(local(4000, alice), new SdpOriginState()));
    const r = createAnswer(offer, local(5000, bob), new SdpOriginState());
    if (!r.ok) throw new Error(r.reason);
    expect(wire(r.answer)).toMatch(/^m=audio 5000 RTP\/SAVP /m);
    expect(wire(r.answer).match(/a=crypto:/g)).toHaveLength(1);
    expect(r.audio.srtp?.suite).toBe('AES_CM_128_HMAC_SHA1_80');
    expect(r.audio.srtp?.ours.masterKey).toEqual(bob.keys[0]?.masterKey);
    expect(r.audio.srtp?.theirs.masterKey).toEqual(alice.keys[0]?.masterKey);
    const atAlice = negotiate(offer, reparse(r.answer));
    if (!atAlice.ok) throw new Error(atAlice.reason);
    expect(atAlice.audio.srtp?.ours.masterKey).toEqual(alice.keys[0]?.masterKey);
    expect(atAlice.audio.srtp?.theirs.masterKey).toEqual(bob.keys[0]?.masterKey);
  });

  it('best effort: an RTP/AVP offer with crypto lines is answered with SRTP on RTP/AVP; without lines the call is clear', () => {
    const withCrypto = reparse(createOffer(local(4000, policy('offered')), new SdpOriginState()));
    const r1 = createAnswer(withCrypto, local(5000, policy('offered')), new SdpOriginState());
    expect(r1.ok && r1.audio.srtp?.suite).toBe('AES_CM_128_HMAC_SHA1_80');
    expect(r1.ok && wire(r1.answer)).toMatch(/^m=audio 5000 RTP\/AVP /m);
    const plain = reparse(createOffer(local(4000), new SdpOriginState()));
    const r2 = createAnswer(plain, local(5000, policy('offered')), new SdpOriginState());
    expect(r2.ok && r2.audio.srtp).toBeNull();
    // and a plain answer to our best-effort offer leaves the call in clear, by policy
    const r3 = createAnswer(withCrypto, local(5000), new SdpOriginState());
    if (!r3.ok) throw new Error(r3.reason);
    expect(wire(r3.answer)).not.toContain('a=crypto');
    const atOfferer = negotiate(withCrypto, reparse(r3.answer));
    expect(atOfferer.ok && atOfferer.audio.srtp).toBeNull();
  });

  it('refusals in words: SAVP offered to an account without SRTP, clear media to an account that requires it, no common suite', () => {
    const savp = reparse(createOffer(local(4000, policy('required')), new SdpOriginState()));
    expect(createAnswer(savp, local(5000), new SdpOriginState())).toEqual({ ok: false, status: 488, reason: 'encrypted media (RTP/SAVP) offered, but SRTP is off for this account' });
    const plain = reparse(createOffer(local(4000), new SdpOriginState()));
    expect(createAnswer(plain, local(5000, policy('required')), new SdpOriginState())).toMatchObject({ ok: false, status: 488, reason: 'the other side offered unencrypted media and this account requires SRTP' });
    const foreign = reparse(createOffer(local(4000, policy('required')), new SdpOriginState()));
    const onlyOther: SrtpPolicy = { mode: 'required', keys: [] };
    expect(createAnswer(foreign, local(5000, onlyOther), new SdpOriginState())).toMatchObject({ ok: false, reason: 'encrypted media offered with no crypto suite we support' });
  });

  it('our required offer answered without a matching crypto line fails (no silent fallback to clear)', () => {
    const offer = reparse(createOffer(local(4000, policy('required')), new SdpOriginState()));
    const text = wire(createOffer(local(5000), new SdpOriginState())).replace('RTP/AVP', 'RTP/SAVP');
    const answer = parseSdp(text);
    if (!answer.ok) throw new Error(answer.error);
    expect(negotiate(offer, answer.sdp)).toEqual({ ok: false, status: 488, reason: 'the other side did not accept encrypted media (no matching crypto line)' });
  });
});
