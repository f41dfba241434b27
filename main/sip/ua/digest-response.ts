/**
 * The digest computation and the credentials value (RFC 2617 §3.2.2, RFC 7616 §3.4, RFC 3261 §22.4).
 *
 *   A1 = username ":" realm ":" password                    (RFC 7616 §3.4.2)
 *   A1-sess = H(username ":" realm ":" password) ":" nonce ":" cnonce
 *   A2 = method ":" digest-uri  [ ":" H(entity-body) for auth-int ]   (RFC 7616 §3.4.3)
 *   response = KD(H(A1), nonce ":" nc ":" cnonce ":" qop ":" H(A2))    (qop present)
 *   response = KD(H(A1), nonce ":" H(A2))                               (no qop, RFC 2069)
 *   KD(secret, data) = H(secret ":" data)
 */
import { digestHash, isSessionAlgorithm } from './digest-algorithm.ts';
import type { DigestAlgorithm } from './digest-algorithm.ts';
import type { DigestQop } from './digest-select.ts';

export interface DigestInput {
  readonly algorithm: DigestAlgorithm;
  /** the real user name (A1 always uses it, also with userhash) */
  readonly username: string;
  readonly password: string;
  readonly realm: string;
  readonly nonce: string;
  /** the request method; for ACK and CANCEL see RFC 3261 §22.1 (same as the INVITE's answer) */
  readonly method: string;
  /** digest-uri: the Request-URI as sent (RFC 3261 §22.4) */
  readonly uri: string;
  readonly qop: DigestQop | null;
  /** nonce count, 1-based; ignored when qop is null */
  readonly nc: number;
  /** ignored when qop is null and the algorithm is not "-sess" */
  readonly cnonce: string;
  /** message body, needed for auth-int (empty body when absent) */
  readonly body?: string | Uint8Array;
}

/** nc-value = 8LHEX (RFC 7616 §3.4). */
export function formatNonceCount(nc: number): string {
  if (!Number.isInteger(nc) || nc < 1 || nc > 0xffffffff) throw new RangeError(`bad nonce count ${nc}`);
  return nc.toString(16).padStart(8, '0');
}

/** RFC 7616 §3.4.4: username = H( unq(username) ":" unq(realm) ). */
export function digestUserhash(algorithm: DigestAlgorithm, username: string, realm: string): string {
  return digestHash(algorithm, `${username}:${realm}`);
}

export function computeDigestResponse(input: DigestInput): string {
  const H = (data: string | Uint8Array): string => digestHash(input.algorithm, data);
  let ha1 = H(`${input.username}:${input.realm}:${input.password}`);
  if (isSessionAlgorithm(input.algorithm)) ha1 = H(`${ha1}:${input.nonce}:${input.cnonce}`);
  const a2 =
    input.qop === 'auth-int'
      ? `${input.method}:${input.uri}:${H(input.body ?? '')}`
      : `${input.method}:${input.uri}`;
  const ha2 = H(a2);
  if (input.qop === null) return H(`${ha1}:${input.nonce}:${ha2}`);
  return H(`${ha1}:${input.nonce}:${formatNonceCount(input.nc)}:${input.cnonce}:${input.qop}:${ha2}`);
}

/** The fields of one Authorization / Proxy-Authorization value (RFC 3261 §25.1 digest-response). */
export interface DigestCredentialsValue {
  readonly username: string;
  readonly realm: string;
  readonly nonce: string;
  readonly uri: string;
  readonly response: string;
  /** the algorithm name as the challenge wrote it; omitted when the challenge had none */
  readonly algorithm: string | null;
  readonly cnonce: string | null;
  readonly opaque: string | null;
  readonly qop: DigestQop | null;
  readonly nc: number | null;
  readonly userhash: boolean;
}

function quote(s: string): string {
  return `"${s.replace(/[\\"]/g, (c) => `\\${c}`)}"`;
}

/**
 * `Digest username="..", realm="..", nonce="..", uri="..", response="..", algorithm=..,
 * cnonce="..", opaque="..", qop=auth, nc=00000001[, userhash=true]`: quoted where §25.1 says
 * quoted-string, tokens for algorithm, qop, nc (RFC 7616 §3.4 warns qop and nc are not quoted).
 */
export function formatDigestCredentials(v: DigestCredentialsValue): string {
  const parts = [
    `username=${quote(v.username)}`,
    `realm=${quote(v.realm)}`,
    `nonce=${quote(v.nonce)}`,
    `uri=${quote(v.uri)}`,
    `response=${quote(v.response)}`,
  ];
  if (v.algorithm !== null) parts.push(`algorithm=${v.algorithm}`);
  if (v.cnonce !== null) parts.push(`cnonce=${quote(v.cnonce)}`);
  // RFC 2617 §3.2.2: opaque MUST be returned unchanged
  if (v.opaque !== null) parts.push(`opaque=${quote(v.opaque)}`);
  if (v.qop !== null && v.nc !== null) parts.push(`qop=${v.qop}`, `nc=${formatNonceCount(v.nc)}`);
  if (v.userhash) parts.push('userhash=true');
  return `Digest ${parts.join(', ')}`;
}
