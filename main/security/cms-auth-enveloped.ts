/**
 * AuthEnvelopedData (RFC 5083) with AES-GCM (RFC 5084): glue between pkijs, which does the recipient
 * infos (key transport / key agreement) and AES-GCM through WebCrypto but knows only EnvelopedData, and the
 * RFC 5083 structure OpenSSL 3 writes for `cms -encrypt -aes-256-gcm`:
 *
 *   AuthEnvelopedData ::= SEQUENCE { version CMSVersion (0), originatorInfo [0] IMPLICIT OPTIONAL,
 *     recipientInfos RecipientInfos, authEncryptedContentInfo EncryptedContentInfo,
 *     authAttrs [1] IMPLICIT OPTIONAL, mac MessageAuthenticationCode, unauthAttrs [2] IMPLICIT OPTIONAL }
 *   GCMParameters ::= SEQUENCE { aes-nonce OCTET STRING, aes-ICVlen AES-GCM-ICVlen DEFAULT 12 }
 *
 * WebCrypto's AES-GCM output is ciphertext || tag: the tag becomes `mac` (RFC 5084 §3.2), and on receipt
 * ciphertext || mac is handed back to pkijs. Only a 16-octet tag is accepted (what OpenSSL writes and
 * WebCrypto checks by default); authenticated attributes are refused (they would be additional
 * authenticated data pkijs cannot pass on).
 */
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { OID } from './algorithms.ts';

const TAG_BYTES = 16;

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}

/** pkijs's AES-GCM EnvelopedData (encrypted with `nonce`, tag appended) → DER ContentInfo(AuthEnvelopedData). */
export function toAuthEnveloped(env: pkijs.EnvelopedData, nonce: Uint8Array): Uint8Array {
  const eci = env.encryptedContentInfo;
  const sealed = new Uint8Array(eci.getEncryptedContent());
  const ciphertext = sealed.subarray(0, sealed.length - TAG_BYTES);
  const tag = sealed.subarray(sealed.length - TAG_BYTES);
  const authEci = new pkijs.EncryptedContentInfo({
    contentType: OID.data,
    contentEncryptionAlgorithm: new pkijs.AlgorithmIdentifier({
      algorithmId: eci.contentEncryptionAlgorithm.algorithmId,
      algorithmParams: new asn1js.Sequence({ value: [new asn1js.OctetString({ valueHex: nonce }), new asn1js.Integer({ value: TAG_BYTES })] }),
    }),
    encryptedContent: new asn1js.OctetString({ valueHex: ciphertext }),
    disableSplit: true,
  });
  const authEnveloped = new asn1js.Sequence({
    value: [
      new asn1js.Integer({ value: 0 }),
      new asn1js.Set({ value: env.recipientInfos.map((r) => r.toSchema()) }),
      authEci.toSchema(),
      new asn1js.OctetString({ valueHex: tag }),
    ],
  });
  const info = new pkijs.ContentInfo({ contentType: OID.authEnvelopedData, content: authEnveloped });
  return new Uint8Array(info.toSchema().toBER(false));
}

function isContext(block: asn1js.AsnType, n: number): boolean {
  return block.idBlock.tagClass === 3 && block.idBlock.tagNumber === n;
}

/** the nonce of GCMParameters; only the 16-octet tag is supported */
function gcmNonce(params: unknown): Uint8Array {
  if (!(params instanceof asn1js.Sequence)) throw new Error('AES-GCM parameters missing');
  const [nonce, icvLen] = params.valueBlock.value;
  if (!(nonce instanceof asn1js.OctetString) || nonce.valueBlock.valueHexView.length === 0) throw new Error('AES-GCM nonce missing');
  const len = icvLen instanceof asn1js.Integer ? icvLen.valueBlock.valueDec : 12;
  if (len !== TAG_BYTES) throw new Error(`AES-GCM tag of ${String(len)} octets is not supported`);
  return nonce.valueBlock.valueHexView;
}

/** The content of a ContentInfo(AuthEnvelopedData) as a pkijs EnvelopedData that decrypts it with AES-GCM. */
export function parseAuthEnveloped(content: unknown): pkijs.EnvelopedData {
  if (!(content instanceof asn1js.Sequence)) throw new Error('authEnveloped-data is not a SEQUENCE');
  const items = content.valueBlock.value;
  let i = 0;
  const version = items[i++];
  if (!(version instanceof asn1js.Integer) || version.valueBlock.valueDec !== 0) throw new Error('authEnveloped-data version must be 0');
  if (items[i] !== undefined && isContext(items[i] as asn1js.AsnType, 0)) i++; // originatorInfo: not needed to decrypt
  const ris = items[i++];
  if (!(ris instanceof asn1js.Set) || ris.valueBlock.value.length === 0) throw new Error('no recipient infos');
  const recipientInfos = ris.valueBlock.value.map((schema) => new pkijs.RecipientInfo({ schema }));
  const eci = new pkijs.EncryptedContentInfo({ schema: items[i++] });
  if (items[i] !== undefined && isContext(items[i] as asn1js.AsnType, 1)) throw new Error('authenticated attributes are not supported');
  const mac = items[i];
  if (!(mac instanceof asn1js.OctetString) || mac.valueBlock.valueHexView.length !== TAG_BYTES) throw new Error('missing or wrong-size GCM tag');
  const alg = eci.contentEncryptionAlgorithm.algorithmId;
  if (alg !== OID.aes128Gcm && alg !== OID.aes256Gcm) throw new Error(`authEnveloped-data with ${alg}: only AES-GCM is supported`);
  if (!eci.encryptedContent) throw new Error('no encrypted content');
  const sealed = concat(new Uint8Array(eci.getEncryptedContent()), mac.valueBlock.valueHexView);
  return new pkijs.EnvelopedData({
    version: 2,
    recipientInfos,
    encryptedContentInfo: new pkijs.EncryptedContentInfo({
      contentType: eci.contentType,
      contentEncryptionAlgorithm: new pkijs.AlgorithmIdentifier({ algorithmId: alg, algorithmParams: new asn1js.OctetString({ valueHex: gcmNonce(eci.contentEncryptionAlgorithm.algorithmParams) }) }),
      encryptedContent: new asn1js.OctetString({ valueHex: sealed }),
      disableSplit: true,
    }),
  });
}
