import { describe, expect, it } from 'vitest';
import { parseSdp, serializeSdp, mediaDirection, type SessionDescription, type SdpDirection } from '../../../main/media/sdp.ts';
import { answerDirection, createAnswer, createOffer, negotiate, SdpOriginState } from '../../../main/media/sdp-offer-answer.ts';

function sdp(text: string): SessionDescription {
  const r = parseSdp(text.split('\n').join('\r\n'));
  if (!r.ok) throw new Error(r.error);
  return r.sdp;
}

function offerWith(mLine: string, attrs: string[] = [], conn = 'c=IN IP4 192.0.2.1'): SessionDescription {
  return sdp(['v=0', 'o=peer 1 1 IN IP4 192.0.2.1', 's=-', conn, 't=0 0', mLine, ...attrs, ''].join('\n'));
}

const local = { address: '198.51.100.7', port: 30000 };

describe('answering an offer (RFC 3264 §6)', () => {
  it('PCMA-only offer → answer with PCMA, telephone-event, ptime 20 and our address', () => {
    const offer = offerWith('m=audio 40000 RTP/AVP 8 101', ['a=rtpmap:8 PCMA/8000', 'a=rtpmap:101 telephone-event/8000', 'a=fmtp:101 0-16']);
    const r = createAnswer(offer, local, new SdpOriginState('42', 7n));
    if (!r.ok) throw new Error(r.reason);
    const text = serializeSdp(r.answer);
    expect(text).toContain('o=- 42 7 IN IP4 198.51.100.7\r\n');
    expect(text).toContain('c=IN IP4 198.51.100.7\r\n');
    expect(text).toContain('m=audio 30000 RTP/AVP 8 101\r\n');
    expect(text).toContain('a=fmtp:101 0-16\r\na=ptime:20\r\na=sendrecv\r\n');
    expect(r.audio).toMatchObject({ codec: { name: 'PCMA', payloadType: 8 }, sendTelephoneEventPt: 101, receiveTelephoneEventPt: 101, remoteAddress: '192.0.2.1', remotePort: 40000, remoteRtcpPort: 40001, send: true, receive: true });
  });

  it('MUST pick the first offered codec we support (the offerer\'s order), using its dynamic PT numbers', () => {
    const offer = offerWith('m=audio 40000 RTP/AVP 18 8 0 96', ['a=rtpmap:18 G729/8000', 'a=rtpmap:96 telephone-event/8000']);
    const r = createAnswer(offer, local, new SdpOriginState());
    expect(r.ok && r.audio.codec.name).toBe('PCMA');
    expect(r.ok && r.answer.media[0]?.formats).toEqual(['8', '96']);
  });

  it('G729-only offer → reject with 488 and a reason naming what was offered', () => {
    const offer = offerWith('m=audio 40000 RTP/AVP 18 111', ['a=rtpmap:18 G729/8000', 'a=rtpmap:111 opus/48000/2']);
    expect(createAnswer(offer, local, new SdpOriginState())).toEqual({ ok: false, status: 488, reason: 'no common audio codec (offered: G729, opus)' });
  });

  it('rejects an offer without audio, with SRTP to an account without it, or over a transport we lack, with 488', () => {
    expect(createAnswer(offerWith('m=video 4000 RTP/AVP 96'), local, new SdpOriginState())).toMatchObject({ status: 488, reason: 'no audio stream offered' });
    expect(createAnswer(offerWith('m=audio 4000 RTP/SAVP 0'), local, new SdpOriginState())).toMatchObject({ status: 488, reason: 'encrypted media (RTP/SAVP) offered, but SRTP is off for this account' });
    expect(createAnswer(offerWith('m=audio 4000 UDP/TLS/RTP/SAVPF 0'), local, new SdpOriginState())).toMatchObject({ status: 488, reason: 'no supported audio transport (offered: UDP/TLS/RTP/SAVPF)' });
  });

  it('MUST answer every m= line and reject the ones we do not take with port 0 (RFC 3264 §6)', () => {
    const offer = sdp(['v=0', 'o=p 1 1 IN IP4 192.0.2.1', 's=-', 'c=IN IP4 192.0.2.1', 't=0 0', 'm=video 5000 RTP/AVP 96', 'm=audio 4000 RTP/AVP 0', 'm=audio 4002 RTP/AVP 0', ''].join('\n'));
    const r = createAnswer(offer, local, new SdpOriginState());
    if (!r.ok) throw new Error(r.reason);
    expect(r.answer.media.map((m) => `${m.media} ${m.port}`)).toEqual(['video 0', 'audio 30000', 'audio 0']);
    expect(r.audio.remotePort).toBe(4000);
  });

  it('hold: an offer with sendonly MUST be answered recvonly, and we do not send', () => {
    const r = createAnswer(offerWith('m=audio 4000 RTP/AVP 0', ['a=sendonly']), local, new SdpOriginState());
    if (!r.ok) throw new Error(r.reason);
    const m = r.answer.media[0];
    if (m === undefined) throw new Error('no media');
    expect(mediaDirection(r.answer, m)).toBe('recvonly');
    expect(r.audio).toMatchObject({ send: false, receive: true, direction: 'recvonly' });
  });

  it('inactive offer → inactive answer; recvonly offer → sendonly answer', () => {
    const inactive = createAnswer(offerWith('m=audio 4000 RTP/AVP 0', ['a=inactive']), local, new SdpOriginState());
    expect(inactive.ok && inactive.audio).toMatchObject({ direction: 'inactive', send: false, receive: false });
    const recvonly = createAnswer(offerWith('m=audio 4000 RTP/AVP 0', ['a=recvonly']), local, new SdpOriginState());
    expect(recvonly.ok && recvonly.audio).toMatchObject({ direction: 'sendonly', send: true, receive: false });
  });

  it('follows the §6.1 direction table, intersected with what we want', () => {
    const dirs: SdpDirection[] = ['sendrecv', 'sendonly', 'recvonly', 'inactive'];
    const table = dirs.map((o) => dirs.map((w) => answerDirection(o, w)));
    expect(table).toEqual([
      ['sendrecv', 'sendonly', 'recvonly', 'inactive'],
      ['recvonly', 'inactive', 'recvonly', 'inactive'],
      ['sendonly', 'sendonly', 'inactive', 'inactive'],
      ['inactive', 'inactive', 'inactive', 'inactive'],
    ]);
  });

  it('treats c=0.0.0.0 (RFC 2543 hold) as "do not send", and reads IPv6 and a=rtcp (RFC 3605)', () => {
    const held = createAnswer(offerWith('m=audio 4000 RTP/AVP 0', [], 'c=IN IP4 0.0.0.0'), local, new SdpOriginState());
    expect(held.ok && held.audio.send).toBe(false);
    const v6 = createAnswer(offerWith('m=audio 4000 RTP/AVP 0', ['a=rtcp:4999 IN IP6 2001:db8::1'], 'c=IN IP6 2001:db8::1'), { address: '2001:db8::2', port: 5000 }, new SdpOriginState());
    if (!v6.ok) throw new Error(v6.reason);
    expect(v6.audio).toMatchObject({ remoteAddress: '2001:db8::1', remoteRtcpPort: 4999 });
    expect(serializeSdp(v6.answer)).toContain('c=IN IP6 2001:db8::2\r\n');
  });
});

