import { describe, expect, it } from 'vitest';
import { formatUri, isSipUri, parseUri, SipParseError, unescapeUriPart, uriEquals } from '../../../../main/sip/message/index.ts';

const eq = (a: string, b: string): boolean => uriEquals(parseUri(a), parseUri(b));

describe('parseUri (RFC 3261 §19.1.1, RFC 3428 §5)', () => {
  it('reads user, password, host, port, params and headers of a sip URI', () => {
    const u = parseUri('sips:alice:secret@atlanta.com:5061;transport=tcp;lr?subject=project%20x&priority=urgent');
    if (!isSipUri(u)) throw new Error('not sip');
    expect(u).toMatchObject({ scheme: 'sips', user: 'alice', password: 'secret', host: 'atlanta.com', port: 5061 });
    expect([...u.params]).toEqual([['transport', 'tcp'], ['lr', null]]);
    expect(u.headers.get('subject')).toBe('project%20x');
    expect(formatUri(u)).toBe('sips:alice:secret@atlanta.com:5061;transport=tcp;lr?subject=project%20x&priority=urgent');
  });

  it('keeps IPv6 references with brackets and IPv4 hosts', () => {
    const v6 = parseUri('sip:[2001:db8::10]:5070');
    const v4 = parseUri('sip:bob@192.0.2.4');
    expect(isSipUri(v6) && v6.host === '[2001:db8::10]' && v6.port === 5070).toBe(true);
    expect(isSipUri(v4) && v4.host === '192.0.2.4' && v4.port === null).toBe(true);
  });

  it('keeps tel: and im: URIs opaque (RFC 3966, RFC 3428 §5)', () => {
    expect(parseUri('tel:+1-201-555-0123')).toEqual({ scheme: 'tel', opaque: '+1-201-555-0123' });
    expect(parseUri('im:fred@example.com')).toEqual({ scheme: 'im', opaque: 'fred@example.com' });
  });

  it('MUST reject malformed URIs with a SipParseError', () => {
    for (const bad of ['sip:', 'sip:user@', 'sip:host:99999', 'sip:a b@host', 'sip:%zz@host', '<sip:x@y>', 'sip:host;', 'sip:[zz]', 'no-scheme']) {
      expect(() => parseUri(bad), bad).toThrow(SipParseError);
    }
  });

  it('unescapes %HH as UTF-8 without stopping at %00 (§19.1.2, RFC 4475 §3.1.1.4)', () => {
    expect(unescapeUriPart('null-%00-null')).toBe('null-\u0000-null');
    expect(unescapeUriPart('%C3%A9t%C3%A9')).toBe('été');
  });
});

describe('uriEquals (RFC 3261 §19.1.4 examples)', () => {
  it('MUST treat the RFC equivalent pairs as equal', () => {
    expect(eq('sip:%61lice@atlanta.com;transport=TCP', 'sip:alice@AtLanTa.CoM;Transport=tcp')).toBe(true);
    expect(eq('sip:carol@chicago.com', 'sip:carol@chicago.com;newparam=5')).toBe(true);
    expect(eq('sip:carol@chicago.com', 'sip:carol@chicago.com;security=on')).toBe(true);
    expect(eq('sip:carol@chicago.com;newparam=5', 'sip:carol@chicago.com;security=on')).toBe(true);
    expect(eq('sip:biloxi.com;transport=tcp;method=REGISTER?to=sip:bob%40biloxi.com', 'sip:biloxi.com;method=REGISTER;transport=tcp?to=sip:bob%40biloxi.com')).toBe(true);
    expect(eq('sip:alice@atlanta.com?subject=project%20x&priority=urgent', 'sip:alice@atlanta.com?priority=urgent&subject=project%20x')).toBe(true);
  });

  it('MUST treat the RFC non-equivalent pairs as different', () => {
    expect(eq('SIP:ALICE@AtLanTa.CoM;Transport=udp', 'sip:alice@AtLanTa.CoM;Transport=UDP')).toBe(false);
    expect(eq('sip:bob@biloxi.com', 'sip:bob@biloxi.com:5060')).toBe(false);
    expect(eq('sip:bob@biloxi.com', 'sip:bob@biloxi.com;transport=udp')).toBe(false);
    expect(eq('sip:bob@biloxi.com', 'sip:bob@biloxi.com:6000;transport=tcp')).toBe(false);
    expect(eq('sip:carol@chicago.com', 'sip:carol@chicago.com?Subject=next%20meeting')).toBe(false);
    expect(eq('sip:bob@phone21.boxesbybob.com', 'sip:bob@192.0.2.4')).toBe(false);
    expect(eq('sip:carol@chicago.com;security=on', 'sip:carol@chicago.com;security=off')).toBe(false);
    expect(eq('sip:alice@atlanta.com', 'sips:alice@atlanta.com')).toBe(false);
  });
});
