/**
 * Protect and open a MESSAGE body with S/MIME (RFC 3428 §11.3, RFC 8551 §3.7: sign, then encrypt).
 * Trust (TOFU, verified fingerprints) is decided by the caller with the signer's fingerprint; this file
 * reports what the cryptography says in plain states.
 */
import { certificateNamesAddress } from './address-match.ts';
import { fingerprint } from './certificate.ts';
import { type ContentCipher, decryptData, type DecryptError, encryptData } from './cms-enveloped.ts';
import { importSigningKey, signData, verifySigned } from './cms-signed.ts';
import { engine, toArrayBuffer } from './engine.ts';
import { buildInnerEntity, type InnerEntity, OUTER_CONTENT_DISPOSITION, outerContentType, parseInnerEntity, smimeTypeOf } from './smime-entity.ts';

export interface OwnIdentity {
  certificate: Uint8Array;
  privateKey: Uint8Array;
}

export type ProtectionMode = 'sign' | 'sign+encrypt';

export interface ProtectedBody {
  contentType: string;
  contentDisposition: string;
  body: Uint8Array;
}

/**
 * Sign the inner entity, and encrypt it for the peer (and ourselves) when asked: AES-CBC gives
 * enveloped-data, AES-GCM authEnveloped-data (RFC 8551 §3.2.2, RFC 5083).
 */
export async function protectMessage(inner: InnerEntity, mode: ProtectionMode, me: OwnIdentity, peerCertificate?: Uint8Array, cipher: ContentCipher = 'AES-256-CBC'): Promise<ProtectedBody> {
  const key = await importSigningKey(me.privateKey, me.certificate);
  const signed = await signData(buildInnerEntity(inner), me.certificate, key);
  if (mode === 'sign') return { contentType: outerContentType('signed-data'), contentDisposition: OUTER_CONTENT_DISPOSITION, body: signed };
  if (!peerCertificate) throw new Error("no certificate for the peer: can't encrypt");
  const enveloped = await encryptData(signed, [peerCertificate, me.certificate], cipher);
  const type = cipher.endsWith('GCM') ? 'authEnveloped-data' : 'enveloped-data';
  return { contentType: outerContentType(type), contentDisposition: OUTER_CONTENT_DISPOSITION, body: enveloped };
}

export type SignatureStatus =
  | 'verified' // valid signature, certificate names the From address
  | 'sender-mismatch' // valid signature by a certificate that names someone else
  | 'invalid' // signature or content altered
  | 'weak-algorithm'
  | 'unsigned'; // encrypted only (we never send that; others might)

export interface OpenedMessage {
  encrypted: boolean;
  signature: SignatureStatus;
  /** the parsed inner entity, when the bytes could be recovered (kept even when tampered) */
  inner?: InnerEntity;
  /** signer certificate (DER) and its SHA-256 fingerprint, for the trust store */
  signerCertificate?: Uint8Array;
  signerFingerprint?: string;
  /** SHA-256 of the inner entity bytes (hex): replay key when there is no Message-ID */
  digest?: string;
  /** why it failed, for diagnostics */
  reason?: string;
}

export class UnprotectError extends Error {
  /** status to answer the MESSAGE with (RFC 3261 §23.2: 493 Undecipherable when we cannot decrypt) */
  readonly status: 400 | 415 | 493;
  constructor(status: UnprotectError['status'], message: string) {
    super(message);
    this.name = 'UnprotectError';
    this.status = status;
  }
}

async function sha256Hex(bytes: Uint8Array): Promise<string> {
  const d = new Uint8Array(await engine.digest({ name: 'SHA-256' }, toArrayBuffer(bytes)));
  return Array.from(d, (b) => b.toString(16).padStart(2, '0')).join('');
}

const MAX_NESTING = 2; // enveloped → signed → entity

/** Open an application/pkcs7-mime body received from `fromUri`. */
export async function openProtectedMessage(body: Uint8Array, contentType: string, fromUri: string, me: OwnIdentity | undefined, knownPeerCertificates: readonly Uint8Array[] = []): Promise<OpenedMessage> {
  let type = smimeTypeOf(contentType);
  if (type === null) throw new UnprotectError(415, 'not application/pkcs7-mime');
  let bytes = body;
  let encrypted = false;
  for (let depth = 0; depth < MAX_NESTING; depth++) {
    if (type === 'enveloped-data' || type === 'authEnveloped-data' || (type === 'unknown' && !encrypted && depth === 0 && looksEnveloped(bytes))) {
      if (!me) throw new UnprotectError(493, 'no S/MIME key for this account');
      try {
        bytes = await decryptData(bytes, me.certificate, me.privateKey);
      } catch (err) {
        const e = err as DecryptError;
        throw new UnprotectError(e.kind === 'malformed' ? 400 : 493, `Undecipherable: ${e.message}`);
      }
      encrypted = true;
      type = 'unknown'; // the decrypted content is either signed-data or a MIME entity
      continue;
    }
    break;
  }
  const v = await verifySigned(bytes, knownPeerCertificates);
  if (v.state === 'malformed' && encrypted) {
    // encrypted but unsigned: the content is the entity itself
    return { encrypted, signature: 'unsigned', inner: tryParse(bytes), digest: await sha256Hex(bytes), reason: 'not signed' };
  }
  if (v.state === 'malformed') throw new UnprotectError(400, `Malformed S/MIME body: ${v.reason ?? ''}`);
  const inner = v.content ? tryParse(v.content) : undefined;
  const digest = v.content ? await sha256Hex(v.content) : undefined;
  const signerFingerprint = v.signerCertificate ? await fingerprint(v.signerCertificate) : undefined;
  let signature: SignatureStatus;
  if (v.state === 'valid') signature = certificateNamesAddress(v.signerUris, fromUri) ? 'verified' : 'sender-mismatch';
  else signature = v.state === 'weak-algorithm' ? 'weak-algorithm' : 'invalid';
  return { encrypted, signature, inner, signerCertificate: v.signerCertificate, signerFingerprint, digest, reason: v.reason };
}

function tryParse(bytes: Uint8Array): InnerEntity | undefined {
  try {
    return parseInnerEntity(bytes);
  } catch {
    return undefined;
  }
}

/** an (auth)enveloped-data ContentInfo starts with the id-envelopedData or id-ct-authEnvelopedData OID */
const ENVELOPE_OIDS = [
  [0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x07, 0x03],
  [0x06, 0x0b, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x09, 0x10, 0x01, 0x17],
];
function looksEnveloped(bytes: Uint8Array): boolean {
  const head = bytes.subarray(0, 24);
  for (const oid of ENVELOPE_OIDS) {
    for (let i = 0; i + oid.length <= head.length; i++) if (oid.every((b, j) => head[i + j] === b)) return true;
  }
  return false;
}
