import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseMessage, SipParseError } from '../../../../main/sip/message/index.ts';
import type { SipMessage } from '../../../../main/sip/message/index.ts';
import { loadCorpus } from './corpus-load.ts';

/** Every typed getter the stack reads (RFC 3261 §20, RFC 6665 §8.2). */
const GETTERS = [
  'via', 'topVia', 'from', 'to', 'fromTag', 'toTag', 'callId', 'cseq', 'maxForwards', 'contact', 'route',
  'recordRoute', 'contentType', 'contentLength', 'expires', 'minExpires', 'date', 'accept', 'allow', 'supported',
  'require', 'proxyRequire', 'unsupported', 'wwwAuthenticate', 'proxyAuthenticate', 'authorization',
  'proxyAuthorization', 'authenticationInfo', 'event', 'subscriptionState', 'retryAfter', 'timestamp', 'warning',
  'userAgent', 'server', 'subject',
] as const;

function readAll(m: SipMessage): void {
  for (const g of GETTERS) void (m as unknown as Record<string, unknown>)[g];
  if (m.kind === 'request') {
    void m.uri;
    void m.uriText;
  }
}

/** header lines, valid and broken, for every field the stack reads */
const FIELDS = [
  'Record-Route: <sip:p1.example.com;lr', 'Record-Route: <sip:p1.example.com;lr>', 'Route: sip:p2;lr, <sip:p3;lr>',
  'Route: <sip:p1.example.com;lr>,', 'WWW-Authenticate: Digest realm="a", nonce="b"', 'WWW-Authenticate: Digest realm="a',
  'Proxy-Authenticate: Digest ,', 'Authorization: Digest username="u", uri="sip:x", response="r"', 'Authorization: =x',
  'Require: timer', 'Require: bad header ,,', 'Supported: 100rel, timer', 'Allow: INVITE, MESSAGE', 'Allow: INV ITE',
  'Accept: text/plain, application/sdp', 'Accept: text', 'Accept:', 'Session-Expires: 1800;refresher=uac', 'Session-Expires: x',
  'Event: presence;id=1', 'Event: ;', 'Subscription-State: active;expires=60', 'Subscription-State: active;expires=x',
  'Expires: 60', 'Expires: 99999999999', 'Max-Forwards: 70', 'Max-Forwards: 256', 'Content-Type: text/plain;charset=utf-8',
  'Content-Type: text', 'Content-Encoding: gzip', 'Content-Encoding: g zip', 'Content-Disposition: session;handling=optional',
  'Content-Disposition: ;', 'Contact: <sip:a@b>;expires=10', 'Contact: <sip:a@b', 'Timestamp: 1.5 2', 'Timestamp: x',
  'Authentication-Info: nextnonce="x"', 'Authentication-Info: ,', 'Retry-After: 5 (busy);duration=10', 'Retry-After: x',
  'Warning: 399 host "text"', 'Warning: 3 host text', 'Date: Sat, 13 Nov 2010 23:29:00 GMT', 'Date: yesterday',
  'Proxy-Require: foo', 'Unsupported: a b', 'Min-Expires: 60', 'Min-Expires: -1',
];

function withField(data: Buffer, line: string): Buffer {
  const at = data.indexOf('\r\n');
  return Buffer.concat([data.subarray(0, at + 2), Buffer.from(`${line}\r\n`), data.subarray(at + 2)]);
}

describe('accepted means usable (issue 18): no getter throws on a message parseMessage accepted', () => {
  const corpus = loadCorpus().map((e) => e.data);

  it('a 200 OK with a broken Record-Route is rejected at parse time, not when a dialog reads it', () => {
    const ok = Buffer.from('SIP/2.0 200 OK\r\nVia: SIP/2.0/UDP h;branch=z9hG4bK1\r\nFrom: <sip:a@x>;tag=1\r\nTo: <sip:b@x>;tag=2\r\nCall-ID: c\r\nCSeq: 1 INVITE\r\nContent-Length: 0\r\n\r\n');
    expect(() => parseMessage(withField(ok, 'Record-Route: <sip:p1.example.com;lr'))).toThrow(/Record-Route/);
    expect(parseMessage(withField(ok, 'Record-Route: <sip:p1.example.com;lr>')).recordRoute.length).toBe(1);
  });

  it('every getter on every accepted input: corpus mutations plus inserted valid and broken fields', () => {
    let accepted = 0;
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: corpus.length - 1 }),
        fc.array(fc.constantFrom(...FIELDS), { maxLength: 3 }),
        fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 }), fc.constantFrom('set', 'insert', 'delete')), { maxLength: 4 }),
        fc.boolean(),
        (idx, fields, edits, datagram) => {
          let data = corpus[idx] ?? Buffer.alloc(0);
          for (const f of fields) data = withField(data, f);
          const bytes = [...data];
          for (const [at, value, op] of edits) {
            const i = bytes.length === 0 ? 0 : at % bytes.length;
            if (op === 'set') bytes[i] = value;
            else if (op === 'insert') bytes.splice(i, 0, value);
            else bytes.splice(i, 1);
          }
          let m: SipMessage;
          try {
            m = parseMessage(Buffer.from(bytes), { datagram });
          } catch (e) {
            if (!(e instanceof SipParseError)) throw e;
            return;
          }
          accepted++;
          readAll(m); // throws (and fails the property) if any getter throws
        },
      ),
      { numRuns: 4000 },
    );
    expect(accepted).toBeGreaterThan(200); // the property ran on real accepted messages
  });
});

describe('bytes in, bytes out (§25.1, RFC 3629)', () => {
  const head = (extra: Buffer): Buffer =>
    Buffer.concat([
      Buffer.from('MESSAGE sip:b@x SIP/2.0\r\nVia: SIP/2.0/UDP h;branch=z9hG4bK1\r\nFrom: <sip:a@x>;tag=1\r\nTo: <sip:b@x>\r\nCall-ID: c\r\nCSeq: 1 MESSAGE\r\nSubject: '),
      extra,
      Buffer.from('\r\nContent-Length: 0\r\n\r\n'),
    ]);

  it('MUST reject invalid UTF-8 in a header value (400), never replace it', () => {
    for (const bad of [[0xff], [0xc3], [0xe2, 0x82], [0xed, 0xa0, 0x80], [0xc0, 0xaf]]) {
      let err: unknown = null;
      try {
        parseMessage(head(Buffer.from(bad)));
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(SipParseError);
      expect((err as SipParseError).status).toBe(400);
      expect((err as SipParseError).partial?.kind).toBe('request');
    }
    expect(parseMessage(head(Buffer.from('héllo €', 'utf8'))).subject).toBe('héllo €');
  });

  it('MUST reject NUL and other control octets the grammar forbids, keep HT and quoted-pair', () => {
    for (const c of [0x00, 0x01, 0x07, 0x0b, 0x1f, 0x7f]) expect(() => parseMessage(head(Buffer.from([0x61, c, 0x62])))).toThrow(/control octet/);
    expect(parseMessage(head(Buffer.from('a\tb'))).subject).toBe('a\tb');
    expect(parseMessage(head(Buffer.from('"a\\\u0007b"'))).subject).toBe('"a\\\u0007b"');
  });
});
