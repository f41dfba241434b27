import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseMessage, serializeMessage, SipParseError } from '../../../../main/sip/message/index.ts';
import type { SipMessage } from '../../../../main/sip/message/index.ts';
import { benchCorpus } from '../../../../bench/parser-corpus.ts';
import { loadCorpus } from './corpus-load.ts';

/** every typed value whose header parseMessage validates (RFC 3261 §8.2, RFC 4475 §3.1.2) */
function typedViews(m: SipMessage): unknown[] {
  return [
    m.kind === 'request' ? m.uri : m.status, m.via, m.topVia, m.from, m.to, m.callId, m.cseq, m.maxForwards,
    m.contact, m.contentType, m.contentLength, m.expires, m.minExpires, m.date, m.retryAfter, m.warning,
  ];
}

const valid = [
  ...benchCorpus.map((c) => ({ name: c.name, data: c.data })),
  ...loadCorpus().filter((e) => e.expectation !== 'invalid').map((e) => ({ name: e.name, data: e.data })),
];
const accepted = valid.filter((c) => {
  try {
    parseMessage(c.data, { datagram: true });
    return true;
  } catch {
    return false;
  }
});

describe('parse-time checks and lazily built values agree (RFC 3261 §7, §25.1)', () => {
  it('MUST build every validated typed value of an accepted message without error', () => {
    expect(accepted.length).toBeGreaterThan(benchCorpus.length);
    for (const c of accepted) {
      const m = parseMessage(c.data, { datagram: true });
      expect(() => typedViews(m), c.name).not.toThrow();
      expect(m.topVia, c.name).toEqual(m.via[0]);
    }
  });

  it('keeps every header field in order, as written, before and after first access (§7.3)', () => {
    for (const c of benchCorpus) {
      const lines = c.data.toString('utf8').split('\r\n\r\n')[0]?.split('\r\n').slice(1) ?? [];
      const m = parseMessage(c.data);
      expect(m.headers.size, c.name).toBe(lines.filter((l) => !/^[ \t]/.test(l)).length);
      const folded = lines.some((l) => /^[ \t]/.test(l));
      if (!folded) expect(m.headers.toArray(), c.name).toEqual(lines.map((l) => ({ name: l.slice(0, l.indexOf(':')), value: l.slice(l.indexOf(':') + 1).trim() })));
      expect(parseMessage(serializeMessage(m)).headers.toArray(), c.name).toEqual(m.headers.toArray());
    }
  });

  it('MUST reject, at parse time, a message whose validated header a random edit broke; an accepted edit builds', () => {
    const base = benchCorpus.map((c) => c.data.toString('utf8'));
    const targets = ['\r\nVia: ', '\r\nFrom: ', '\r\nTo: ', '\r\nContact: ', '\r\nCSeq: ', '\r\nContent-Type: ', ' sip:'];
    const edit = fc.record({
      msg: fc.nat({ max: base.length - 1 }),
      target: fc.constantFrom(...targets),
      at: fc.nat({ max: 150 }),
      ch: fc.constantFrom(...' \t;,:<>"@?=%/[]\\*x0'.split('')),
      del: fc.boolean(),
    });
    fc.assert(
      fc.property(edit, ({ msg, target, at, ch, del }) => {
        const text = base[msg] ?? '';
        const start = text.indexOf(target);
        if (start < 0) return;
        const lineEnd = text.indexOf('\r\n', start + target.length);
        const i = Math.min(start + target.length + at, lineEnd - 1);
        const edited = text.slice(0, i) + (del ? '' : ch) + text.slice(i + 1);
        let m: SipMessage;
        try {
          m = parseMessage(Buffer.from(edited, 'utf8'));
        } catch (e) {
          expect(e).toBeInstanceOf(SipParseError);
          return;
        }
        typedViews(m);
      }),
      { numRuns: 3000, seed: 4475 },
    );
  });

  it('reports octet offsets after UTF-8 text in the header section (§7.3)', () => {
    const c = benchCorpus.find((x) => x.name === 'MESSAGE UTF-8');
    expect(c).toBeDefined();
    const text = (c?.data ?? Buffer.alloc(0)).toString('utf8').replace('charset=UTF-8', 'charset=UTF-8;;');
    const data = Buffer.from(text, 'utf8');
    try {
      parseMessage(data);
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(SipParseError);
      // the field after the UTF-8 display name: octets, not UTF-16 units
      expect((e as SipParseError).offset).toBe(data.indexOf('Content-Type'));
    }
  });
});
