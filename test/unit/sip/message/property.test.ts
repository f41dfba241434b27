import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseMessage, serializeMessage, SipParseError, SipRequest } from '../../../../main/sip/message/index.ts';
import { loadCorpus } from './corpus-load.ts';
import { messageView } from './equivalence.ts';

const token = fc.stringMatching(/^[A-Za-z0-9.!%*_+`'~-]{1,12}$/);
const uriUser = fc.stringMatching(/^[A-Za-z0-9._!~*'()&=+$,-]{1,12}$/);
const host = fc.stringMatching(/^[a-z][a-z0-9-]{0,10}(\.[a-z]{2,5}){0,2}$/);
const text = fc.string({ unit: 'grapheme', maxLength: 40 }).filter((s) => !/[\r\n]/.test(s));

const request = fc.record({
  method: fc.constantFrom('INVITE', 'MESSAGE', 'REGISTER', 'OPTIONS', 'X-CUSTOM'),
  user: uriUser,
  host,
  port: fc.option(fc.integer({ min: 1, max: 65535 }), { nil: null }),
  tag: token,
  branch: token,
  callId: token,
  seq: fc.integer({ min: 0, max: 2 ** 31 - 1 }),
  display: text,
  extra: fc.array(fc.tuple(fc.stringMatching(/^X-[A-Za-z0-9-]{1,10}$/), text.map((s) => s.trim())), { maxLength: 4 }),
  body: fc.uint8Array({ maxLength: 200 }),
});

describe('property: generated valid messages round-trip (RFC 3261 §7)', () => {
  it('parse(serialize(m)) equals parse(serialize(parse(serialize(m))))', () => {
    fc.assert(
      fc.property(request, (r) => {
        const uri = `sip:${r.user}@${r.host}${r.port === null ? '' : `:${r.port}`}`;
        const quoted = `"${r.display.replace(/["\\]/g, (c) => `\\${c}`)}"`;
        const msg = new SipRequest({
          method: r.method,
          uri,
          headers: [
            ['Via', `SIP/2.0/UDP ${r.host};branch=z9hG4bK${r.branch}`],
            ['From', `${quoted} <${uri}>;tag=${r.tag}`],
            ['To', `<${uri}>`],
            ['Call-ID', r.callId],
            ['CSeq', `${r.seq} ${r.method}`],
            ...r.extra,
          ],
          body: Buffer.from(r.body),
        });
        const once = parseMessage(serializeMessage(msg), { datagram: false });
        const twice = parseMessage(serializeMessage(once), { datagram: false });
        expect(messageView(twice)).toEqual(messageView(once));
        expect(once.body.equals(Buffer.from(r.body))).toBe(true);
        expect(once.from.displayName).toBe(r.display);
        expect(once.cseq.seq).toBe(r.seq);
      }),
      { numRuns: 300 },
    );
  });
});

describe('property: byte mutations of the corpus yield a message or a SipParseError', () => {
  const corpus = loadCorpus().map((e) => e.data);
  it('never throws anything else (a hang fails by the test timeout; speed ratios are in limits.test and bench/)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: corpus.length - 1 }),
        fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 }), fc.constantFrom('set', 'insert', 'delete')), { minLength: 1, maxLength: 8 }),
        fc.boolean(),
        (idx, edits, datagram) => {
          const bytes = [...(corpus[idx] ?? Buffer.alloc(0))];
          for (const [at, value, op] of edits) {
            const i = bytes.length === 0 ? 0 : at % bytes.length;
            if (op === 'set') bytes[i] = value;
            else if (op === 'insert') bytes.splice(i, 0, value);
            else bytes.splice(i, 1);
          }
          const data = Buffer.from(bytes);
          try {
            const m = parseMessage(data, { datagram });
            void serializeMessage(m);
          } catch (e) {
            if (!(e instanceof SipParseError)) throw e;
          }
        },
      ),
      { numRuns: 1500 },
    );
  });
});
