/**
 * TLS server certificate checks for outgoing connections (RFC 3261 §26.3.1, RFC 5922).
 *
 * By default Node verifies the chain against the system roots and the name against `serverName` (the SIP
 * domain, §4 of RFC 5922). A user may trust one specific (e.g. self-signed) certificate for one
 * destination, never by switching verification off:
 *  - `ca`: PEM certificates added to the system roots for that destination; chain AND name still checked.
 *  - `fingerprints256`: the exact certificate pinned by its SHA-256 fingerprint; a connection whose
 *    certificate does not verify normally is accepted only when its fingerprint equals a pin.
 */
import { X509Certificate } from 'node:crypto';
import { rootCertificates, type ConnectionOptions, type TLSSocket } from 'node:tls';
import { isNumericHost } from './address.ts';
import type { Endpoint } from './types.ts';

export interface TlsTrust {
  /** PEM certificates to trust for this destination (besides the system roots) */
  readonly ca?: readonly string[];
  /** SHA-256 fingerprints (`AA:BB:...` or plain hex, any case) of certificates trusted as they are */
  readonly fingerprints256?: readonly string[];
}

/** per destination (look at `serverName`, `address`, `port`) the explicit trust, if the user gave one */
export type TlsTrustLookup = (destination: Endpoint) => TlsTrust | undefined;

export function normalizeFingerprint(fp: string): string {
  return fp.replace(/[^0-9a-f]/gi, '').toUpperCase();
}

export function fingerprintOfPem(pem: string): string {
  return normalizeFingerprint(new X509Certificate(pem).fingerprint256);
}

/** node:tls connect options for a destination; name verified against serverName (or the address). */
export function tlsConnectOptions(destination: Endpoint, trust: TlsTrust | undefined): ConnectionOptions {
  const name = destination.serverName ?? destination.address;
  const options: ConnectionOptions = { host: destination.address, port: destination.port, minVersion: 'TLSv1.2' };
  // SNI and the name check use `servername` (the SIP domain, RFC 5922 §4); SNI must not be an IP
  // (RFC 6066 §3): without it Node checks the certificate's IP SANs against `host`
  if (!isNumericHost(name)) options.servername = name;
  if (trust?.ca && trust.ca.length > 0) options.ca = [...rootCertificates, ...trust.ca];
  if (trust?.fingerprints256 && trust.fingerprints256.length > 0) {
    // checked by verifyPeer right after the handshake, for this one connection only
    options.rejectUnauthorized = false;
  }
  return options;
}

/**
 * After 'secureConnect': null when the peer is trusted, else a clear reason. With fingerprint pins the
 * handshake did not reject, so the check happens here: a normally verified certificate or a pinned one.
 */
export function verifyPeer(socket: TLSSocket, trust: TlsTrust | undefined): string | null {
  if (socket.authorized) return null;
  const pins = (trust?.fingerprints256 ?? []).map(normalizeFingerprint);
  const cert = socket.getPeerCertificate();
  if (typeof cert.fingerprint256 === 'string' && pins.includes(normalizeFingerprint(cert.fingerprint256))) {
    return null;
  }
  // Node gives the OpenSSL/Node error code as a string here
  const code: unknown = socket.authorizationError;
  let check: string;
  if (code instanceof Error) check = describeTlsError(code);
  else {
    const name = socket.servername || socket.remoteAddress || 'the server';
    const message = code === 'ERR_TLS_CERT_ALTNAME_INVALID' ? `not valid for ${name}` : String(code ?? 'not verified');
    check = describeTlsError(Object.assign(new Error(message), { code: String(code) }));
    if (code === 'CERT_HAS_EXPIRED' && typeof cert.valid_to === 'string' && cert.valid_to !== '') check = `certificate expired (valid until ${cert.valid_to})`;
  }
  // the user pinned a certificate and the server shows another one: say so first (issue 11), then
  // what the normal checks found (untrusted issuer, expired, wrong host name)
  if (pins.length > 0) {
    const presented = typeof cert.fingerprint256 === 'string' && cert.fingerprint256 !== '' ? `SHA-256 ${cert.fingerprint256.slice(0, 23)}…` : 'no certificate';
    return `pinned certificate mismatch: the server presented another certificate (${presented}); ${check}`;
  }
  return check;
}

/** Maps OpenSSL/Node verification errors to the words the user sees. */
export function describeTlsError(err: Error): string {
  const code = (err as { code?: unknown }).code;
  const c = typeof code === 'string' ? code : err.message;
  switch (c) {
    case 'DEPTH_ZERO_SELF_SIGNED_CERT':
    case 'SELF_SIGNED_CERT_IN_CHAIN':
      return 'certificate not trusted (self-signed)';
    case 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY':
    case 'UNABLE_TO_GET_ISSUER_CERT':
    case 'UNABLE_TO_VERIFY_LEAF_SIGNATURE':
      return 'certificate not trusted (unknown issuer)';
    case 'CERT_HAS_EXPIRED':
      return 'certificate expired';
    case 'CERT_NOT_YET_VALID':
      return 'certificate not yet valid';
    case 'CERT_REVOKED':
      return 'certificate revoked';
    case 'ERR_TLS_CERT_ALTNAME_INVALID':
      return `certificate name mismatch (${err.message})`;
    default:
      return `TLS handshake failed (${err.message})`;
  }
}
