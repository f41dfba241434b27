import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseAuthChallengeList, parseDigestChallenges } from '../../../../main/sip/ua/digest-challenge.ts';
import { formatDigestCredentials } from '../../../../main/sip/ua/digest-response.ts';

describe('digest parsing properties', () => {
  it('bad input never throws: any string yields challenges and problems (RFC 3261 §8.2 robustness)', () => {
    fc.assert(
      fc.property(fc.array(fc.string({ maxLength: 80 }), { maxLength: 3 }), (values) => {
        const r = parseDigestChallenges(values, 'www');
        expect(Array.isArray(r.challenges)).toBe(true);
      }),
      { numRuns: 500 },
    );
  });

  it('quoted-string values with quotes and backslashes survive format → parse (§25.1 quoted-pair)', () => {
    const text = fc.string({ maxLength: 30 }).filter((s) => !/[\r\n]/.test(s));
    fc.assert(
      fc.property(text, text, text, (username, realm, opaque) => {
        const value = formatDigestCredentials({
          username, realm, nonce: 'n', uri: 'sip:a@b', response: '00', algorithm: 'MD5',
          cnonce: 'c', opaque, qop: 'auth', nc: 1, userhash: false,
        });
        const p = parseAuthChallengeList(value)?.[0]?.params;
        expect(p?.get('username')).toBe(username);
        expect(p?.get('realm')).toBe(realm);
        expect(p?.get('opaque')).toBe(opaque);
        expect(p?.get('nc')).toBe('00000001');
      }),
      { numRuns: 300 },
    );
  });
});
