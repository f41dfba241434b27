import { describe, expect, it } from 'vitest';
import { parseDigestAlgorithm, algorithmStrength } from '../../../../main/sip/ua/digest-algorithm.ts';
import { answerChallenge } from '../../../../main/sip/ua/digest-answer.ts';
import { parseAuthChallengeList, parseDigestChallenges } from '../../../../main/sip/ua/digest-challenge.ts';
import {
  computeDigestResponse,
  digestUserhash,
  formatNonceCount,
} from '../../../../main/sip/ua/digest-response.ts';
import { selectChallenges } from '../../../../main/sip/ua/digest-select.ts';

describe('digest response computation', () => {
  it('RFC 2617 §3.5 example: MD5, qop=auth gives response 6629fae49393a05397450978507c4ef1', () => {
    expect(
      computeDigestResponse({
        algorithm: 'MD5',
        username: 'Mufasa',
        password: 'Circle Of Life',
        realm: 'testrealm@host.com',
        nonce: 'dcd98b7102dd2f0e8b11d0f600bfb0c093',
        method: 'GET',
        uri: '/dir/index.html',
        qop: 'auth',
        nc: 1,
        cnonce: '0a4f113b',
      }),
    ).toBe('6629fae49393a05397450978507c4ef1');
  });

  const rfc7616 = {
    username: 'Mufasa',
    password: 'Circle of Life',
    realm: 'http-auth@example.org',
    nonce: '7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v',
    method: 'GET',
    uri: '/dir/index.html',
    qop: 'auth' as const,
    nc: 1,
    cnonce: 'f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ',
  };

  it('RFC 7616 §3.9.1 example with MD5', () => {
    expect(computeDigestResponse({ ...rfc7616, algorithm: 'MD5' })).toBe('8ca523f5e9506fed4657c9700eebdbec');
  });

  it('RFC 7616 §3.9.1 example with SHA-256', () => {
    expect(computeDigestResponse({ ...rfc7616, algorithm: 'SHA-256' })).toBe(
      '753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1',
    );
  });

  it('RFC 7616 §3.9.2 (errata 4897 values): SHA-512-256 with userhash, UTF-8 username', () => {
    const username = 'J\u00e4s\u00f8n Doe';
    expect(digestUserhash('SHA-512-256', username, 'api@example.org')).toBe(
      '793263caabb707a56211940d90411ea4a575adeccb7e360aeb624ed06ece9b0b',
    );
    expect(
      computeDigestResponse({
        algorithm: 'SHA-512-256',
        username,
        password: 'Secret, or not?',
        realm: 'api@example.org',
        nonce: '5TsQWLVdgBdmrQ0XsxbDODV+57QdFR34I9HAbC/RVvkK',
        method: 'GET',
        uri: '/doe.json',
        qop: 'auth',
        nc: 1,
        cnonce: 'NTg6RKcb9boFIAS3KrFK9BGeh+iDa/sm6jUMp2wds69v',
      }),
    ).toBe('3798d4131c277846293534c3edc11bd8a5e4cdcbff78b05db9d95eeb1cec68a5');
  });

  it('RFC 2617 §3.2.2.1: without qop the response is H(HA1:nonce:HA2) (RFC 2069 compatibility)', () => {
    const base = { ...rfc7616, algorithm: 'MD5' as const, qop: null };
    const r = computeDigestResponse(base);
    // changing nc/cnonce must not change an RFC 2069 answer
    expect(computeDigestResponse({ ...base, nc: 7, cnonce: 'other' })).toBe(r);
    expect(r).not.toBe(computeDigestResponse({ ...rfc7616, algorithm: 'MD5' }));
    expect(r).toMatch(/^[0-9a-f]{32}$/);
  });

  it('RFC 7616 §3.4.2: a -sess algorithm mixes nonce and cnonce into A1', () => {
    const plain = computeDigestResponse({ ...rfc7616, algorithm: 'SHA-256' });
    const sess = computeDigestResponse({ ...rfc7616, algorithm: 'SHA-256-sess' });
    expect(sess).not.toBe(plain);
    expect(sess).not.toBe(computeDigestResponse({ ...rfc7616, algorithm: 'SHA-256-sess', cnonce: 'x' }));
  });

  it('RFC 7616 §3.4.3: auth-int hashes the entity body into A2', () => {
    const a = computeDigestResponse({ ...rfc7616, algorithm: 'MD5', qop: 'auth-int', body: 'hello' });
    const b = computeDigestResponse({ ...rfc7616, algorithm: 'MD5', qop: 'auth-int', body: 'hullo' });
    expect(a).not.toBe(b);
    expect(computeDigestResponse({ ...rfc7616, algorithm: 'MD5', qop: 'auth-int', body: new TextEncoder().encode('hello') })).toBe(a);
  });

  it('RFC 7616 §3.4: nc-value is 8 lower-case hex digits', () => {
    expect(formatNonceCount(1)).toBe('00000001');
    expect(formatNonceCount(255)).toBe('000000ff');
    expect(() => formatNonceCount(0)).toThrow(RangeError);
  });
});

