import { describe, expect, it } from 'vitest';
import { createResponse, parseMessage, serializeMessage, SipParseError, SipRequest } from '../../../../main/sip/message/index.ts';

const crlf = (lines: string[], body = ''): Buffer => Buffer.concat([Buffer.from(`${lines.join('\r\n')}\r\n\r\n`), Buffer.from(body, 'utf8')]);
const base = [
  'MESSAGE sip:bob@example.com SIP/2.0', 'Via: SIP/2.0/UDP 192.0.2.1;branch=z9hG4bK1', 'Max-Forwards: 70',
  'From: <sip:alice@example.com>;tag=1', 'To: <sip:bob@example.com>', 'Call-ID: c1@192.0.2.1', 'CSeq: 1 MESSAGE',
];

describe('parseMessage header rules (RFC 3261 §7.3)', () => {
  it('expands compact forms and matches names case-insensitively (§7.3.3)', () => {
    const m = parseMessage(crlf(['MESSAGE sip:bob@example.com SIP/2.0', 'v: SIP/2.0/TCP h;branch=z9hG4bKc', 'f: <sip:a@x>;tag=9', 't: <sip:b@x>', 'i: cid', 'cseq: 4 MESSAGE', 'c: text/plain', 'l: 2', 'k: 100rel', 'm: <sip:a@h>'], 'hi'));
    expect([m.callId, m.fromTag, m.topVia?.branch, m.contentType?.subtype, m.supported, m.body.toString()]).toEqual(['cid', '9', 'z9hG4bKc', 'plain', ['100rel'], 'hi']);
    expect(m.headers.get('CALL-ID')).toBe('cid');
    expect(m.headers.get('content-length')).toBe('2');
  });

  it('unfolds continuation lines into one SP (§7.3.1)', () => {
    const m = parseMessage(crlf([...base.slice(0, 6), 'CSeq: 1', '   MESSAGE', 'Subject: a', '\tb']));
    expect(m.cseq).toEqual({ seq: 1, method: 'MESSAGE' });
    expect(m.subject).toBe('a b');
  });

  it('keeps unknown headers verbatim and in order through a round trip', () => {
    const m = parseMessage(crlf([...base, 'X-B: 2', 'X-A:  ;;,,;;,;', 'X-B: 1']));
    const again = parseMessage(serializeMessage(m));
    expect(again.headers.toArray().filter((h) => h.name.startsWith('X-'))).toEqual([{ name: 'X-B', value: '2' }, { name: 'X-A', value: ';;,,;;,;' }, { name: 'X-B', value: '1' }]);
    expect(again.headers.getAll('x-b')).toEqual(['2', '1']);
  });

  it('invalidates typed values when headers change', () => {
    const m = parseMessage(crlf(base));
    expect(m.topVia?.branch).toBe('z9hG4bK1');
    m.headers.prepend('Via', 'SIP/2.0/UDP proxy;branch=z9hG4bKp');
    expect(m.via.map((v) => v.branch)).toEqual(['z9hG4bKp', 'z9hG4bK1']);
    m.headers.set('Call-ID', 'other');
    expect(m.callId).toBe('other');
  });
});

describe('bodies are bytes (§7.4, §18.3, §20.14)', () => {
  it('MUST count Content-Length in octets and never corrupt a UTF-8 body', () => {
    const text = 'Привет 👋 ça va';
    const m = parseMessage(crlf([...base, 'Content-Type: text/plain;charset=UTF-8', `Content-Length: ${Buffer.byteLength(text)}`], text));
    expect(m.body.toString('utf8')).toBe(text);
    const wire = serializeMessage(new SipRequest({ method: 'MESSAGE', uri: 'sip:bob@example.com', headers: base.slice(1).map((l) => [l.slice(0, l.indexOf(':')), l.slice(l.indexOf(':') + 1).trim()] as [string, string]), body: text }));
    expect(parseMessage(wire, { datagram: false }).body.toString('utf8')).toBe(text);
    expect(wire.toString('latin1')).toContain(`Content-Length: ${Buffer.byteLength(text)}`);
  });

  it('datagram: a missing Content-Length means the rest; a larger one is an error; extra octets are dropped', () => {
    expect(parseMessage(crlf(base, 'abc'), { datagram: true }).body.toString()).toBe('abc');
    expect(() => parseMessage(crlf([...base, 'Content-Length: 9'], 'abc'), { datagram: true })).toThrow(SipParseError);
    expect(parseMessage(crlf([...base, 'Content-Length: 1'], 'abc'), { datagram: true }).body.toString()).toBe('a');
  });

  it('stream: Content-Length is required and must match the framed octets', () => {
    expect(() => parseMessage(crlf(base, 'abc'), { datagram: false })).toThrow(/required/);
    expect(() => parseMessage(crlf([...base, 'Content-Length: 1'], 'abc'), { datagram: false })).toThrow(SipParseError);
    expect(parseMessage(crlf([...base, 'Content-Length: 3'], 'abc'), { datagram: false }).body.toString()).toBe('abc');
  });
});

