import { describe, expect, it } from 'vitest';
import { parseAddress } from '../../../main/services/contacts-address.ts';

const contact = { allowBare: true, schemes: ['sip', 'sips', 'im'] } as const;

describe('parseAddress (RFC 3261 §19.1.1, RFC 3860)', () => {
  it.each([
    ['bob@example.com', 'sip:bob@example.com'],
    ['SIP:bob@Example.COM', 'sip:bob@example.com'],
    ['sips:bob@example.com:5061;transport=tls', 'sips:bob@example.com:5061;transport=tls'],
    ['im:bob@example.com', 'im:bob@example.com'],
    ['sip:+4930123@[2001:db8::1]', 'sip:+4930123@[2001:db8::1]'],
    ['sip:bob.smith@192.0.2.4:5070', 'sip:bob.smith@192.0.2.4:5070'],
    ['  sip:j%40x@example.com  ', 'sip:j%40x@example.com'],
  ])('accepts %s as %s', (raw, uri) => {
    const r = parseAddress(raw, contact);
    expect(r).toMatchObject({ ok: true, address: { uri } });
  });

  it.each([
    ['', /empty/],
    ['bob', /user and a host/],
    ['@example.com', /user and a host/],
    ['tel:+123', /not supported/],
    ['http://example.com', /not supported/],
    ['sip:bob:pw@example.com', /password/],
    ['sip:bob@exa mple.com', /spaces/],
    ['sip:bob@example.com?subject=x', /headers/],
    ['sip:bob@example.com:70000', /outside/],
    ['sip:bob@-bad-.com', /valid host/],
    ['sip:bob@999.1.1.1', /valid host/],
    ['im:bob@example.com;x=1', /no parameters/],
    ['sip:bob@example.com\r\nX: y', /spaces/],
  ])('rejects %j with a clear reason', (raw, problem) => {
    const r = parseAddress(raw, contact);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.problem).toMatch(problem);
  });

  it('requires a scheme when bare addresses are not allowed', () => {
    expect(parseAddress('bob@example.com', { allowBare: false, schemes: ['sip'] })).toMatchObject({ ok: false });
  });
});
