/**
 * Import a PKCS#12 file (RFC 7292) issued by the user's CA: the private key (PKCS#8) and the certificate
 * that belongs to it. Password-based PBES2 (what OpenSSL 3 writes) through pkijs; integrity MAC checked.
 */
import * as pkijs from 'pkijs';
import { parseCertificate } from './certificate.ts';
import type { Identity } from './certificate.ts';
import { importSigningKey } from './cms-signed.ts';
import { engine, toArrayBuffer } from './engine.ts';

const KEY_BAG = '1.2.840.113549.1.12.10.1.1';
const SHROUDED_KEY_BAG = '1.2.840.113549.1.12.10.1.2';
const CERT_BAG = '1.2.840.113549.1.12.10.1.3';

export class Pkcs12Error extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'Pkcs12Error';
  }
}

/** Returns the key and the certificate whose public key matches it. */
export async function importPkcs12(der: Uint8Array, password: string): Promise<Identity> {
  const pw = toArrayBuffer(new TextEncoder().encode(password));
  const keys: Uint8Array[] = [];
  const certs: Uint8Array[] = [];
  try {
    const pfx = pkijs.PFX.fromBER(toArrayBuffer(der));
    await pfx.parseInternalValues({ password: pw, checkIntegrity: true }, engine);
    const authSafe = pfx.parsedValue?.authenticatedSafe;
    if (!authSafe) throw new Error('no authenticated safe');
    await authSafe.parseInternalValues({ safeContents: authSafe.safeContents.map(() => ({ password: pw })) }, engine);
    for (const sc of authSafe.parsedValue?.safeContents ?? []) {
      for (const bag of sc.value.safeBags) {
        if (bag.bagId === SHROUDED_KEY_BAG) {
          const shrouded = bag.bagValue as pkijs.PKCS8ShroudedKeyBag;
          await (shrouded as unknown as { parseInternalValues(p: { password: ArrayBuffer }, c: unknown): Promise<void> }).parseInternalValues({ password: pw }, engine);
          if (shrouded.parsedValue) keys.push(new Uint8Array(shrouded.parsedValue.toSchema().toBER(false)));
        } else if (bag.bagId === KEY_BAG) {
          keys.push(new Uint8Array((bag.bagValue as pkijs.PrivateKeyInfo).toSchema().toBER(false)));
        } else if (bag.bagId === CERT_BAG) {
          const cb = bag.bagValue as pkijs.CertBag;
          if (cb.parsedValue instanceof pkijs.Certificate) certs.push(new Uint8Array(cb.parsedValue.toSchema(true).toBER(false)));
        }
      }
    }
  } catch (err) {
    throw new Pkcs12Error(`cannot open PKCS#12 (wrong password or unsupported format): ${(err as Error).message}`);
  }
  if (keys.length === 0) throw new Pkcs12Error('PKCS#12 holds no private key');
  const probe = new TextEncoder().encode('pkcs12 key/certificate match');
  for (const key of keys) {
    for (const cert of certs) {
      try {
        const priv = await importSigningKey(key, cert);
        const c = parseCertificate(cert);
        const alg = priv.algorithm.name === 'ECDSA' ? { name: 'ECDSA', hash: 'SHA-256' } : { name: priv.algorithm.name };
        const sig = await engine.sign(alg, priv, toArrayBuffer(probe));
        const pub = await c.getPublicKey(undefined, engine);
        if (await engine.verify(alg, pub, sig, toArrayBuffer(probe))) return { certificate: cert, privateKey: key };
      } catch {
        // not this pair
      }
    }
  }
  throw new Pkcs12Error('no certificate in the PKCS#12 matches its private key');
}
