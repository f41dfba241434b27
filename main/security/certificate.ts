/**
 * Certificates for S/MIME identities: self-signed with subjectAltName = the account's SIP URI
 * (RFC 3261 §23.2, RFC 8551 §3.1), parsing, SAN extraction and fingerprints.
 */
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { OID } from './algorithms.ts';
import { type CryptoKeyPair, engine, randomBytes, toArrayBuffer } from './engine.ts';
import { fromPem, toPem } from './pem.ts';

export interface Identity {
  /** DER certificate */
  certificate: Uint8Array;
  /** DER PKCS#8 private key (to be stored encrypted by the caller) */
  privateKey: Uint8Array;
}

export type KeyKind = 'rsa-2048' | 'ecdsa-p256';

const RSA_SIGN = { name: 'RSASSA-PKCS1-v1_5', modulusLength: 2048, publicExponent: new Uint8Array([1, 0, 1]), hash: 'SHA-256' };
const EC_SIGN = { name: 'ECDSA', namedCurve: 'P-256' };

/** Generate a key pair and a self-signed certificate naming `sipUri` in its subjectAltName. */
export async function generateIdentity(sipUri: string, options: { kind?: KeyKind; displayName?: string; now?: Date; years?: number } = {}): Promise<Identity> {
  const kind = options.kind ?? 'rsa-2048';
  const keys = (await engine.generateKey(kind === 'rsa-2048' ? RSA_SIGN : EC_SIGN, true, ['sign', 'verify'])) as CryptoKeyPair;
  const now = options.now ?? new Date();
  const cert = new pkijs.Certificate();
  cert.version = 2;
  const serial = randomBytes(16);
  serial[0] = ((serial[0] ?? 0) & 0x7f) | 0x40; // positive, minimally encoded INTEGER (RFC 5280 §4.1.2.2)
  cert.serialNumber = new asn1js.Integer({ valueHex: toArrayBuffer(serial) });
  const cn = new pkijs.AttributeTypeAndValue({ type: OID.commonName, value: new asn1js.Utf8String({ value: options.displayName ?? sipUri }) });
  cert.subject.typesAndValues.push(cn);
  cert.issuer.typesAndValues.push(new pkijs.AttributeTypeAndValue({ type: OID.commonName, value: new asn1js.Utf8String({ value: options.displayName ?? sipUri }) }));
  cert.notBefore.value = new Date(now.getTime() - 5 * 60_000);
  cert.notAfter.value = new Date(now.getTime() + (options.years ?? 5) * 365 * 86_400_000);

  const altNames = new pkijs.GeneralNames({ names: [new pkijs.GeneralName({ type: 6, value: sipUri })] });
  const basic = new pkijs.BasicConstraints({ cA: false });
  // digitalSignature (bit 0) + keyEncipherment (bit 2) for RSA; digitalSignature + keyAgreement (bit 4) for EC
  const usage = new asn1js.BitString({ valueHex: new Uint8Array([kind === 'rsa-2048' ? 0xa0 : 0x88]).buffer, unusedBits: kind === 'rsa-2048' ? 5 : 3 });
  const eku = new pkijs.ExtKeyUsage({ keyPurposes: [OID.emailProtection] });
  cert.extensions = [
    new pkijs.Extension({ extnID: OID.subjectAltName, critical: false, extnValue: altNames.toSchema().toBER(false), parsedValue: altNames }),
    new pkijs.Extension({ extnID: OID.basicConstraints, critical: true, extnValue: basic.toSchema().toBER(false), parsedValue: basic }),
    new pkijs.Extension({ extnID: OID.keyUsage, critical: true, extnValue: usage.toBER(false) }),
    new pkijs.Extension({ extnID: OID.extKeyUsage, critical: false, extnValue: eku.toSchema().toBER(false), parsedValue: eku }),
  ];
  await cert.subjectPublicKeyInfo.importKey(keys.publicKey, engine);
  await cert.sign(keys.privateKey, 'SHA-256', engine);
  const pkcs8 = await engine.exportKey('pkcs8', keys.privateKey);
  return { certificate: new Uint8Array(cert.toSchema(true).toBER(false)), privateKey: new Uint8Array(pkcs8) };
}

export function parseCertificate(der: Uint8Array): pkijs.Certificate {
  return pkijs.Certificate.fromBER(toArrayBuffer(der));
}

export function certificateToPem(der: Uint8Array): string {
  return toPem('CERTIFICATE', der);
}

export function certificateFromPem(pem: string): Uint8Array {
  const der = fromPem('CERTIFICATE', pem);
  parseCertificate(der); // throws on garbage
  return der;
}

export function privateKeyToPem(pkcs8: Uint8Array): string {
  return toPem('PRIVATE KEY', pkcs8);
}

/** URIs (and e-mail addresses as `mailto:`) in the certificate's subjectAltName */
export function subjectAltUris(cert: pkijs.Certificate): string[] {
  const ext = cert.extensions?.find((e) => e.extnID === OID.subjectAltName);
  if (!ext) return [];
  let names: pkijs.GeneralNames;
  try {
    names = ext.parsedValue instanceof pkijs.GeneralNames ? ext.parsedValue : pkijs.GeneralNames.fromBER(ext.extnValue.getValue());
  } catch {
    return []; // a damaged extension names nobody
  }
  const out: string[] = [];
  for (const n of names.names) {
    if (n.type === 6 && typeof n.value === 'string') out.push(n.value);
    if (n.type === 1 && typeof n.value === 'string') out.push(`mailto:${n.value}`);
  }
  return out;
}

/** SHA-256 over the DER certificate, as hex bytes */
export async function fingerprint(der: Uint8Array): Promise<string> {
  const digest = new Uint8Array(await engine.digest({ name: 'SHA-256' }, toArrayBuffer(der)));
  return Array.from(digest, (b) => b.toString(16).padStart(2, '0')).join('');
}

/**
 * The fingerprint as a safety number: 12 groups of 5 digits, read aloud and compared out of band
 * (like Signal's safety numbers). Derived from the first 30 bytes of the SHA-256 fingerprint.
 */
export async function safetyNumber(der: Uint8Array): Promise<string> {
  const hex = await fingerprint(der);
  const groups: string[] = [];
  for (let i = 0; i < 12; i++) {
    const chunk = Number.parseInt(hex.slice(i * 5, i * 5 + 5), 16); // 20 bits
    groups.push(String(chunk % 100_000).padStart(5, '0'));
  }
  return groups.join(' ');
}
