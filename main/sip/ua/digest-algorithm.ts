/**
 * Digest algorithms and their hash function H() (RFC 2617 §3.2.1, RFC 7616 §3.2/§3.4, RFC 8760 §2).
 * SIP inherits HTTP Digest through RFC 3261 §22.4; RFC 8760 adds SHA-256 and SHA-512/256 to SIP.
 */
import { createHash, getHashes } from 'node:crypto';

export type DigestAlgorithm =
  | 'MD5'
  | 'MD5-sess'
  | 'SHA-256'
  | 'SHA-256-sess'
  | 'SHA-512-256'
  | 'SHA-512-256-sess';

interface AlgorithmInfo {
  readonly name: DigestAlgorithm;
  /** node:crypto hash name */
  readonly hash: string;
  /** RFC 7616 §3.4.2: A1 of a "-sess" algorithm includes nonce and cnonce */
  readonly session: boolean;
  /** higher is stronger; a "-sess" variant ranks just above its plain form */
  readonly strength: number;
}

const ALGORITHMS: readonly AlgorithmInfo[] = [
  { name: 'MD5', hash: 'md5', session: false, strength: 10 },
  { name: 'MD5-sess', hash: 'md5', session: true, strength: 11 },
  { name: 'SHA-256', hash: 'sha256', session: false, strength: 20 },
  { name: 'SHA-256-sess', hash: 'sha256', session: true, strength: 21 },
  { name: 'SHA-512-256', hash: 'sha512-256', session: false, strength: 30 },
  { name: 'SHA-512-256-sess', hash: 'sha512-256', session: true, strength: 31 },
];

const BY_LOWER = new Map(ALGORITHMS.map((a) => [a.name.toLowerCase(), a]));

/**
 * Maps an `algorithm` parameter to a known algorithm, case-insensitively (RFC 7616 §3.3:
 * "algorithm ... the value is case-insensitive" in practice; RFC 2617 tokens). An absent
 * parameter means MD5 (RFC 2617 §3.2.1, RFC 7616 §3.3). Unknown values give null.
 */
export function parseDigestAlgorithm(value: string | undefined): DigestAlgorithm | null {
  if (value === undefined) return 'MD5';
  return BY_LOWER.get(value.trim().toLowerCase())?.name ?? null;
}

function info(alg: DigestAlgorithm): AlgorithmInfo {
  const found = BY_LOWER.get(alg.toLowerCase());
  if (!found) throw new Error(`unknown digest algorithm ${alg}`);
  return found;
}

export function isSessionAlgorithm(alg: DigestAlgorithm): boolean {
  return info(alg).session;
}

export function algorithmStrength(alg: DigestAlgorithm): number {
  return info(alg).strength;
}

let available: Set<string> | null = null;

/**
 * Whether this runtime can compute the algorithm's hash (Electron's BoringSSL may lack
 * SHA-512/256); algorithms we cannot compute are never chosen.
 */
export function isAlgorithmAvailable(alg: DigestAlgorithm): boolean {
  available ??= new Set(getHashes().map((h) => h.toLowerCase()));
  return available.has(info(alg).hash);
}

/** H(data) as lower-case hex (RFC 7616 §3.2: "the hex output of the hash"); strings hash as UTF-8. */
export function digestHash(alg: DigestAlgorithm, data: string | Uint8Array): string {
  return createHash(info(alg).hash).update(data).digest('hex');
}