describe('offers and their answers (RFC 3264 §5, §7, §8)', () => {
  it('offers G.722 first (G722/8000, RFC 3551 §4.5.2), then PCMU, PCMA and telephone-event 101 with fmtp 0-16 and ptime 20', () => {
    const text = serializeSdp(createOffer(local, new SdpOriginState('5', 1n)));
    expect(text).toBe(
      'v=0\r\no=- 5 1 IN IP4 198.51.100.7\r\ns=-\r\nc=IN IP4 198.51.100.7\r\nt=0 0\r\nm=audio 30000 RTP/AVP 9 0 8 101\r\n' +
        'a=rtpmap:9 G722/8000\r\na=rtpmap:0 PCMU/8000\r\na=rtpmap:8 PCMA/8000\r\na=rtpmap:101 telephone-event/8000\r\na=fmtp:101 0-16\r\na=ptime:20\r\na=sendrecv\r\n',
    );
  });

  it('MUST increment the o= version on a changed re-offer (hold) and keep it for an unchanged one (§8)', () => {
    const origin = new SdpOriginState('5', 1n);
    const first = createOffer(local, origin);
    const same = createOffer(local, origin);
    const hold = createOffer({ ...local, direction: 'sendonly' }, origin);
    const resume = createOffer(local, origin);
    expect([first, same, hold, resume].map((s) => s.origin.sessionVersion)).toEqual(['1', '1', '2', '3']);
    expect(new Set([first, hold, resume].map((s) => s.origin.sessionId))).toEqual(new Set(['5']));
  });

  it('offerer side: negotiate(offer, answer) yields the answerer\'s codec and direction', () => {
    const offer = createOffer({ ...local, direction: 'sendonly' }, new SdpOriginState());
    const answer = offerWith('m=audio 6000 RTP/AVP 8 101', ['a=rtpmap:101 telephone-event/8000', 'a=recvonly']);
    const r = negotiate(offer, answer);
    expect(r.ok && r.audio).toMatchObject({ codec: { name: 'PCMA' }, send: true, receive: false, direction: 'sendonly', remotePort: 6000, sendTelephoneEventPt: 101 });
  });

  it('offerer side: an answer with port 0 means the stream was rejected', () => {
    const offer = createOffer(local, new SdpOriginState());
    expect(negotiate(offer, offerWith('m=audio 0 RTP/AVP 0'))).toEqual({ ok: false, status: 488, reason: 'audio stream rejected (port 0)' });
  });

  it('only PCMA configured: offers PCMA alone and answers a PCMU-only offer with 488', () => {
    const cfg = { ...local, codecs: ['PCMA'] as const };
    expect(createOffer(cfg, new SdpOriginState()).media[0]?.formats).toEqual(['8', '101']);
    expect(createAnswer(offerWith('m=audio 4000 RTP/AVP 0'), cfg, new SdpOriginState())).toMatchObject({ ok: false, reason: 'no common audio codec (offered: PCMU)' });
  });

  it('offerer side: a G.722 answer negotiates G.722 (16 kHz PCM, RTP clock 8000)', () => {
    const offer = createOffer(local, new SdpOriginState());
    const r = negotiate(offer, offerWith('m=audio 6000 RTP/AVP 9 101', ['a=rtpmap:9 G722/8000', 'a=rtpmap:101 telephone-event/8000']));
    expect(r.ok && r.audio.codec).toEqual({ name: 'G722', payloadType: 9, clockRate: 8000, sampleRate: 16000 });
  });
});

