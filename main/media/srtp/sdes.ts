/**
 * SDES: the SDP `a=crypto` attribute (RFC 4568 §9.1) that carries SRTP master keys in the offer/answer.
 *
 *   a=crypto:<tag> <crypto-suite> inline:<base64(key||salt)>[|<lifetime>][|<MKI>:<length>] [<session-params>]
 *
 * We offer and accept the two mandatory-to-implement suites (§6.2.1, §6.2.2) with one inline key, no
 * MKI and no session parameters (UNENCRYPTED_SRTP, KDR… are refused: the line is skipped, so a line we
 * cannot honour is never half-applied). A line from the network that does not parse is skipped too.
 */
import { randomBytes } from 'node:crypto';
import { MASTER_KEY_LENGTH, MASTER_SALT_LENGTH } from './srtp-keys.ts';
import type { SrtpSuite } from './srtp-context.ts';

export const SRTP_SUITES: readonly SrtpSuite[] = ['AES_CM_128_HMAC_SHA1_80', 'AES_CM_128_HMAC_SHA1_32'];

export interface CryptoAttribute {
  /** 1..999999999, chosen by the offerer; the answer repeats the accepted one (§5.1) */
  readonly tag: number;
  readonly suite: SrtpSuite;
  readonly masterKey: Buffer;
  readonly masterSalt: Buffer;
}

const KEY_SALT_LENGTH = MASTER_KEY_LENGTH + MASTER_SALT_LENGTH; // 30 octets = 40 base64 characters
const LINE = /^(\d{1,9}) ([A-Z0-9_]+) inline:([A-Za-z0-9+/]{40})(?:\|(2\^\d{1,2}|\d{1,15}))?$/;

/** Parses the value of one `a=crypto:` attribute (without the `crypto:` name); null when we cannot use it. */
export function parseCryptoAttribute(value: string): CryptoAttribute | null {
  const m = LINE.exec(value.trim());
  if (m === null) return null;
  const tag = Number.parseInt(m[1]!, 10);
  const suite = m[2] as SrtpSuite;
  if (tag < 1 || !SRTP_SUITES.includes(suite)) return null;
  const lifetime = m[4];
  // §6.1: lifetime in packets; RFC 3711 §9.2 caps SRTP at 2^48 packets — a shorter lifetime we would have to re-key for
  if (lifetime !== undefined) {
    const packets = lifetime.startsWith('2^') ? 2 ** Number.parseInt(lifetime.slice(2), 10) : Number.parseInt(lifetime, 10);
    if (packets < 2 ** 31) return null;
  }
  const keySalt = Buffer.from(m[3]!, 'base64');
  if (keySalt.length !== KEY_SALT_LENGTH) return null;
  return { tag, suite, masterKey: keySalt.subarray(0, MASTER_KEY_LENGTH), masterSalt: keySalt.subarray(MASTER_KEY_LENGTH) };
}

export function formatCryptoAttribute(a: CryptoAttribute): string {
  return `${String(a.tag)} ${a.suite} inline:${Buffer.concat([a.masterKey, a.masterSalt]).toString('base64')}`;
}

/** A fresh master key and salt from the OS CSPRNG (RFC 4568 §8.1: keys MUST be random). */
export function newCryptoAttribute(tag: number, suite: SrtpSuite): CryptoAttribute {
  const keySalt = randomBytes(KEY_SALT_LENGTH);
  return { tag, suite, masterKey: keySalt.subarray(0, MASTER_KEY_LENGTH), masterSalt: keySalt.subarray(MASTER_KEY_LENGTH) };
}
