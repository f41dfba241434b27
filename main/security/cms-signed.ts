/**
 * CMS SignedData (RFC 5652 §5) for application/pkcs7-mime; smime-type=signed-data (RFC 8551 §3.5.2):
 * the content is encapsulated, signed with SHA-256 over signed attributes.
 */
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { checkDigest, checkSignature, OID } from './algorithms.ts';
import { parseCertificate, subjectAltUris } from './certificate.ts';
import { type CryptoKey, engine, toArrayBuffer } from './engine.ts';

export async function importSigningKey(pkcs8: Uint8Array, certificate: Uint8Array): Promise<CryptoKey> {
  const cert = parseCertificate(certificate);
  const spkiAlg = cert.subjectPublicKeyInfo.algorithm.algorithmId;
  const params =
    spkiAlg === '1.2.840.10045.2.1' ? { name: 'ECDSA', namedCurve: 'P-256' } : { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' };
  return engine.importKey('pkcs8', toArrayBuffer(pkcs8), params, false, ['sign']);
}

/** Sign `content` (the inner MIME entity) and return the DER ContentInfo. */
export async function signData(content: Uint8Array, certificate: Uint8Array, privateKey: CryptoKey, now = new Date()): Promise<Uint8Array> {
  const cert = parseCertificate(certificate);
  const digest = await engine.digest({ name: 'SHA-256' }, toArrayBuffer(content));
  const signedAttrs = new pkijs.SignedAndUnsignedAttributes({
    type: 0,
    attributes: [
      new pkijs.Attribute({ type: OID.contentType, values: [new asn1js.ObjectIdentifier({ value: OID.data })] }),
      new pkijs.Attribute({ type: OID.signingTime, values: [new asn1js.UTCTime({ valueDate: now })] }),
      new pkijs.Attribute({ type: OID.messageDigest, values: [new asn1js.OctetString({ valueHex: digest })] }),
    ],
  });
  const signed = new pkijs.SignedData({
    version: 1,
    encapContentInfo: new pkijs.EncapsulatedContentInfo({
      eContentType: OID.data,
      eContent: new asn1js.OctetString({ valueHex: toArrayBuffer(content) }),
    }),
    signerInfos: [
      new pkijs.SignerInfo({
        version: 1,
        sid: new pkijs.IssuerAndSerialNumber({ issuer: cert.issuer, serialNumber: cert.serialNumber }),
        signedAttrs,
      }),
    ],
    certificates: [cert],
  });
  await signed.sign(privateKey, 0, 'SHA-256', undefined, engine);
  const info = new pkijs.ContentInfo({ contentType: OID.signedData, content: signed.toSchema(true) });
  return new Uint8Array(info.toSchema().toBER(false));
}

export type SignatureState = 'valid' | 'invalid' | 'weak-algorithm' | 'malformed';

export interface VerifiedContent {
  state: SignatureState;
  /** encapsulated content; present whenever it could be extracted, even when the signature fails */
  content?: Uint8Array;
  /** DER certificate of the signer (from the message or the caller's known certificates) */
  signerCertificate?: Uint8Array;
  /** URIs the signer certificate names (subjectAltName) */
  signerUris: string[];
  reason?: string;
}

/** DER of a parsed certificate; null when it cannot be re-encoded (a damaged field) */
function certDer(cert: pkijs.Certificate | undefined): Uint8Array | undefined {
  if (!cert) return undefined;
  try {
    return new Uint8Array(cert.toSchema(true).toBER(false));
  } catch {
    return undefined;
  }
}

function octets(value: asn1js.OctetString): Uint8Array {
  return new Uint8Array(value.getValue());
}

/**
 * Verify a DER ContentInfo(SignedData). `known` are certificates we already hold for the peer (used when
 * the message carries none). The chain is not checked: trust is TOFU/fingerprint, decided by the caller.
 */
export async function verifySigned(der: Uint8Array, known: readonly Uint8Array[] = []): Promise<VerifiedContent> {
  try {
    return await verifyParsed(der, known);
  } catch (err) {
    // bytes from the network: any fault in the library is a malformed message, never a crash
    return { state: 'malformed', signerUris: [], reason: (err as Error).message };
  }
}

async function verifyParsed(der: Uint8Array, known: readonly Uint8Array[]): Promise<VerifiedContent> {
  let signed: pkijs.SignedData;
  try {
    const info = pkijs.ContentInfo.fromBER(toArrayBuffer(der));
    if (info.contentType !== OID.signedData) return { state: 'malformed', signerUris: [], reason: 'not signed-data' };
    signed = new pkijs.SignedData({ schema: info.content });
  } catch (err) {
    return { state: 'malformed', signerUris: [], reason: (err as Error).message };
  }
  const eContent = signed.encapContentInfo.eContent;
  const content = eContent ? octets(eContent) : undefined;
  const signer = signed.signerInfos[0];
  if (!signer || signed.signerInfos.length !== 1) return { state: 'malformed', content, signerUris: [], reason: 'expected exactly one signer' };
  try {
    checkDigest(signer.digestAlgorithm.algorithmId);
    checkSignature(signer.signatureAlgorithm.algorithmId);
  } catch (err) {
    return { state: 'weak-algorithm', content, signerUris: [], reason: (err as Error).message };
  }
  if (!content) return { state: 'malformed', signerUris: [], reason: 'detached signature without content' };
  const certs = [...(signed.certificates ?? []).filter((c): c is pkijs.Certificate => c instanceof pkijs.Certificate)];
  for (const k of known) certs.push(parseCertificate(k));
  signed.certificates = certs;
  let signerCert: pkijs.Certificate | undefined;
  let ok: boolean;
  try {
    const result = await signed.verify({ signer: 0, checkChain: false, extendedMode: true }, engine);
    ok = result.signatureVerified === true;
    signerCert = result.signerCertificate ?? undefined;
  } catch (err) {
    const e = err as { signerCertificate?: pkijs.Certificate; message?: string };
    signerCert = e.signerCertificate;
    return {
      state: 'invalid',
      content,
      signerCertificate: certDer(signerCert),
      signerUris: signerCert ? subjectAltUris(signerCert) : [],
      reason: e.message ?? 'signature does not verify',
    };
  }
  if (ok && signerCert && signerCert.issuer.isEqual(signerCert.subject)) {
    // self-signed (our kind): its own signature must hold, else the identity in it was altered
    ok = await signerCert.verify(undefined, engine).catch(() => false);
  }
  const signerDer = certDer(signerCert);
  if (!signerDer) ok = false; // an identity we cannot even re-encode is not one we can trust
  return {
    state: ok ? 'valid' : 'invalid',
    content,
    signerCertificate: signerDer,
    signerUris: signerCert ? subjectAltUris(signerCert) : [],
    reason: ok ? undefined : 'signature or certificate does not verify',
  };
}