describe('wideband: G.722 preferred over G.711 (issue 13, RFC 3551 §4.5.2)', () => {
  it('answers G.722 when it is offered, even after PCMU/PCMA in the offerer\'s order, and writes G722/8000', () => {
    const offer = offerWith('m=audio 40000 RTP/AVP 0 8 9 101', ['a=rtpmap:101 telephone-event/8000']);
    const r = createAnswer(offer, local, new SdpOriginState());
    if (!r.ok) throw new Error(r.reason);
    expect(r.answer.media[0]?.formats).toEqual(['9', '101']);
    expect(serializeSdp(r.answer)).toContain('a=rtpmap:9 G722/8000\r\n');
    expect(r.audio.codec).toMatchObject({ name: 'G722', payloadType: 9, sampleRate: 16000 });
  });

  it('accepts the mistaken G722/16000 rtpmap as G.722; refuses G722 at any other rate', () => {
    const wrong = createAnswer(offerWith('m=audio 40000 RTP/AVP 9 0', ['a=rtpmap:9 G722/16000']), local, new SdpOriginState());
    expect(wrong.ok && wrong.audio.codec.name).toBe('G722');
    const odd = createAnswer(offerWith('m=audio 40000 RTP/AVP 9 0', ['a=rtpmap:9 G722/32000']), local, new SdpOriginState());
    expect(odd.ok && odd.audio.codec.name).toBe('PCMU');
  });

  it('G.711 when G.722 is not offered, or not configured', () => {
    const g711 = createAnswer(offerWith('m=audio 40000 RTP/AVP 8 0'), local, new SdpOriginState());
    expect(g711.ok && g711.audio.codec.name).toBe('PCMA');
    const narrow = createAnswer(offerWith('m=audio 40000 RTP/AVP 9 0'), { ...local, codecs: ['PCMU', 'PCMA'] }, new SdpOriginState());
    expect(narrow.ok && narrow.audio.codec.name).toBe('PCMU');
    expect(createOffer({ ...local, codecs: ['PCMU', 'PCMA'] }, new SdpOriginState()).media[0]?.formats).toEqual(['0', '8', '101']);
  });
});
