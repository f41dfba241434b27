import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { TLSSocket } from 'node:tls';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { describeTlsError, fingerprintOfPem, normalizeFingerprint, tlsConnectOptions, verifyPeer } from '../../../../main/sip/transport/tls-trust.ts';

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
  it('a fingerprint pin turns off the handshake rejection for this connection only; TLS 1.2 minimum; host and port kept', () => {
    const o = tlsConnectOptions({ protocol: 'tls', address: '127.0.0.1', port: 5061 }, { fingerprints256: ['AB:CD'] });
    expect(o).toMatchObject({ host: '127.0.0.1', port: 5061, minVersion: 'TLSv1.2', rejectUnauthorized: false });
    const none = tlsConnectOptions({ protocol: 'tls', address: '127.0.0.1', port: 5061 }, { fingerprints256: [], ca: [] });
    expect(none.rejectUnauthorized).toBeUndefined();
    expect(none.ca).toBeUndefined();
    expect(none.minVersion).toBe('TLSv1.2');
  });
  it('fingerprints compare without separators or case', () => {
    expect(normalizeFingerprint('ab:cd:01')).toBe(normalizeFingerprint('ABCD01'));
  });
});

describe('verifyPeer: the decision after the handshake (RFC 3261 §26.3.1)', () => {
  const FP = 'AB:CD:EF:01:23';
  const peer = (o: { authorized: boolean; fingerprint256?: string; authorizationError?: unknown; servername?: string }): TLSSocket =>
    ({
      authorized: o.authorized,
      authorizationError: o.authorizationError,
      servername: o.servername ?? '',
      remoteAddress: '127.0.0.1',
      getPeerCertificate: () => (o.fingerprint256 === undefined ? {} : { fingerprint256: o.fingerprint256 }),
    }) as unknown as TLSSocket;

  it('a certificate the CA store verified is accepted', () => {
    expect(verifyPeer(peer({ authorized: true }), undefined)).toBeNull();
  });

  it('an unverified certificate whose SHA-256 matches a pin is accepted (case and colons ignored)', () => {
    const socket = peer({ authorized: false, fingerprint256: FP, authorizationError: 'DEPTH_ZERO_SELF_SIGNED_CERT' });
    expect(verifyPeer(socket, { fingerprints256: ['abcdef0123'] })).toBeNull();
  });

  it('an unverified certificate that matches no pin is refused, with the reason in words', () => {
    const socket = peer({ authorized: false, fingerprint256: 'FF:FF:FF', authorizationError: 'DEPTH_ZERO_SELF_SIGNED_CERT' });
    expect(verifyPeer(socket, { fingerprints256: [FP] })).toBe(
      'pinned certificate mismatch: the server presented another certificate (SHA-256 FF:FF:FF…); certificate not trusted (self-signed)',
    );
    // without a pin the same certificate reads differently: the user can tell a wrong pin from none
    expect(verifyPeer(socket, undefined)).toBe('certificate not trusted (self-signed)');
  });

  it('an expired certificate says until when it was valid', () => {
    const socket = {
      authorized: false,
      authorizationError: 'CERT_HAS_EXPIRED',
      servername: '',
      remoteAddress: '127.0.0.1',
      getPeerCertificate: () => ({ fingerprint256: 'AA:BB', valid_to: 'Jan  1 00:00:00 2020 GMT' }),
    } as unknown as TLSSocket;
    expect(verifyPeer(socket, undefined)).toBe('certificate expired (valid until Jan  1 00:00:00 2020 GMT)');
  });

  it('without pins an unverified certificate is refused; a name mismatch names the server', () => {
    expect(verifyPeer(peer({ authorized: false, fingerprint256: FP, authorizationError: 'CERT_HAS_EXPIRED' }), undefined)).toBe(
      'certificate expired',
    );
    const mismatch = peer({ authorized: false, fingerprint256: FP, authorizationError: 'ERR_TLS_CERT_ALTNAME_INVALID', servername: 'pbx.example.com' });
    expect(verifyPeer(mismatch, { fingerprints256: [] })).toBe('certificate name mismatch (not valid for pbx.example.com)');
  });

  it('an unverified certificate with no error code reads "not verified"; an Error is described as such', () => {
    expect(verifyPeer(peer({ authorized: false, fingerprint256: FP }), undefined)).toBe('TLS handshake failed (not verified)');
    const e = Object.assign(new Error('expired'), { code: 'CERT_HAS_EXPIRED' });
    expect(verifyPeer(peer({ authorized: false, fingerprint256: FP, authorizationError: e }), undefined)).toBe('certificate expired');
  });

  it('pins match whatever their case and separators (stored upper-case without colons)', () => {
    expect(normalizeFingerprint('ab:cd:ef 01-23')).toBe('ABCDEF0123');
    const socket = peer({ authorized: false, fingerprint256: 'ab:cd:ef:01:23', authorizationError: 'DEPTH_ZERO_SELF_SIGNED_CERT' });
    expect(verifyPeer(socket, { fingerprints256: ['AB CD EF 01 23'] })).toBeNull();
  });

  it('a name mismatch without a server name names the address the socket reached', () => {
    const socket = peer({ authorized: false, fingerprint256: FP, authorizationError: 'ERR_TLS_CERT_ALTNAME_INVALID' });
    expect(verifyPeer(socket, undefined)).toBe('certificate name mismatch (not valid for 127.0.0.1)');
  });

  it('a peer that shows no certificate is refused even with pins set', () => {
    const socket = peer({ authorized: false, authorizationError: 'UNABLE_TO_GET_ISSUER_CERT' });
    expect(verifyPeer(socket, { fingerprints256: [FP] })).toBe(
      'pinned certificate mismatch: the server presented another certificate (no certificate); certificate not trusted (unknown issuer)',
    );
  });
});

