/**
 * Algorithm policy for S/MIME (RFC 8551 §2, RFC 5751 §2.7): what we produce and what we accept.
 * MD5 and SHA-1 signatures, RC2, DES and 3DES content encryption are refused (RFC 8551 §2.1, §2.7).
 */

export const OID = {
  data: '1.2.840.113549.1.7.1',
  signedData: '1.2.840.113549.1.7.2',
  envelopedData: '1.2.840.113549.1.7.3',
  contentType: '1.2.840.113549.1.9.3',
  messageDigest: '1.2.840.113549.1.9.4',
  signingTime: '1.2.840.113549.1.9.5',
  subjectAltName: '2.5.29.17',
  basicConstraints: '2.5.29.19',
  keyUsage: '2.5.29.15',
  extKeyUsage: '2.5.29.37',
  emailProtection: '1.3.6.1.5.5.7.3.4',
  commonName: '2.5.4.3',
  rsaEncryption: '1.2.840.113549.1.1.1',
  rsaesOaep: '1.2.840.113549.1.1.7',
  /** RFC 5083 AuthEnvelopedData (smime-type=authEnveloped-data, RFC 8551 §3.2.2) */
  authEnvelopedData: '1.2.840.113549.1.9.16.1.23',
  ecPublicKey: '1.2.840.10045.2.1',
  aes128Gcm: '2.16.840.1.101.3.4.1.6',
  aes256Gcm: '2.16.840.1.101.3.4.1.46',
} as const;

/** digest algorithms we accept in a SignerInfo (SHA-2 family only) */
const DIGESTS: Record<string, string> = {
  '2.16.840.1.101.3.4.2.1': 'SHA-256',
  '2.16.840.1.101.3.4.2.2': 'SHA-384',
  '2.16.840.1.101.3.4.2.3': 'SHA-512',
};

/** signature algorithms we accept: RSA PKCS#1 v1.5 / PSS and ECDSA with SHA-2 */
const SIGNATURES = new Set([
  '1.2.840.113549.1.1.1', // rsaEncryption (digest given separately, must be SHA-2)
  '1.2.840.113549.1.1.10', // RSASSA-PSS
  '1.2.840.113549.1.1.11', // sha256WithRSAEncryption
  '1.2.840.113549.1.1.12', // sha384WithRSAEncryption
  '1.2.840.113549.1.1.13', // sha512WithRSAEncryption
  '1.2.840.10045.4.3.2', // ecdsa-with-SHA256
  '1.2.840.10045.4.3.3', // ecdsa-with-SHA384
  '1.2.840.10045.4.3.4', // ecdsa-with-SHA512
]);

/** content encryption we accept: AES-CBC and AES-GCM (RFC 8551 §2.7) */
const CONTENT_CIPHERS: Record<string, string> = {
  '2.16.840.1.101.3.4.1.2': 'AES-128-CBC',
  '2.16.840.1.101.3.4.1.22': 'AES-192-CBC',
  '2.16.840.1.101.3.4.1.42': 'AES-256-CBC',
  '2.16.840.1.101.3.4.1.6': 'AES-128-GCM',
  '2.16.840.1.101.3.4.1.46': 'AES-256-GCM',
};

/** key transport we can unwrap with WebCrypto (no RSAES-PKCS1-v1_5 there) */
const KEY_TRANSPORT = new Set<string>([OID.rsaesOaep]);

/**
 * ECDH key agreement (RFC 5753 §7.1.4, ephemeral-static stdDH with the X9.63 KDF) as pkijs implements it.
 * The SHA-1 variant is OpenSSL's default for `cms -encrypt` to an EC certificate: SHA-1 there is a key
 * derivation function, not a signature digest (RFC 8551 §2 bans the latter), so it is accepted.
 * cofactorDH and MQV are not supported by the library and are refused.
 */
const KEY_AGREEMENT = new Set<string>([
  '1.3.133.16.840.63.0.2', // dhSinglePass-stdDH-sha1kdf-scheme
  '1.3.132.1.11.1', // dhSinglePass-stdDH-sha256kdf-scheme
  '1.3.132.1.11.2', // dhSinglePass-stdDH-sha384kdf-scheme
  '1.3.132.1.11.3', // dhSinglePass-stdDH-sha512kdf-scheme
]);

/** AES key wrap (RFC 3394) of the content key inside a KeyAgreeRecipientInfo */
const KEY_WRAP = new Set<string>(['2.16.840.1.101.3.4.1.5', '2.16.840.1.101.3.4.1.25', '2.16.840.1.101.3.4.1.45']);

export class WeakAlgorithmError extends Error {
  constructor(what: string, oid: string) {
    super(`${what} algorithm ${oid} is not accepted (RFC 8551 §2)`);
    this.name = 'WeakAlgorithmError';
  }
}

export function checkDigest(oid: string): string {
  const name = DIGESTS[oid];
  if (!name) throw new WeakAlgorithmError('digest', oid);
  return name;
}

export function checkSignature(oid: string): void {
  if (!SIGNATURES.has(oid)) throw new WeakAlgorithmError('signature', oid);
}

export function checkContentCipher(oid: string): string {
  const name = CONTENT_CIPHERS[oid];
  if (!name) throw new WeakAlgorithmError('content encryption', oid);
  return name;
}

export function checkKeyTransport(oid: string): void {
  if (!KEY_TRANSPORT.has(oid)) throw new WeakAlgorithmError('key transport', oid);
}

export function checkKeyAgreement(oid: string, wrapOid: string | undefined): void {
  if (!KEY_AGREEMENT.has(oid)) throw new WeakAlgorithmError('key agreement', oid);
  if (wrapOid === undefined || !KEY_WRAP.has(wrapOid)) throw new WeakAlgorithmError('key wrap', wrapOid ?? 'none');
}