describe('challenge parsing (RFC 3261 §20.27, §20.44, §25.1 challenge)', () => {
  it('reads a challenge with quoted-pairs and case-insensitive names', () => {
    const list = parseAuthChallengeList('DIGEST REALM="a \\"quoted\\" \\\\realm", Nonce=abc123, QOP="auth,auth-int"');
    expect(list).toHaveLength(1);
    expect(list?.[0]?.scheme).toBe('DIGEST');
    expect(list?.[0]?.params.get('realm')).toBe('a "quoted" \\realm');
    expect(list?.[0]?.params.get('nonce')).toBe('abc123');
    const { challenges } = parseDigestChallenges(['DIGEST REALM="r", Nonce=n, QOP="auth, Auth-Int"'], 'www');
    expect(challenges[0]?.qop).toEqual(['auth', 'auth-int']);
  });

  it('splits several challenges in one value (RFC 7235 §4.1) and skips non-Digest schemes', () => {
    const parsed = parseDigestChallenges(
      [
        'Basic realm="x", Digest realm="r1", nonce="n1", algorithm=SHA-256, Digest realm="r1", nonce="n2", algorithm=MD5, Bearer abc==',
      ],
      'www',
    );
    expect(parsed.challenges.map((c) => c.nonce)).toEqual(['n1', 'n2']);
    expect(parsed.challenges[0]?.algorithm).toBe('SHA-256');
    expect(parsed.problems.length).toBe(2);
  });

  it('reads several header fields and keeps kind, opaque, stale, userhash', () => {
    const parsed = parseDigestChallenges(
      ['Digest realm="p", nonce="1", opaque="op", stale=TRUE', 'Digest realm="q", nonce="2", userhash=true, algorithm=sha-512-256-SESS'],
      'proxy',
    );
    const [a, b] = parsed.challenges;
    expect(a).toMatchObject({ kind: 'proxy', realm: 'p', opaque: 'op', stale: true, userhash: false, algorithm: 'MD5' });
    expect(b).toMatchObject({ realm: 'q', userhash: true, stale: false, algorithm: 'SHA-512-256-sess' });
  });

  it('reports malformed values without throwing and keeps the good ones', () => {
    const parsed = parseDigestChallenges(
      ['Digest realm="unterminated', 'Digest realm="a" nonce="b"', 'Digest nonce="x"', 'Digest realm="ok", nonce="y"'],
      'www',
    );
    expect(parsed.challenges.map((c) => c.realm)).toEqual(['ok']);
    expect(parsed.problems).toHaveLength(3);
    expect(parseAuthChallengeList('realm="x"')).toBeNull();
  });

  it('maps unknown algorithms to null and an absent one to MD5 (RFC 2617 §3.2.1)', () => {
    expect(parseDigestAlgorithm(undefined)).toBe('MD5');
    expect(parseDigestAlgorithm('SHA3-256')).toBeNull();
    expect(algorithmStrength('SHA-512-256')).toBeGreaterThan(algorithmStrength('SHA-256-sess'));
    expect(algorithmStrength('SHA-256')).toBeGreaterThan(algorithmStrength('MD5-sess'));
  });
});

