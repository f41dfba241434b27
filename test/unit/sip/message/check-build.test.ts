import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SipParseError } from '../../../../main/sip/message/index.ts';
import { checkAuthParams, parseAuthParams } from '../../../../main/sip/message/auth-params.ts';
import { checkCSeq, mediaTypeIn, parseCSeq, parseMediaType, parseTokenList, scanTokenList } from '../../../../main/sip/message/header-values.ts';
import { checkNameAddrList, nameAddrIn, parseNameAddr, parseNameAddrList } from '../../../../main/sip/message/name-addr.ts';
import { PARAM_RULE_EXPIRES } from '../../../../main/sip/message/params.ts';
import { parseUri, scanUri } from '../../../../main/sip/message/uri.ts';
import { checkViaList, parseViaList } from '../../../../main/sip/message/via.ts';

/** realistic values of the fields parseMessage checks without building (RFC 3261 §20) */
const seeds = {
  via: ['SIP/2.0/UDP 192.0.2.10:5060;branch=z9hG4bK776asdhds;rport', 'SIP/2.0/TCP [2001:db8::1]:5061 ;branch=z9hG4bKx;received=10.0.0.1, SIP/2.0/UDP h;rport=5060'],
  nameAddr: ['"Alice \\"A\\"" <sip:alice@pbx.example.com>;tag=a73kszlfl', 'Bob <sips:bob:pw@[::1]:5061;transport=tls?subject=x>', 'sip:carol@example.com;tag=1', '<tel:+1-201-555-0123>'],
  contact: ['<sip:alice@192.0.2.10:5060;transport=udp>;expires=3600;+sip.instance="<urn:uuid:00000000-0000-1000-8000-AABBCCDDEEFF>"', '<sip:a@h>;q=0.5, "B" <sip:b@h;lr>;expires=0'],
  mediaType: ['application/sdp', 'text/plain ; charset="UTF-8";x=y'],
  cseq: ['2 REGISTER', '4294967295  MESSAGE'],
  auth: ['Digest realm="example.test", nonce="a\\"b", qop="auth,auth-int", algorithm=SHA-256, stale=FALSE', 'Digest username="carol",  uri="sip:b@x", nc=00000001, qop=auth'],
  tokens: ['INVITE, ACK,MESSAGE', ' , 100rel ,timer', 'replaces'],
  uri: ['sip:alice@pbx.example.com', 'sips:u%20x:p@host.example:5061;lr;maddr=10.0.0.1?h=v&x=y', 'im:alice@example.com', 'sip:[2001:db8::1];transport=tcp'],
};

/** 1-3 single-character edits (replace, insert or delete) of a seed value */
function mutated(values: readonly string[]): fc.Arbitrary<string> {
  const ch = fc.constantFrom(...' \t;,:<>"@?=%/[]\\*x0-9.'.split(''), '%4', '%zz', '\u00e9');
  const editOne = fc.tuple(fc.nat(), ch, fc.constantFrom('replace', 'insert', 'delete'));
  return fc.tuple(fc.constantFrom(...values), fc.array(editOne, { minLength: 1, maxLength: 3 })).map(([v, edits]) => {
    let s = v;
    for (const [at, c, op] of edits) {
      const i = s.length === 0 ? 0 : at % s.length;
      s = op === 'delete' ? s.slice(0, i) + s.slice(i + 1) : s.slice(0, i) + c + s.slice(op === 'replace' ? i + 1 : i);
    }
    return s;
  });
}

function outcome(f: () => unknown): string {
  try {
    f();
    return 'ok';
  } catch (e) {
    if (e instanceof SipParseError) return 'rejected';
    throw e;
  }
}

/** the allocation-free check (inside a longer text, as parseMessage calls it) and the builder agree */
function agree(values: readonly string[], check: (s: string, from: number, to: number) => unknown, build: (v: string) => unknown): void {
  fc.assert(
    fc.property(mutated(values), (v) => {
      const text = `X: ${v}\r\nY: z@w;q=1?<>\r\n`;
      expect(outcome(() => check(text, 3, 3 + v.length)), v).toBe(outcome(() => build(v)));
    }),
    { numRuns: 1500, seed: 3261 },
  );
}

describe('check-only scanners accept exactly what the builders accept (RFC 3261 §25.1, RFC 4475 §3.1.2)', () => {
  it('Via (§20.42, RFC 3581 rport)', () => agree(seeds.via, (s, a, b) => checkViaList(s, a, b, false), (v) => parseViaList(v)));
  it('Via, top value built at parse time', () => agree(seeds.via, (s, a, b) => checkViaList(s, a, b, true), (v) => parseViaList(v)));
  it('From/To name-addr (§20.20, §20.39)', () => agree(seeds.nameAddr, nameAddrIn, parseNameAddr));
  it('Contact with 32-bit expires (§20.10)', () => agree(seeds.contact, (s, a, b) => checkNameAddrList(s, a, b, PARAM_RULE_EXPIRES), (v) => parseNameAddrList(v, [], PARAM_RULE_EXPIRES)));
  it('Contact built at parse time (§20.10)', () => agree(seeds.contact, (s, a, b) => checkNameAddrList(s, a, b, PARAM_RULE_EXPIRES, []), (v) => parseNameAddrList(v, [], PARAM_RULE_EXPIRES)));
  it('Content-Type (§20.15)', () => agree(seeds.mediaType, mediaTypeIn, parseMediaType));
  it('CSeq (§20.16)', () => agree(seeds.cseq, checkCSeq, parseCSeq));
  it('WWW-Authenticate / Authorization (§20.7, §20.44)', () => agree(seeds.auth, (s, a, b) => checkAuthParams(s, a, b, true), parseAuthParams));
  it('Authentication-Info (§20.6)', () => agree(seeds.auth, (s, a, b) => checkAuthParams(s, a, b, false), (v) => parseAuthParams(`Info ${v}`)));
  it('option tags and methods (§20.32, §20.5)', () => agree(seeds.tokens, (s, a, b) => scanTokenList(s, a, b, null), (v) => parseTokenList([v])));
  it('URI (§19.1.1, §25.1)', () => agree(seeds.uri, (s, a, b) => scanUri(s, a, b, false), parseUri));
});
