import { describe, expect, it } from 'vitest';
import { mediaDirection, parseSdp, serializeSdp, type SessionDescription } from '../../../main/media/sdp.ts';

const BARESIP_OFFER = [
  'v=0',
  'o=- 1234567890123456789 1234567890123456789 IN IP4 192.0.2.10',
  's=-',
  'c=IN IP4 192.0.2.10',
  't=0 0',
  'a=tool:baresip 1.0.0',
  'm=audio 10000 RTP/AVP 0 8 101',
  'b=AS:64',
  'a=rtpmap:0 PCMU/8000',
  'a=rtpmap:8 PCMA/8000',
  'a=rtpmap:101 telephone-event/8000',
  'a=fmtp:101 0-15',
  'a=sendrecv',
  'a=label:1',
  'a=ssrc:1234 cname:x@y',
  'm=video 0 RTP/AVP 96',
  'a=rtpmap:96 H264/90000',
  '',
].join('\r\n');

function parsed(text: string): SessionDescription {
  const r = parseSdp(text);
  if (!r.ok) throw new Error(r.error);
  return r.sdp;
}

describe('SDP parse/serialize (RFC 4566)', () => {
  it('parses origin, connection, media, formats and attributes', () => {
    const sdp = parsed(BARESIP_OFFER);
    expect(sdp.origin).toMatchObject({ sessionId: '1234567890123456789', sessionVersion: '1234567890123456789', address: '192.0.2.10' });
    expect(sdp.connection).toEqual({ netType: 'IN', addrType: 'IP4', address: '192.0.2.10' });
    expect(sdp.media).toHaveLength(2);
    expect(sdp.media[0]).toMatchObject({ media: 'audio', port: 10000, proto: 'RTP/AVP', formats: ['0', '8', '101'] });
    expect(sdp.media[1]?.port).toBe(0);
    expect(sdp.attributes).toEqual([{ name: 'tool', value: 'baresip 1.0.0' }]);
  });

  it('MUST keep unknown lines and attributes and write them back byte-identical', () => {
    expect(serializeSdp(parsed(BARESIP_OFFER))).toBe(BARESIP_OFFER);
  });

  it('writes lines in RFC 4566 §5 order with CRLF even when given LF and misordered optional lines', () => {
    const text = 'v=0\no=- 1 1 IN IP6 ::1\ns=x\nt=0 0\nc=IN IP6 ::1\nb=CT:100\ni=info\nm=audio 4000/2 RTP/AVP 0\nc=IN IP6 ::2\ni=media info\n';
    const out = serializeSdp(parsed(text));
    expect(out).toBe('v=0\r\no=- 1 1 IN IP6 ::1\r\ns=x\r\ni=info\r\nc=IN IP6 ::1\r\nb=CT:100\r\nt=0 0\r\nm=audio 4000/2 RTP/AVP 0\r\ni=media info\r\nc=IN IP6 ::2\r\n');
    expect(parsed(text).media[0]).toMatchObject({ port: 4000, portCount: 2, connection: { addrType: 'IP6', address: '::2' } });
  });

  it('MUST return an error with the line number for malformed input instead of throwing', () => {
    expect(parseSdp('v=0\r\nthis is not sdp\r\n')).toEqual({ ok: false, error: expect.stringContaining('line 2') });
    expect(parseSdp('v=0\r\no=- 1 1 IN IP4 1.2.3.4\r\ns=-\r\nm=audio x RTP/AVP 0\r\n')).toMatchObject({ ok: false, error: expect.stringContaining('line 4') });
    expect(parseSdp('o=- 1 1 IN IP4 1.2.3.4\r\ns=-\r\n')).toMatchObject({ ok: false, error: 'missing v= line' });
    expect(parseSdp('v=0\r\no=- 1 1\r\ns=-\r\n').ok).toBe(false);
    expect(parseSdp('v=0\r\no=- 1 1 IN IP4 1.2.3.4\r\ns=-\r\nc=IN IP4\r\n').ok).toBe(false);
  });

  it('takes the media-level direction over the session level, default sendrecv (RFC 3264 §5.1)', () => {
    const sdp = parsed('v=0\r\no=- 1 1 IN IP4 1.2.3.4\r\ns=-\r\nt=0 0\r\na=sendonly\r\nm=audio 1 RTP/AVP 0\r\nm=audio 2 RTP/AVP 0\r\na=inactive\r\n');
    const [a, b] = sdp.media;
    if (a === undefined || b === undefined) throw new Error('two media expected');
    expect(mediaDirection(sdp, a)).toBe('sendonly');
    expect(mediaDirection(sdp, b)).toBe('inactive');
    const none = parsed('v=0\r\no=- 1 1 IN IP4 1.2.3.4\r\ns=-\r\nt=0 0\r\nm=audio 1 RTP/AVP 0\r\n');
    expect(mediaDirection(none, none.media[0] ?? b)).toBe('sendrecv');
  });
});
