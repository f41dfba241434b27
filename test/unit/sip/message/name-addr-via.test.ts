import { describe, expect, it } from 'vitest';
import { formatNameAddr, formatUri, formatVia, parseNameAddr, parseVia, parseViaList, SipParseError } from '../../../../main/sip/message/index.ts';

describe('name-addr / addr-spec (RFC 3261 §20.10, §25.1)', () => {
  it('resolves quoted-pairs in a quoted display name and reads header params', () => {
    const n = parseNameAddr('"J Rosenberg \\\\\\"" <sip:jdrosen@example.com>;tag=98asjd8');
    expect(n.displayName).toBe('J Rosenberg \\"');
    expect(formatUri(n.uri)).toBe('sip:jdrosen@example.com');
    expect(n.params.get('tag')).toBe('98asjd8');
  });

  it('treats ;params after an addr-spec as header params, inside <> as URI params (§20.10)', () => {
    const bare = parseNameAddr('sip:+1650@ss1.example.net;user=phone');
    expect(bare.params.get('user')).toBe('phone');
    const angled = parseNameAddr('<sip:+1650@ss1.example.net;user=phone>');
    expect(angled.params.size).toBe(0);
    expect(formatUri(angled.uri)).toContain(';user=phone');
  });

  it('accepts token display names, even without LWS before < (RFC 4475 §3.1.1.6)', () => {
    expect(parseNameAddr('caller<sip:caller@example.com>;tag=323').displayName).toBe('caller');
    expect(parseNameAddr('Bob Smith <sip:bob@example.com>').displayName).toBe('Bob Smith');
  });

  it('MUST reject unquoted non-token display names, LWS inside <>, ? outside <>, unclosed quotes', () => {
    for (const bad of ['Bell, Alexander <sip:a@b.com>', '< sip:a@b.com >', 'sip:a@b.com?Route=x', '"Mr J <sip:a@b.com>', '<sip:a@b.com>;']) {
      expect(() => parseNameAddr(bad), bad).toThrow(SipParseError);
    }
  });

  it('formats back with quotes when needed and keeps URI params inside <>', () => {
    const n = parseNameAddr('"Zoë, \\"Z\\"" <sip:zoe@example.com;transport=tcp>;tag=1');
    expect(formatNameAddr(n)).toBe('"Zoë, \\"Z\\"" <sip:zoe@example.com;transport=tcp>;tag=1');
    expect(parseNameAddr(formatNameAddr(n))).toEqual(n);
  });
});

describe('Via (RFC 3261 §20.42, RFC 3581)', () => {
  it('reads sent-protocol with LWS around /, sent-by, branch, received and rport', () => {
    const v = parseVia('SIP  /   2.0 / udp 192.0.2.2:5062 ;branch=z9hG4bK1;received=198.51.100.1;rport');
    expect(v).toMatchObject({ protocol: 'SIP/2.0', transport: 'UDP', host: '192.0.2.2', port: 5062, branch: 'z9hG4bK1', received: '198.51.100.1', rport: null });
    expect(parseVia('SIP/2.0/TCP h;rport=5070').rport).toBe(5070);
    expect(parseVia('SIP/2.0/TCP h').rport).toBeUndefined();
  });

  it('splits comma-separated values and keeps IPv6 sent-by', () => {
    const list = parseViaList('SIP/2.0/UDP [2001:db8::1]:5060;branch=z9hG4bKa, SIP/2.0/TLS b.example.com;branch=z9hG4bKb');
    expect(list.map((v) => v.host)).toEqual(['[2001:db8::1]', 'b.example.com']);
    expect(formatVia(list[1] ?? parseVia('SIP/2.0/UDP x'))).toBe('SIP/2.0/TLS b.example.com;branch=z9hG4bKb');
  });

  it('tolerates one empty param (;;branch, RFC 3428 §10 F3) but MUST reject ;, and trailing ; (RFC 4475 §3.1.2.1)', () => {
    expect(parseVia('SIP/2.0/TCP user1pc.domain.com;received=1.2.3.4;;branch=z9hG4bK776').branch).toBe('z9hG4bK776');
    expect(() => parseViaList('SIP/2.0/UDP 192.0.2.15;;,;,,')).toThrow(SipParseError);
    expect(() => parseVia('SIP/2.0/UDP 192.0.2.15;')).toThrow(SipParseError);
  });
});
