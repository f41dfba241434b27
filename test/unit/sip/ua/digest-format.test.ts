/**
 * Survivors of the Stryker run over digest-response.ts (issue 17): the nonce-count bounds (RFC 7616 §3.4:
 * nc-value = 8LHEX) and which optional parameters the Authorization value carries (RFC 3261 §25.1,
 * RFC 2617 §3.2.2: opaque only when the challenge had one; qop and nc together or not at all).
 */
import { describe, expect, it } from 'vitest';
import { formatDigestCredentials, formatNonceCount, type DigestCredentialsValue } from '../../../../main/sip/ua/digest-response.ts';

const base: DigestCredentialsValue = {
  username: 'alice',
  realm: 'example.test',
  nonce: 'n0nce',
  uri: 'sip:example.test',
  response: '0123456789abcdef0123456789abcdef',
  algorithm: null,
  cnonce: null,
  opaque: null,
  qop: null,
  nc: null,
  userhash: false,
};

describe('formatNonceCount (8LHEX)', () => {
  it('writes 1 and the largest 32-bit count; refuses 0, 2^32 and fractions', () => {
    expect(formatNonceCount(1)).toBe('00000001');
    expect(formatNonceCount(0xffffffff)).toBe('ffffffff');
    expect(() => formatNonceCount(0x100000000)).toThrow(/bad nonce count 4294967296/);
    expect(() => formatNonceCount(0)).toThrow(RangeError);
    expect(() => formatNonceCount(1.5)).toThrow(RangeError);
  });
});

describe('formatDigestCredentials: optional parameters', () => {
  it('without opaque, qop or nc the value has only the five required fields', () => {
    expect(formatDigestCredentials(base)).toBe(
      'Digest username="alice", realm="example.test", nonce="n0nce", uri="sip:example.test", response="0123456789abcdef0123456789abcdef"',
    );
  });

  it('opaque is returned unchanged when present (quoted)', () => {
    expect(formatDigestCredentials({ ...base, opaque: 'op"aque' })).toContain(', opaque="op\\"aque"');
  });

  it('qop is written only with its nc, and nc only with its qop', () => {
    expect(formatDigestCredentials({ ...base, qop: 'auth', nc: null })).not.toMatch(/qop=|nc=/);
    expect(formatDigestCredentials({ ...base, qop: null, nc: 1 })).not.toMatch(/qop=|nc=/);
    expect(formatDigestCredentials({ ...base, qop: 'auth', nc: 2, cnonce: 'c' })).toMatch(/, cnonce="c", qop=auth, nc=00000002$/);
  });
});
