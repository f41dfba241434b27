/**
 * CMS EnvelopedData (RFC 5652 §6) for application/pkcs7-mime; smime-type=enveloped-data (RFC 8551 §3.3),
 * and AuthEnvelopedData (RFC 5083) with AES-GCM (RFC 5084) for smime-type=authEnveloped-data
 * (cms-auth-enveloped.ts). Recipients: RSA certificates get RSAES-OAEP with SHA-256 key transport
 * (RFC 3560); EC (P-256/384/521) certificates get ephemeral-static ECDH key agreement with the X9.63 KDF
 * over SHA-256 and AES key wrap (RFC 5753 §3.1). Content encryption we send: AES-256-CBC by default (what
 * every CMS toolkit decrypts) or AES-GCM in AuthEnvelopedData. RSAES-PKCS1-v1_5 key transport cannot be
 * unwrapped with WebCrypto and is refused, as are RC2/DES/3DES content ciphers.
 */
import * as pkijs from 'pkijs';
import { checkContentCipher, checkKeyAgreement, checkKeyTransport, OID } from './algorithms.ts';
import { toAuthEnveloped, parseAuthEnveloped } from './cms-auth-enveloped.ts';
import { parseCertificate } from './certificate.ts';
import { engine, randomBytes, toArrayBuffer } from './engine.ts';

export type ContentCipher = 'AES-128-CBC' | 'AES-256-CBC' | 'AES-128-GCM' | 'AES-256-GCM';

function cipherParams(c: ContentCipher): { name: string; length: number } {
  return { name: c.endsWith('GCM') ? 'AES-GCM' : 'AES-CBC', length: c.startsWith('AES-128') ? 128 : 256 };
}

/** the engine, except that AES-GCM content encryption uses `nonce` as its IV */
function withGcmNonce(nonce: Uint8Array): typeof engine {
  const wrapped = Object.create(engine) as typeof engine;
  wrapped.encrypt = (algorithm, key, data) => {
    const name = typeof algorithm === 'string' ? algorithm : algorithm.name;
    return engine.encrypt(name === 'AES-GCM' ? { name, iv: toArrayBuffer(nonce) } : algorithm, key, data);
  };
  return wrapped;
}

/**
 * Encrypt `content` for each recipient certificate (and ourselves, so that our sent copy stays readable).
 * A CBC cipher gives a ContentInfo(EnvelopedData); a GCM cipher a ContentInfo(AuthEnvelopedData).
 */
export async function encryptData(content: Uint8Array, recipients: readonly Uint8Array[], cipher: ContentCipher = 'AES-256-CBC'): Promise<Uint8Array> {
  if (recipients.length === 0) throw new Error('no recipient certificate');
  const env = new pkijs.EnvelopedData();
  for (const r of recipients) {
    const cert = parseCertificate(r);
    const alg = cert.subjectPublicKeyInfo.algorithm.algorithmId;
    if (alg === OID.rsaEncryption) env.addRecipientByCertificate(cert, { oaepHashAlgorithm: 'SHA-256' }, 1, engine);
    else if (alg === OID.ecPublicKey) env.addRecipientByCertificate(cert, { kdfAlgorithm: 'SHA-256', kekEncryptionLength: 256 }, 2, engine);
    else throw new Error('only RSA and EC recipient certificates can be encrypted to');
  }
  if (cipher.endsWith('GCM')) {
    // RFC 5084 §3.2: a 12-octet nonce (pkijs would use 16, which OpenSSL does not read back)
    const nonce = randomBytes(12);
    await env.encrypt(cipherParams(cipher), toArrayBuffer(content), withGcmNonce(nonce));
    return toAuthEnveloped(env, nonce);
  }
  await env.encrypt(cipherParams(cipher), toArrayBuffer(content), engine);
  const info = new pkijs.ContentInfo({ contentType: OID.envelopedData, content: env.toSchema() });
  return new Uint8Array(info.toSchema().toBER(false));
}

export class DecryptError extends Error {
  readonly kind: 'malformed' | 'weak-algorithm' | 'not-for-us' | 'failed';
  constructor(kind: DecryptError['kind'], message: string) {
    super(message);
    this.name = 'DecryptError';
    this.kind = kind;
  }
}

