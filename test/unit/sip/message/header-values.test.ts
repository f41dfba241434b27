/**
 * The header-value parsers one by one, each on the grammar of its RFC section: known answers for what
 * parses and a SipParseError for what does not (a hostile peer chooses these strings).
 */
import { describe, expect, it } from 'vitest';
import { SipParseError } from '../../../../main/sip/message/errors.ts';
import {
  formatAuthParams,
  formatMediaType,
  isTokenChar,
  parseAuthParams,
  parseCSeq,
  parseDeltaSeconds,
  parseEvent,
  parseMediaType,
  parseRetryAfter,
  parseSipDate,
  parseSubscriptionState,
  parseTimestamp,
  parseTokenList,
  parseWarning,
} from '../../../../main/sip/message/header-values.ts';

const params = (entries: [string, string | null][]) => new Map(entries);

describe('Retry-After = delta-seconds [ comment ] *( SEMI retry-param ) (RFC 3261 §20.33)', () => {
  it('reads the seconds, the comment and the duration parameter of the RFC example', () => {
    expect(parseRetryAfter('18000;duration=3600')).toEqual({ seconds: 18000, comment: null, params: params([['duration', '3600']]) });
    expect(parseRetryAfter('120 (I\'m in a meeting)')).toEqual({ seconds: 120, comment: "I'm in a meeting", params: params([]) });
    expect(parseRetryAfter(' 5 (busy (really)) ;duration=10')).toEqual({ seconds: 5, comment: 'busy (really)', params: params([['duration', '10']]) });
    expect(parseRetryAfter('7 (a \\) escaped)')).toMatchObject({ seconds: 7, comment: 'a \\) escaped' });
    expect(parseRetryAfter('0')).toMatchObject({ seconds: 0 });
    expect(parseRetryAfter('4294967295')).toMatchObject({ seconds: 4294967295 });
  });

  it('MUST reject a missing or out-of-range delta, an unterminated comment, junk and a bad duration', () => {
    for (const bad of ['', 'soon', '4294967296', '-1', '10 (never closed', '10 junk', '10;duration', '10;duration=x', '10;duration=99999999999']) {
      expect(() => parseRetryAfter(bad), bad).toThrow(SipParseError);
    }
  });
});

describe('Warning = warn-code SP warn-agent SP warn-text (RFC 3261 §20.43)', () => {
  it('reads the RFC examples, comma lists and several header fields in order', () => {
    expect(parseWarning(['307 isi.edu "Session parameter \'foo\' not understood"'])).toEqual([
      { code: 307, agent: 'isi.edu', text: "Session parameter 'foo' not understood" },
    ]);
    expect(parseWarning(['301 isi.edu "Incompatible network address type \'E.164\'"', '399 pbx.example.test:5060 "a \\"quoted\\" word", 370 devnull "Choose a bigger pipe"'])).toEqual([
      { code: 301, agent: 'isi.edu', text: "Incompatible network address type 'E.164'" },
      { code: 399, agent: 'pbx.example.test:5060', text: 'a "quoted" word' },
      { code: 370, agent: 'devnull', text: 'Choose a bigger pipe' },
    ]);
    expect(parseWarning([])).toEqual([]);
  });

  it('MUST reject a code that is not 3 digits, a missing agent, unquoted text and a missing comma', () => {
    for (const bad of ['37 a "x"', '3070 a "x"', '307  "x"', '307 a x', '307 a', '307', '307 a "x" 308 b "y"', '307 a "unterminated']) {
      expect(() => parseWarning([bad]), bad).toThrow(SipParseError);
    }
  });
});

describe('Event = event-type *( SEMI event-param ) (RFC 6665 §8.2.1)', () => {
  it('reads the package, template and parameters (id)', () => {
    expect(parseEvent('presence')).toEqual({ type: 'presence', params: params([]) });
    expect(parseEvent(' presence.winfo ;id=42;Foo')).toEqual({ type: 'presence.winfo', params: params([['id', '42'], ['foo', null]]) });
    expect(parseEvent('refer;id=93809824')).toEqual({ type: 'refer', params: params([['id', '93809824']]) });
  });

  it('MUST reject an empty type and junk after the parameters', () => {
    for (const bad of ['', ';id=1', 'presence junk', 'pres@nce']) expect(() => parseEvent(bad), bad).toThrow(SipParseError);
  });
});

