import { describe, expect, it } from 'vitest';
import { parseMessage, serializeMessage, SipParseError } from '../../../../main/sip/message/index.ts';
import { expectValues } from './corpus-expect.ts';
import { loadCorpus, sha256 } from './corpus-load.ts';
import { messageView } from './equivalence.ts';

const corpus = loadCorpus();
const datagram = (transport: string | undefined): boolean => transport !== 'tcp';

describe('RFC 4475 / RFC 3428 corpus (test/fixtures/corpus)', () => {
  it('holds every manifest file byte-exact (size and sha256)', () => {
    expect(corpus.length).toBe(53);
    for (const e of corpus) {
      expect(e.data.length, e.name).toBe(e.size);
      expect(sha256(e.data), e.name).toBe(e.sha256);
    }
  });

  for (const e of corpus.filter((x) => x.expectation !== 'invalid')) {
    it(`${e.corpus}/${e.name} (${e.expectation}) MUST parse with the manifest's values`, () => {
      const m = parseMessage(e.data, { datagram: datagram(e.transport) });
      const checked = expectValues(m, e.expect);
      expect(checked.length).toBeGreaterThan(5);
      const bodyStart = e.data.indexOf('\r\n\r\n') + 4;
      expect(m.body.equals(e.data.subarray(bodyStart, bodyStart + m.body.length))).toBe(true);
      if (typeof e.expect.trailing_octets === 'number') {
        // RFC 4475 §3.1.1.13: octets after Content-Length in a datagram are discarded
        expect(e.data.length - bodyStart - m.body.length).toBe(e.expect.trailing_octets);
      }
    });

    it(`${e.corpus}/${e.name} round-trips: parse(serialize(parse(x))) equals parse(x)`, () => {
      const m = parseMessage(e.data, { datagram: datagram(e.transport) });
      const wire = serializeMessage(m);
      const again = parseMessage(wire, { datagram: false });
      expect(messageView(again)).toEqual(messageView(m));
      expect(again.contentLength).toBe(m.body.length);
    });
  }

  for (const e of corpus.filter((x) => x.expectation === 'invalid')) {
    const allowed = e.acceptable_responses ?? (e.response === null ? null : [e.response]);
    it(`${e.corpus}/${e.name} (invalid) MUST be rejected with a SipParseError${allowed ? ` answerable with ${allowed.join('/')}` : ''}`, () => {
      let caught: unknown = null;
      try {
        parseMessage(e.data, { datagram: datagram(e.transport) });
      } catch (err) {
        caught = err;
      }
      expect(caught).toBeInstanceOf(SipParseError);
      const err = caught as SipParseError;
      expect(err.offset).toBeGreaterThanOrEqual(0);
      expect(err.offset).toBeLessThanOrEqual(e.data.length);
      if (allowed) expect(allowed).toContain(err.status);
      const startLine = String(e.expect.start_line);
      if (err.partial !== null && e.expect.type === 'request') {
        expect(err.partial.method).toBe(startLine.split(' ')[0]);
      }
    });
  }

  it('gives a 400-able partial (Via, From, To, Call-ID, CSeq) when only a body length is wrong (clerr, §8.2)', () => {
    const e = corpus.find((x) => x.name === 'clerr');
    expect(e).toBeDefined();
    try {
      parseMessage(e?.data ?? Buffer.alloc(0), { datagram: true });
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(SipParseError);
      const names = ((err as SipParseError).partial?.headers ?? []).map((h) => h.name.toLowerCase());
      for (const n of ['via', 'from', 'to', 'call-id', 'cseq']) expect(names).toContain(n);
    }
  });

  it('rejects baddn for its unquoted display name too, not only for the missing empty line (RFC 4475 §3.1.2.16)', () => {
    const e = corpus.find((x) => x.name === 'baddn');
    const data = Buffer.concat([e?.data ?? Buffer.alloc(0), Buffer.from('\r\n')]);
    expect(() => parseMessage(data, { datagram: true })).toThrow(/From|To|URI|scheme/);
  });
});