describe('framing the header section (§7, §7.5)', () => {
  // a short message is decoded whole and its empty line found by the line scan; a long one, or one
  // whose header section is UTF-8, takes the other paths: all must give the same message and offsets
  const shapes = [
    { name: 'short ASCII', body: 'hello' },
    { name: 'short, UTF-8 body', body: 'ünïcödé ✓' },
    { name: 'long ASCII', body: 'x'.repeat(5000) },
    { name: 'long, UTF-8 body', body: 'ü'.repeat(3000) },
  ];
  for (const subject of ['a', 'Grüße']) {
    for (const { name, body } of shapes) {
      it(`reads the same fields and body: ${name}, Subject ${subject}`, () => {
        const lines = [...base, `Subject: ${subject}`, 'Content-Type: text/plain', `Content-Length: ${Buffer.byteLength(body)}`];
        const data = Buffer.concat([Buffer.from('\r\n\r\n'), crlf(lines, body)]);
        const m = parseMessage(data);
        expect([m.callId, m.fromTag, m.topVia?.branch, m.cseq.method, m.subject, m.contentLength]).toEqual(['c1@192.0.2.1', '1', 'z9hG4bK1', 'MESSAGE', subject, Buffer.byteLength(body)]);
        expect(m.body.toString('utf8')).toBe(body);
        expect(m.headers.toArray().map((h) => `${h.name}: ${h.value}`)).toEqual(lines.slice(1));
        // an error's offset counts octets of the whole message, leading CRLFs included
        const bad = Buffer.concat([Buffer.from('\r\n'), crlf([...base.slice(0, 6), `Subject: ${subject}`, 'CSeq: 1 MESSAGE', 'Bad Name: 1'], body)]);
        const at = bad.indexOf('Bad Name');
        expect(() => parseMessage(bad)).toThrow(expect.objectContaining({ reason: 'bad header name', offset: at + 3 }));
        expect(() => parseMessage(Buffer.from(bad.toString('latin1').replace('Bad Name: 1', 'No colon'), 'latin1'))).toThrow(expect.objectContaining({ reason: 'header line without colon', offset: at }));
      });
    }
  }

  it('MUST reject a message without the empty line, whatever its size', () => {
    for (const body of ['', 'x'.repeat(5000), 'ü'.repeat(10)]) {
      const data = Buffer.from(`${base.join('\r\n')}\r\n${body}`, 'utf8');
      expect(() => parseMessage(data)).toThrow(expect.objectContaining({ reason: 'no empty line after the header fields' }));
    }
  });
});

describe('errors and responses (§8.2, §8.2.6)', () => {
  it('gives offset, reason and a partial message when the start line was readable', () => {
    try {
      parseMessage(crlf([...base, 'Max-Forwards: 300']));
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(SipParseError);
      const err = e as SipParseError;
      expect(err.partial?.method).toBe('MESSAGE');
      expect(err.offset).toBeGreaterThan(0);
      expect(err.status).toBe(400);
    }
  });

  it('MUST answer 505 for another SIP-Version', () => {
    expect(() => parseMessage(crlf(['OPTIONS sip:a@b SIP/3.0', ...base.slice(1)]))).toThrow(expect.objectContaining({ status: 505 }));
  });

  it('createResponse copies Via, From, To, Call-ID, CSeq and adds the To tag (§8.2.6.2)', () => {
    const req = parseMessage(crlf([...base.slice(0, 2), 'Via: SIP/2.0/UDP second;branch=z9hG4bK2', ...base.slice(2)]));
    if (req.kind !== 'request') throw new Error('request expected');
    const res = createResponse(req, 200, undefined, { toTag: 'xyz' });
    expect(res.reason).toBe('OK');
    expect(res.via.map((v) => v.branch)).toEqual(['z9hG4bK1', 'z9hG4bK2']);
    expect([res.toTag, res.fromTag, res.callId, res.cseq.seq]).toEqual(['xyz', '1', 'c1@192.0.2.1', 1]);
  });
});
