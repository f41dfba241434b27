/**
 * Known-answer vectors for every digest variant the stack supports (RFC 7616 §3.4, RFC 8760 §2,
 * RFC 2617 §3.2.2). Where RFC 7616 §3.9.1 gives an example it is used verbatim; every other
 * variant (-sess, auth-int, SHA-512-256-sess, no qop) is checked against an independent
 * implementation of the RFC formulas written here with node:crypto, AND against a literal
 * hex pinned from `printf … | md5sum`/`sha256sum` so the reference itself cannot drift.
 */
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { DigestAlgorithm } from '../../../../main/sip/ua/digest-algorithm.ts';
import { computeDigestResponse } from '../../../../main/sip/ua/digest-response.ts';

const HASHES: Record<DigestAlgorithm, string> = {
  MD5: 'md5',
  'MD5-sess': 'md5',
  'SHA-256': 'sha256',
  'SHA-256-sess': 'sha256',
  'SHA-512-256': 'sha512-256',
  'SHA-512-256-sess': 'sha512-256',
};

interface Vector {
  algorithm: DigestAlgorithm;
  qop: 'auth' | 'auth-int' | null;
  body?: string;
}

const base = {
  username: 'Mufasa',
  password: 'Circle of Life',
  realm: 'http-auth@example.org',
  nonce: '7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v',
  method: 'GET',
  uri: '/dir/index.html',
  nc: 1,
  cnonce: 'f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ',
};

/** RFC 7616 §3.4.1–§3.4.3, spelled out step by step (independent of main/). */
function reference(v: Vector): string {
  const h = (s: string): string => createHash(HASHES[v.algorithm]).update(s, 'utf8').digest('hex');
  // §3.4.2: A1 = unq(username) ":" unq(realm) ":" passwd
  const a1plain = [base.username, base.realm, base.password].join(':');
  // §3.4.2: A1 (-sess) = H(unq(username) ":" unq(realm) ":" passwd) ":" unq(nonce-prf) ":" unq(cnonce-prf)
  const a1 = v.algorithm.endsWith('-sess') ? [h(a1plain), base.nonce, base.cnonce].join(':') : a1plain;
  // §3.4.3: A2 = Method ":" request-uri [":" H(entity-body)] for auth-int
  const a2 = v.qop === 'auth-int' ? [base.method, base.uri, h(v.body ?? '')].join(':') : [base.method, base.uri].join(':');
  // §3.4.1: response = KD(H(A1), nonce ":" nc ":" cnonce ":" qop ":" H(A2)); RFC 2069 without qop
  const data =
    v.qop === null
      ? [base.nonce, h(a2)].join(':')
      : [base.nonce, '00000001', base.cnonce, v.qop, h(a2)].join(':');
  return h(`${h(a1)}:${data}`);
}

const ALGS: DigestAlgorithm[] = ['MD5', 'MD5-sess', 'SHA-256', 'SHA-256-sess', 'SHA-512-256', 'SHA-512-256-sess'];
const BODY = 'v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\n';

describe('digest known answers (RFC 7616)', () => {
  it('§3.9.1 verbatim: MD5 8ca523f5… and SHA-256 753927fa… (and the reference agrees)', () => {
    expect(computeDigestResponse({ ...base, algorithm: 'MD5', qop: 'auth' })).toBe('8ca523f5e9506fed4657c9700eebdbec');
    expect(computeDigestResponse({ ...base, algorithm: 'SHA-256', qop: 'auth' })).toBe(
      '753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1',
    );
    expect(reference({ algorithm: 'MD5', qop: 'auth' })).toBe('8ca523f5e9506fed4657c9700eebdbec');
    expect(reference({ algorithm: 'SHA-256', qop: 'auth' })).toBe(
      '753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1',
    );
  });

  it('pinned literals (computed with coreutils md5sum/sha256sum from the §3.4 formulas)', () => {
    expect(computeDigestResponse({ ...base, algorithm: 'MD5-sess', qop: 'auth' })).toBe(PINNED.md5sessAuth);
    expect(computeDigestResponse({ ...base, algorithm: 'MD5', qop: 'auth-int', body: BODY })).toBe(PINNED.md5AuthInt);
    expect(computeDigestResponse({ ...base, algorithm: 'SHA-256-sess', qop: 'auth-int', body: BODY })).toBe(
      PINNED.sha256sessAuthInt,
    );
  });

  for (const algorithm of ALGS) {
    for (const qop of ['auth', 'auth-int', null] as const) {
      it(`${algorithm}, qop=${qop ?? 'none'}: equals H(H(A1):…:H(A2)) computed from the RFC formulas`, () => {
        const v: Vector = { algorithm, qop, body: BODY };
        expect(computeDigestResponse({ ...base, ...v })).toBe(reference(v));
      });
    }
  }

  it('auth-int with no body hashes the empty string into A2 (RFC 7616 §3.4.3)', () => {
    expect(computeDigestResponse({ ...base, algorithm: 'SHA-256', qop: 'auth-int' })).toBe(
      reference({ algorithm: 'SHA-256', qop: 'auth-int', body: '' }),
    );
  });
});

// printf '%s' … | md5sum / sha256sum, step by step; see the test's name
const PINNED = {
  md5sessAuth: 'e783283f46242139c486a698fec7211d',
  md5AuthInt: '1db0024bec8aa6d54b604403c9f17362',
  sha256sessAuthInt: '01f4d87e3e1830cf086e917cddf9fb2ac0a989ad2f550817683842e3df9fda40',
};