function sameIssuerSerial(rid: unknown, cert: pkijs.Certificate): boolean {
  return rid instanceof pkijs.IssuerAndSerialNumber && rid.issuer.isEqual(cert.issuer) && rid.serialNumber.isEqual(cert.serialNumber);
}

/** the index of the RecipientInfo addressed to `cert`: KeyTrans (RSA) or KeyAgree (ECDH) */
function recipientIndex(env: pkijs.EnvelopedData, cert: pkijs.Certificate): number {
  return env.recipientInfos.findIndex((r) => {
    if (r.variant === 1 && r.value instanceof pkijs.KeyTransRecipientInfo) return sameIssuerSerial(r.value.rid, cert);
    if (r.variant === 2 && r.value instanceof pkijs.KeyAgreeRecipientInfo) {
      // pkijs unwraps the first RecipientEncryptedKey of a KeyAgreeRecipientInfo
      const first = r.value.recipientEncryptedKeys.encryptedKeys[0];
      return first !== undefined && first.rid.variant === 1 && sameIssuerSerial(first.rid.value, cert);
    }
    return false;
  });
}

function checkRecipientAlgorithms(info: pkijs.RecipientInfo): void {
  if (info.value instanceof pkijs.KeyTransRecipientInfo) {
    checkKeyTransport(info.value.keyEncryptionAlgorithm.algorithmId);
    return;
  }
  const kari = info.value as pkijs.KeyAgreeRecipientInfo;
  let wrap: string | undefined;
  try {
    wrap = new pkijs.AlgorithmIdentifier({ schema: kari.keyEncryptionAlgorithm.algorithmParams }).algorithmId;
  } catch {
    wrap = undefined;
  }
  checkKeyAgreement(kari.keyEncryptionAlgorithm.algorithmId, wrap);
}

/**
 * pkijs 4.0.0 builds the KDF's ECC-CMS-SharedInfo (RFC 5753 §7.2) with `entityUInfo: ukm ?? new OctetString()`,
 * so a KeyAgreeRecipientInfo without ukm (what OpenSSL writes) gets an empty [0] that the sender never
 * hashed, and the key unwrap fails. A falsy non-null ukm makes pkijs leave entityUInfo out, as RFC 5753 says.
 */
function omitAbsentUkm(info: pkijs.RecipientInfo): void {
  if (info.value instanceof pkijs.KeyAgreeRecipientInfo && info.value.ukm === undefined) {
    (info.value as unknown as { ukm: unknown }).ukm = '';
  }
}

function parseEnvelope(der: Uint8Array): pkijs.EnvelopedData {
  try {
    const info = pkijs.ContentInfo.fromBER(toArrayBuffer(der));
    if (info.contentType === OID.envelopedData) return new pkijs.EnvelopedData({ schema: info.content });
    if (info.contentType === OID.authEnvelopedData) return parseAuthEnveloped(info.content);
    throw new Error('neither enveloped-data nor authEnveloped-data');
  } catch (err) {
    throw new DecryptError('malformed', (err as Error).message);
  }
}

/** Decrypt a DER ContentInfo(EnvelopedData | AuthEnvelopedData) with our certificate and PKCS#8 private key. */
export async function decryptData(der: Uint8Array, certificate: Uint8Array, privateKey: Uint8Array): Promise<Uint8Array> {
  const env = parseEnvelope(der);
  try {
    checkContentCipher(env.encryptedContentInfo.contentEncryptionAlgorithm.algorithmId);
  } catch (err) {
    throw new DecryptError('weak-algorithm', (err as Error).message);
  }
  const cert = parseCertificate(certificate);
  const index = recipientIndex(env, cert);
  const info = env.recipientInfos[index];
  if (index < 0 || info === undefined) throw new DecryptError('not-for-us', 'no recipient matches our certificate');
  try {
    checkRecipientAlgorithms(info);
  } catch (err) {
    throw new DecryptError('weak-algorithm', (err as Error).message);
  }
  omitAbsentUkm(info);
  try {
    const plain = await env.decrypt(index, { recipientCertificate: cert, recipientPrivateKey: toArrayBuffer(privateKey) }, engine);
    return new Uint8Array(plain);
  } catch (err) {
    throw new DecryptError('failed', (err as Error).message ?? 'decryption failed');
  }
}
