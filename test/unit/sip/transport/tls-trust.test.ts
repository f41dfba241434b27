import { describe, expect, it } from 'vitest';
import { describeTlsError, normalizeFingerprint, tlsConnectOptions } from '../../../../main/sip/transport/tls-trust.ts';

const err = (code: string, message = code): Error => Object.assign(new Error(message), { code });

describe('TLS errors in words (RFC 3261 §26.3.1)', () => {
  it('names self-signed, unknown issuer, expiry and name mismatch', () => {
    expect(describeTlsError(err('DEPTH_ZERO_SELF_SIGNED_CERT'))).toBe('certificate not trusted (self-signed)');
    expect(describeTlsError(err('SELF_SIGNED_CERT_IN_CHAIN'))).toBe('certificate not trusted (self-signed)');
    expect(describeTlsError(err('UNABLE_TO_VERIFY_LEAF_SIGNATURE'))).toBe('certificate not trusted (unknown issuer)');
    expect(describeTlsError(err('CERT_HAS_EXPIRED'))).toBe('certificate expired');
    expect(describeTlsError(err('ERR_TLS_CERT_ALTNAME_INVALID', "Host: a.test. is not in the cert's altnames"))).toMatch(/^certificate name mismatch \(Host: a\.test/);
    expect(describeTlsError(err('ERR_SSL_SOMETHING', 'alert 40'))).toBe('TLS handshake failed (alert 40)');
  });
});

describe('TLS connect options', () => {
  it('verification stays on by default; servername is the SIP domain', () => {
    const o = tlsConnectOptions({ protocol: 'tls', address: '192.0.2.1', port: 5061, serverName: 'pbx.example.com' }, undefined);
    expect(o.rejectUnauthorized).toBeUndefined();
    expect(o.servername).toBe('pbx.example.com');
    expect(o.ca).toBeUndefined();
  });
  it('no SNI for a numeric server name (RFC 6066 §3)', () => {
    expect(tlsConnectOptions({ protocol: 'tls', address: '::1', port: 5061 }, undefined).servername).toBeUndefined();
  });
  it('a pinned PEM is added to the roots, verification stays on', () => {
    const o = tlsConnectOptions({ protocol: 'tls', address: '127.0.0.1', port: 5061 }, { ca: ['PEM'] });
    expect(Array.isArray(o.ca) && o.ca.includes('PEM') && o.ca.length > 1).toBe(true);
    expect(o.rejectUnauthorized).toBeUndefined();
  });
  it('fingerprints compare without separators or case', () => {
    expect(normalizeFingerprint('ab:cd:01')).toBe(normalizeFingerprint('ABCD01'));
  });
});