describe('challenge selection (RFC 8760 §2.4, RFC 7616 §3.7)', () => {
  const parse = (values: string[], kind: 'www' | 'proxy' = 'www') => parseDigestChallenges(values, kind).challenges;

  it('picks the strongest algorithm offered for a realm: SHA-512-256 > SHA-256 > MD5', () => {
    const sel = selectChallenges(
      parse([
        'Digest realm="r", nonce="md5", qop="auth"',
        'Digest realm="r", nonce="sha256", algorithm=SHA-256, qop="auth"',
        'Digest realm="r", nonce="sha512", algorithm=SHA-512-256, qop="auth"',
      ]),
    );
    expect(sel.chosen).toHaveLength(1);
    expect(sel.chosen[0]?.challenge.nonce).toBe('sha512');
    expect(sel.chosen[0]?.qop).toBe('auth');
  });

  it('skips an algorithm we do not know and uses the next one', () => {
    const sel = selectChallenges(
      parse(['Digest realm="r", nonce="a", algorithm=SHA3-512', 'Digest realm="r", nonce="b", algorithm=MD5']),
    );
    expect(sel.chosen[0]?.challenge.nonce).toBe('b');
  });

  it('prefers qop=auth when auth and auth-int are both offered', () => {
    const sel = selectChallenges(parse(['Digest realm="r", nonce="a", qop="auth-int,auth"']));
    expect(sel.chosen[0]?.qop).toBe('auth');
    expect(sel.notes).toEqual([]);
  });

  it('uses auth-int when it is the only qop, and says so in notes', () => {
    const sel = selectChallenges(parse(['Digest realm="r", nonce="a", qop="auth-int"']));
    expect(sel.chosen[0]?.qop).toBe('auth-int');
    expect(sel.notes[0]).toMatch(/auth-int/);
  });

  it('rejects an auth-int-only realm with a reason when body hashing is off', () => {
    const sel = selectChallenges(parse(['Digest realm="r", nonce="a", qop="auth-int"']), { allowAuthInt: false });
    expect(sel.chosen).toEqual([]);
    expect(sel.rejected[0]?.reason).toMatch(/auth-int/);
  });

  it('RFC 3261 §22.3: answers every realm of a multi-realm challenge separately', () => {
    const sel = selectChallenges([
      ...parse(['Digest realm="proxy-a", nonce="1"'], 'proxy'),
      ...parse(['Digest realm="proxy-b", nonce="2"'], 'proxy'),
    ]);
    expect(sel.chosen.map((c) => c.challenge.realm)).toEqual(['proxy-a', 'proxy-b']);
  });
});

describe('answerChallenge: the credentials value (RFC 3261 §22.4, §25.1 digest-response)', () => {
  it('builds Authorization with quoted fields, unquoted qop/nc/algorithm and the opaque echoed', () => {
    const [c] = parseDigestChallenges(
      [
        'Digest realm="http-auth@example.org", qop="auth, auth-int", algorithm=SHA-256, nonce="7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v", opaque="FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS"',
      ],
      'www',
    ).challenges;
    if (!c) throw new Error('no challenge');
    const a = answerChallenge(
      { challenge: c, qop: 'auth' },
      { username: 'Mufasa', password: 'Circle of Life' },
      { method: 'GET', uri: '/dir/index.html', nc: 1, cnonce: 'f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ' },
    );
    expect(a.headerName).toBe('Authorization');
    expect(a.value).toBe(
      'Digest username="Mufasa", realm="http-auth@example.org", nonce="7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v", uri="/dir/index.html", response="753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1", algorithm=SHA-256, cnonce="f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ", opaque="FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS", qop=auth, nc=00000001',
    );
    // the value we produce parses back as a digest auth-param list
    expect(parseAuthChallengeList(a.value)?.[0]?.params.get('response')).toBe(
      '753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1',
    );
  });

  it('RFC 7616 §3.4.4: with userhash=true sends H(username:realm) and userhash=true; 407 → Proxy-Authorization', () => {
    const [c] = parseDigestChallenges(
      ['Digest realm="api@example.org", qop="auth", algorithm=SHA-512-256, nonce="n", userhash=true'],
      'proxy',
    ).challenges;
    if (!c) throw new Error('no challenge');
    const a = answerChallenge({ challenge: c, qop: 'auth' }, { username: 'J\u00e4s\u00f8n Doe', password: 'p' }, { method: 'REGISTER', uri: 'sip:example.org', nc: 1, cnonce: 'c' });
    expect(a.headerName).toBe('Proxy-Authorization');
    expect(a.value).toContain('username="793263caabb707a56211940d90411ea4a575adeccb7e360aeb624ed06ece9b0b"');
    expect(a.value).toMatch(/, userhash=true$/);
  });

  it('RFC 2617 §3.2.2: without qop sends no cnonce and no nc', () => {
    const [c] = parseDigestChallenges(['Digest realm="r", nonce="n"'], 'www').challenges;
    if (!c) throw new Error('no challenge');
    const a = answerChallenge({ challenge: c, qop: null }, { username: 'u', password: 'p' }, { method: 'REGISTER', uri: 'sip:r', nc: 1, cnonce: 'c' });
    expect(a.value).not.toMatch(/cnonce|nc=|qop/);
  });
});