describe('the rest of the words and the pin of a PEM (issue 17: Stryker survivors)', () => {
  const socket = (o: { error?: unknown; cert?: Record<string, unknown>; servername?: string; remoteAddress?: string }): TLSSocket =>
    ({
      authorized: false,
      authorizationError: o.error,
      servername: o.servername ?? '',
      remoteAddress: o.remoteAddress,
      getPeerCertificate: () => o.cert ?? {},
    }) as unknown as TLSSocket;

  it('a certificate not yet valid, a revoked one and an issuer missing locally are each named', () => {
    expect(describeTlsError(err('CERT_NOT_YET_VALID'))).toBe('certificate not yet valid');
    expect(describeTlsError(err('CERT_REVOKED'))).toBe('certificate revoked');
    expect(describeTlsError(err('UNABLE_TO_GET_ISSUER_CERT_LOCALLY'))).toBe('certificate not trusted (unknown issuer)');
    expect(describeTlsError(err('UNABLE_TO_GET_ISSUER_CERT'))).toBe('certificate not trusted (unknown issuer)');
    // an error without a code is read by its message (OpenSSL's code as text)
    expect(describeTlsError(new Error('CERT_HAS_EXPIRED'))).toBe('certificate expired');
    expect(describeTlsError(new Error('socket hang up'))).toBe('TLS handshake failed (socket hang up)');
  });

  it('an expired certificate without a readable end date reads just "certificate expired"', () => {
    expect(verifyPeer(socket({ error: 'CERT_HAS_EXPIRED', cert: { fingerprint256: 'AA:BB' } }), undefined)).toBe('certificate expired');
    expect(verifyPeer(socket({ error: 'CERT_HAS_EXPIRED', cert: { fingerprint256: 'AA:BB', valid_to: '' } }), undefined)).toBe('certificate expired');
    // the end date is told for expiry only, not for another error
    expect(verifyPeer(socket({ error: 'CERT_NOT_YET_VALID', cert: { fingerprint256: 'AA:BB', valid_to: 'Jan  1 00:00:00 2099 GMT' } }), undefined)).toBe(
      'certificate not yet valid',
    );
  });

  it('a name mismatch with neither server name nor address names "the server"', () => {
    expect(verifyPeer(socket({ error: 'ERR_TLS_CERT_ALTNAME_INVALID', cert: { fingerprint256: 'AA' } }), undefined)).toBe(
      'certificate name mismatch (not valid for the server)',
    );
  });

  it('a pin mismatch shows the first 8 octets of what the server presented; an empty fingerprint reads as no certificate', () => {
    const full = Array.from({ length: 32 }, (_, i) => i.toString(16).padStart(2, '0').toUpperCase()).join(':');
    const mismatch = verifyPeer(socket({ error: 'DEPTH_ZERO_SELF_SIGNED_CERT', cert: { fingerprint256: full } }), { fingerprints256: ['AB'] });
    expect(mismatch).toBe(
      'pinned certificate mismatch: the server presented another certificate (SHA-256 00:01:02:03:04:05:06:07…); certificate not trusted (self-signed)',
    );
    const empty = verifyPeer(socket({ error: 'DEPTH_ZERO_SELF_SIGNED_CERT', cert: { fingerprint256: '' } }), { fingerprints256: ['AB'] });
    expect(empty).toMatch(/\(no certificate\); certificate not trusted \(self-signed\)$/);
  });

  it('fingerprintOfPem is the SHA-256 of the certificate\'s DER, upper-case hex without separators', () => {
    const pem = readFileSync(fileURLToPath(new URL('../../../fixtures/smime/fuzz-signer.crt', import.meta.url)), 'utf8');
    const der = Buffer.from(pem.replace(/-----[^-]+-----/g, '').replace(/\s+/g, ''), 'base64');
    const want = createHash('sha256').update(der).digest('hex').toUpperCase();
    expect(want).toMatch(/^[0-9A-F]{64}$/);
    expect(fingerprintOfPem(pem)).toBe(want);
  });
});
