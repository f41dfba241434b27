/**
 * CMS EnvelopedData (RFC 5652 §6) for application/pkcs7-mime; smime-type=enveloped-data (RFC 8551 §3.3):
 * AES-CBC content encryption (what every CMS toolkit decrypts), key transport RSAES-OAEP with SHA-256
 * (RFC 3560). AES-GCM is accepted when received. RSAES-PKCS1-v1_5 key transport cannot be unwrapped
 * with WebCrypto and is refused, as are RC2/DES/3DES content ciphers.
 */
import * as pkijs from 'pkijs';
import { checkContentCipher, checkKeyTransport, OID } from './algorithms.ts';
import { parseCertificate } from './certificate.ts';
import { engine, toArrayBuffer } from './engine.ts';

export type ContentCipher = 'AES-128-CBC' | 'AES-256-CBC' | 'AES-128-GCM' | 'AES-256-GCM';

function cipherParams(c: ContentCipher): { name: string; length: number } {
  return { name: c.endsWith('GCM') ? 'AES-GCM' : 'AES-CBC', length: c.startsWith('AES-128') ? 128 : 256 };
}

/** Encrypt `content` for each recipient certificate (and ourselves, so that our sent copy stays readable). */
export async function encryptData(content: Uint8Array, recipients: readonly Uint8Array[], cipher: ContentCipher = 'AES-256-CBC'): Promise<Uint8Array> {
  if (recipients.length === 0) throw new Error('no recipient certificate');
  const env = new pkijs.EnvelopedData();
  for (const r of recipients) {
    const cert = parseCertificate(r);
    if (cert.subjectPublicKeyInfo.algorithm.algorithmId !== OID.rsaEncryption) throw new Error('only RSA recipient certificates can be encrypted to');
    env.addRecipientByCertificate(cert, { oaepHashAlgorithm: 'SHA-256' }, 1, engine);
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

function sameIssuerSerial(rid: pkijs.IssuerAndSerialNumber, cert: pkijs.Certificate): boolean {
  return rid.issuer.isEqual(cert.issuer) && rid.serialNumber.isEqual(cert.serialNumber);
}

/** Decrypt a DER ContentInfo(EnvelopedData) with our certificate and PKCS#8 private key. */
export async function decryptData(der: Uint8Array, certificate: Uint8Array, privateKey: Uint8Array): Promise<Uint8Array> {
  let env: pkijs.EnvelopedData;
  try {
    const info = pkijs.ContentInfo.fromBER(toArrayBuffer(der));
    if (info.contentType !== OID.envelopedData) throw new Error('not enveloped-data');
    env = new pkijs.EnvelopedData({ schema: info.content });
  } catch (err) {
    throw new DecryptError('malformed', (err as Error).message);
  }
  try {
    checkContentCipher(env.encryptedContentInfo.contentEncryptionAlgorithm.algorithmId);
  } catch (err) {
    throw new DecryptError('weak-algorithm', (err as Error).message);
  }
  const cert = parseCertificate(certificate);
  const index = env.recipientInfos.findIndex(
    (r) => r.variant === 1 && r.value instanceof pkijs.KeyTransRecipientInfo && r.value.rid instanceof pkijs.IssuerAndSerialNumber && sameIssuerSerial(r.value.rid, cert),
  );
  if (index < 0) throw new DecryptError('not-for-us', 'no recipient matches our certificate');
  const ktri = env.recipientInfos[index]?.value as pkijs.KeyTransRecipientInfo;
  try {
    checkKeyTransport(ktri.keyEncryptionAlgorithm.algorithmId);
  } catch (err) {
    throw new DecryptError('weak-algorithm', (err as Error).message);
  }
  try {
    const plain = await env.decrypt(index, { recipientCertificate: cert, recipientPrivateKey: toArrayBuffer(privateKey) }, engine);
    return new Uint8Array(plain);
  } catch (err) {
    throw new DecryptError('failed', (err as Error).message ?? 'decryption failed');
  }
}
