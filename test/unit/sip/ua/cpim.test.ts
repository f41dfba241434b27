import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatCpim, parseCpim } from '../../../../main/sip/ua/cpim.ts';

const at = new Date(Date.UTC(2026, 10, 22, 3, 48, 36));

function parsed(body: Buffer | string) {
  const r = parseCpim(typeof body === 'string' ? Buffer.from(body, 'utf8') : body);
  if (!r.ok) throw new Error(r.problem);
  return r.message;
}

describe('formatCpim (RFC 3862)', () => {
  it('writes message headers, a blank line, the MIME headers, a blank line, then the content, all lines CRLF', () => {
    const body = formatCpim({
      from: { uri: 'sip:alice@example.test', displayName: 'Alice "A" Ünal' },
      to: { uri: 'sip:bob@example.test' },
      dateTime: at,
      messageId: 'abc-123',
      content: 'grüße\r\n🙂',
    });
    expect(body.toString('utf8')).toBe(
      'From: "Alice \\"A\\" Ünal" <sip:alice@example.test>\r\n' +
        'To: <sip:bob@example.test>\r\n' +
        'DateTime: 2026-11-22T03:48:36.000Z\r\n' +
        'NS: imdn <urn:ietf:params:imdn>\r\n' +
        'imdn.Message-ID: abc-123\r\n' +
        '\r\n' +
        'Content-Type: text/plain;charset=UTF-8\r\n' +
        '\r\n' +
        'grüße\r\n🙂',
    );
  });

  it('MUST NOT let a display name break a header line (CR/LF become spaces)', () => {
    const body = formatCpim({
      from: { uri: 'sip:a@x.test', displayName: 'Eve\r\nTo: <sip:victim@x.test>' },
      to: { uri: 'sip:b@x.test' },
      dateTime: at,
      messageId: 'm1',
      content: 'x',
    });
    expect(parsed(body).to.map((t) => t.uri)).toEqual(['sip:b@x.test']);
  });

  it('throws on a Message-ID or URI that could not be sent (programmer fault)', () => {
    const base = { from: { uri: 'sip:a@x.test' }, to: { uri: 'sip:b@x.test' }, dateTime: at, content: 'x' };
    expect(() => formatCpim({ ...base, messageId: 'has space' })).toThrow(/Message-ID/);
    expect(() => formatCpim({ ...base, messageId: 'ok', to: { uri: 'sip:b@x.test>\r\nX: y' } })).toThrow(/URI/);
  });
});

describe('parseCpim (RFC 3862)', () => {
  it('reads From, To, DateTime, the IMDN Message-ID (RFC 5438 §6.3) and the content bytes as sent', () => {
    const m = parsed(
      formatCpim({
        from: { uri: 'sip:alice@example.test', displayName: 'Alice' },
        to: { uri: 'sip:bob@example.test' },
        dateTime: at,
        messageId: 'id-1',
        content: '漢字 🙂',
      }),
    );
    expect(m).toMatchObject({
      from: { uri: 'sip:alice@example.test', displayName: 'Alice' },
      to: [{ uri: 'sip:bob@example.test', displayName: null }],
      messageId: 'id-1',
      contentType: 'text/plain;charset=UTF-8',
    });
    expect(m.dateTime?.getTime()).toBe(at.getTime());
    expect(m.content.toString('utf8')).toBe('漢字 🙂');
  });

  it('accepts a Message-ID in a name space bound to another prefix, and a plain Message-ID', () => {
    const ns = parsed('NS: foo <urn:ietf:params:imdn>\r\nfoo.Message-ID: via-foo\r\n\r\nContent-Type: text/plain\r\n\r\nx');
    expect(ns.messageId).toBe('via-foo');
    expect(parsed('Message-ID: plain-1\r\n\r\nContent-Type: text/plain\r\n\r\nx').messageId).toBe('plain-1');
    // a prefix not bound to the IMDN name space is not a Message-ID
    expect(parsed('NS: z <urn:other>\r\nz.Message-ID: nope\r\n\r\nContent-Type: text/plain\r\n\r\nx').messageId).toBeNull();
  });

  it('header names are case-sensitive in CPIM (§3.3), MIME header names are not', () => {
    const m = parsed('from: <sip:x@y.test>\r\n\r\ncontent-type: text/plain\r\n\r\nhi');
    expect(m.from).toBeNull();
    expect(m.contentType).toBe('text/plain');
  });

  it('accepts bare LF line ends and header parameters (Subject:;lang=fr ...)', () => {
    const m = parsed('From: <sip:a@x.test>\nSubject:;lang=fr Bonjour\n\nContent-Type: text/plain\n\nsalut\n');
    expect(m.from?.uri).toBe('sip:a@x.test');
    expect(m.content.toString()).toBe('salut\n');
  });

  it('honours an inner Content-Length', () => {
    expect(parsed('\r\nContent-Type: text/plain\r\nContent-Length: 2\r\n\r\nhi there').content.toString()).toBe('hi');
  });

  it('reports malformed bodies as results, never throws', () => {
    for (const bad of [
      'From: <sip:a@x.test>',
      'From: <sip:a@x.test>\r\n\r\nContent-Type: text/plain',
      'no colon here\r\n\r\nContent-Type: text/plain\r\n\r\nx',
      'DateTime: yesterday\r\n\r\nContent-Type: text/plain\r\n\r\nx',
      '\r\nX-Other: 1\r\n\r\nx',
      '\r\nContent-Type: text/plain\r\nContent-Length: 99\r\n\r\nx',
    ]) {
      expect(parseCpim(Buffer.from(bad)).ok).toBe(false);
    }
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => {
        parseCpim(Buffer.from(bytes));
      }),
      { numRuns: 300 },
    );
  });

  it('property: format then parse gives back the exact UTF-8 content and Message-ID', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 200 }), fc.stringMatching(/^[A-Za-z0-9._-]{1,40}$/), (text, id) => {
        const m = parsed(formatCpim({ from: { uri: 'sip:a@x.test' }, to: { uri: 'sip:b@x.test' }, dateTime: at, messageId: id, content: text }));
        expect(m.content.toString('utf8')).toBe(text);
        expect(m.messageId).toBe(id);
      }),
      { numRuns: 150 },
    );
  });
});