describe('Subscription-State (RFC 6665 §8.2.3)', () => {
  it('reads state (lower-cased), expires, reason and retry-after', () => {
    expect(parseSubscriptionState('active;expires=3600')).toEqual({ state: 'active', expires: 3600, reason: null, retryAfter: null, params: params([['expires', '3600']]) });
    expect(parseSubscriptionState('Pending')).toMatchObject({ state: 'pending', expires: null, reason: null, retryAfter: null });
    expect(parseSubscriptionState('terminated;reason=probation;retry-after=30')).toMatchObject({
      state: 'terminated',
      expires: null,
      reason: 'probation',
      retryAfter: 30,
    });
    expect(parseSubscriptionState('terminated;reason=noresource')).toMatchObject({ reason: 'noresource', retryAfter: null });
    // a flag without a value is no number
    expect(parseSubscriptionState('active;expires')).toMatchObject({ expires: null });
  });

  it('MUST reject a non-numeric or out-of-range expires/retry-after', () => {
    for (const bad of ['active;expires=soon', 'active;expires=4294967296', 'terminated;retry-after=-1', '', 'active x']) {
      expect(() => parseSubscriptionState(bad), bad).toThrow(SipParseError);
    }
  });
});

describe('Timestamp = 1*DIGIT [ "." *DIGIT ] [ LWS delay ] (RFC 3261 §20.38)', () => {
  it('reads the value and the optional delay as written', () => {
    expect(parseTimestamp('54')).toEqual({ value: '54', delay: null });
    expect(parseTimestamp(' 54.2  1.5 ')).toEqual({ value: '54.2', delay: '1.5' });
    expect(parseTimestamp('100.')).toEqual({ value: '100.', delay: null });
    expect(parseTimestamp('1\t.5')).toEqual({ value: '1', delay: '.5' });
    expect(parseTimestamp('7 ')).toEqual({ value: '7', delay: null });
  });

  it('MUST reject no digits first, a delay glued to the value, and a third word', () => {
    for (const bad of ['', ' ', '.5', 'x', '54x', '1 2 3', '1 2x']) expect(() => parseTimestamp(bad), bad).toThrow(SipParseError);
  });
});

describe('SIP-date = rfc1123-date in GMT (RFC 3261 §20.17)', () => {
  it('reads the RFC example to epoch ms', () => {
    expect(parseSipDate('Sat, 13 Nov 2010 23:29:00 GMT')).toBe(Date.UTC(2010, 10, 13, 23, 29, 0));
    expect(parseSipDate(' Thu, 01 Jan 1970 00:00:00 GMT ')).toBe(0);
  });

  it('MUST reject other zones, unknown names and out-of-range fields', () => {
    for (const bad of [
      'Sat, 13 Nov 2010 23:29:00 UTC',
      'Sat, 13 Nov 2010 23:29:00 +0000',
      'Sam, 13 Nov 2010 23:29:00 GMT',
      'Sat, 13 Noe 2010 23:29:00 GMT',
      'Sat, 13 Nov 2010 24:00:00 GMT',
      'Sat, 13 Nov 2010 23:60:00 GMT',
      'Sat, 13 Nov 2010 23:59:61 GMT',
      'Sat, 00 Nov 2010 23:29:00 GMT',
      'Sat, 32 Nov 2010 23:29:00 GMT',
      '2010-11-13T23:29:00Z',
    ]) {
      expect(() => parseSipDate(bad), bad).toThrow(SipParseError);
    }
  });
});

