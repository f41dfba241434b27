import { describe, expect, it } from 'vitest';
import { createResponse, parseMessage, serializeMessage } from '../../../../main/sip/message/index.ts';
import type { SipRequest } from '../../../../main/sip/message/index.ts';
import { benchCorpus } from '../../../../bench/parser-corpus.ts';
import { loadCorpus } from './corpus-load.ts';

// issue 18: a parsed message answers header lookups and builds responses from the header section's
// offsets, without building every field; these tests hold that path to the built (materialized) one.
const accepted = [...benchCorpus.map((c) => c.data), ...loadCorpus().filter((e) => e.expectation !== 'invalid').map((e) => e.data)].filter((d) => {
  try {
    parseMessage(d);
    return true;
  } catch {
    return false;
  }
});

function variants(name: string): string[] {
  return [name, name.toLowerCase(), name.toUpperCase()];
}

describe('header lookup on a parsed message (RFC 3261 §7.3.5: names compare case-insensitively)', () => {
  it('MUST find every field, known or unknown, in any case, as the built field list does', () => {
    expect(accepted.length).toBeGreaterThan(20);
    for (const data of accepted) {
      const built = parseMessage(data);
      const fields = built.headers.toArray();
      for (const f of fields) {
        for (const name of variants(f.name)) {
          const lazy = parseMessage(data);
          expect(lazy.headers.get(name), `${name} in ${data.toString('latin1', 0, 40)}`).toBe(built.headers.get(name));
        }
      }
      const lazy = parseMessage(data);
      expect(lazy.headers.get('X-Not-In-Any-Message')).toBeNull();
      expect(lazy.headers.get('Content-Transfer-Encoding')).toBe(built.headers.get('Content-Transfer-Encoding'));
    }
  });

  it('MUST find an unknown header written in another case without building the field list', () => {
    const m = parseMessage(Buffer.from(
      'MESSAGE sip:bob@example.com SIP/2.0\r\nVia: SIP/2.0/UDP h.example.com;branch=z9hG4bK1\r\nMax-Forwards: 70\r\n' +
      'From: <sip:a@example.com>;tag=1\r\nTo: <sip:bob@example.com>\r\nCall-ID: c1\r\nCSeq: 1 MESSAGE\r\n' +
      'content-TRANSFER-encoding: base64\r\nX-Custom: a\r\nX-Custom: b\r\nContent-Length: 0\r\n\r\n',
    ));
    expect(m.headers.get('Content-Transfer-Encoding')).toBe('base64');
    expect(m.headers.get('x-custom')).toBe('a');
    expect(m.headers.get('X-Custo')).toBeNull();
    expect(m.headers.get('X-Customs')).toBeNull();
    expect(m.date).toBeNull();
    expect(m.require).toBeNull();
    // nothing above needed the built list (the parser's offsets are still in use)
    expect((m.headers as unknown as { entries: unknown }).entries).toBeNull();
  });

  it('MUST build the same response (§8.2.6.2) from a parsed request as from its built field list', () => {
    for (const data of accepted) {
      const lazy = parseMessage(data);
      if (lazy.kind !== 'request' || lazy.method === 'ACK') continue;
      const built = parseMessage(data) as SipRequest;
      built.headers.toArray();
      for (const status of [100, 200, 486]) {
        const a = serializeMessage(createResponse(lazy, status, undefined, { toTag: 'tt1' }));
        const b = serializeMessage(createResponse(built, status, undefined, { toTag: 'tt1' }));
        expect(a.toString('latin1')).toBe(b.toString('latin1'));
      }
    }
  });

  it('reads Date and Require when present, null when absent', () => {
    const m = parseMessage(Buffer.from(
      'OPTIONS sip:bob@example.com SIP/2.0\r\nVia: SIP/2.0/UDP h.example.com;branch=z9hG4bK1\r\nMax-Forwards: 70\r\n' +
      'From: <sip:a@example.com>;tag=1\r\nTo: <sip:bob@example.com>\r\nCall-ID: c1\r\nCSeq: 1 OPTIONS\r\n' +
      'Date: Sat, 13 Nov 2010 23:29:00 GMT\r\nRequire: foo, bar\r\nContent-Length: 0\r\n\r\n',
    ));
    expect(m.date).toBe(Date.UTC(2010, 10, 13, 23, 29, 0));
    expect(m.require).toEqual(['foo', 'bar']);
    m.headers.remove('Require');
    expect(m.require).toBeNull();
  });
});