describe('CSeq, delta-seconds, token lists, media types and auth params', () => {
  it('CSeq: number and method (§20.16), 32-bit range (§8.1.1.5)', () => {
    expect(parseCSeq('4711 INVITE')).toEqual({ seq: 4711, method: 'INVITE' });
    expect(parseCSeq(' 1\tMESSAGE ')).toEqual({ seq: 1, method: 'MESSAGE' });
    expect(parseCSeq('4294967295 BYE')).toEqual({ seq: 4294967295, method: 'BYE' });
    for (const bad of ['INVITE', '1INVITE', '4294967296 INVITE', '1 INVITE x', '1 ']) expect(() => parseCSeq(bad), bad).toThrow(SipParseError);
  });

  it('delta-seconds (§20.19): -1 for anything but 1*DIGIT in 32 bits', () => {
    expect(parseDeltaSeconds(' 3600 ')).toBe(3600);
    expect(parseDeltaSeconds('0')).toBe(0);
    expect(parseDeltaSeconds('4294967295')).toBe(4294967295);
    expect(parseDeltaSeconds('4294967296')).toBe(-1);
    expect(parseDeltaSeconds('1h')).toBe(-1);
    expect(parseDeltaSeconds('')).toBe(-1);
  });

  it('token lists (Allow, Supported, Require): split, trimmed, empty parts skipped, non-tokens refused', () => {
    expect(parseTokenList(['INVITE, ACK,MESSAGE', ' , 100rel', 'timer'])).toEqual(['INVITE', 'ACK', 'MESSAGE', '100rel', 'timer']);
    expect(parseTokenList([])).toEqual([]);
    expect(() => parseTokenList(['INVITE, B@D'])).toThrow(SipParseError);
  });

  it('media-type (§20.15): type/subtype lower-cased, parameters kept; formatted back', () => {
    const m = parseMediaType('Text/Plain ; charset=UTF-8');
    expect(m).toEqual({ type: 'text', subtype: 'plain', params: params([['charset', 'UTF-8']]) });
    expect(formatMediaType(m)).toBe('text/plain;charset=UTF-8');
    expect(formatMediaType(parseMediaType('message/cpim'))).toBe('message/cpim');
    for (const bad of ['text', 'text/', '/plain', 'text/plain junk']) expect(() => parseMediaType(bad), bad).toThrow(SipParseError);
  });

  it('auth params (§25.1, RFC 7235 §2.1): scheme, unquoted values, tokens bare; a challenge quotes qop', () => {
    const a = parseAuthParams('Digest realm="example.test", nonce="a\\"b", qop="auth,auth-int", algorithm=SHA-256, stale=FALSE');
    expect(a.scheme).toBe('Digest');
    expect([...a.params]).toEqual([
      ['realm', 'example.test'],
      ['nonce', 'a"b'],
      ['qop', 'auth,auth-int'],
      ['algorithm', 'SHA-256'],
      ['stale', 'FALSE'],
    ]);
    expect(formatAuthParams(a, { challenge: true })).toBe('Digest realm="example.test", nonce="a\\"b", qop="auth,auth-int", algorithm=SHA-256, stale=FALSE');
    const creds = { scheme: 'Digest', params: new Map([['username', 'alice'], ['qop', 'auth'], ['nc', '00000001'], ['response', 'x y']]) };
    expect(formatAuthParams(creds)).toBe('Digest username="alice", qop=auth, nc=00000001, response="x y"');
    expect(formatAuthParams({ scheme: 'Basic', params: new Map() })).toBe('Basic');
    for (const bad of ['', 'Digest realm', 'Digest realm="x" nonce="y"', 'Digest realm="unterminated']) expect(() => parseAuthParams(bad), bad).toThrow(SipParseError);
  });

  it('isTokenChar follows the §25.1 token set', () => {
    expect([...'aZ09-.!%*_+`\'~'].every((ch) => isTokenChar(ch.charCodeAt(0)))).toBe(true);
    expect([...' "(),/:;<=>?@[\\]{}'].some((ch) => isTokenChar(ch.charCodeAt(0)))).toBe(false);
  });
});
