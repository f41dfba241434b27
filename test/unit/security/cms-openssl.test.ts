import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { certificateNamesAddress } from '../../../main/security/address-match.ts';
import { certificateToPem, fingerprint, generateIdentity, type Identity, parseCertificate, privateKeyToPem, safetyNumber, subjectAltUris } from '../../../main/security/certificate.ts';
import { DecryptError, decryptData, encryptData } from '../../../main/security/cms-enveloped.ts';
import { importSigningKey, signData, verifySigned } from '../../../main/security/cms-signed.ts';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { opensslDir, type OpensslDir } from './openssl.ts';

const FIXTURES = join(import.meta.dirname, '../../fixtures/smime');

const ALICE = 'sip:alice@pbx.example.com';
const BOB = 'sip:bob@pbx.example.com';
const inner = new TextEncoder().encode('Content-Type: text/plain;charset=UTF-8\r\nDate: Sun, 06 Dec 2026 15:00:00 GMT\r\n\r\nhéllo Bob — secret\r\n');

let alice: Identity;
let bob: Identity;
let ossl: OpensslDir;

beforeAll(async () => {
  [alice, bob] = await Promise.all([generateIdentity(ALICE), generateIdentity(BOB)]);
  ossl = opensslDir();
  ossl.write('alice.crt', certificateToPem(alice.certificate));
  ossl.write('alice.key', privateKeyToPem(alice.privateKey));
  ossl.write('bob.crt', certificateToPem(bob.certificate));
  ossl.write('bob.key', privateKeyToPem(bob.privateKey));
  ossl.write('in.txt', inner); // every test that hands OpenSSL the content finds it, in any order
}, 30_000);
afterAll(() => ossl?.remove());

describe('self-signed S/MIME certificate', () => {
  it('names the account SIP URI in subjectAltName and OpenSSL reads it', async () => {
    expect(subjectAltUris(parseCertificate(alice.certificate))).toEqual([ALICE]);
    const r = await ossl.run(['x509', '-in', 'alice.crt', '-noout', '-ext', 'subjectAltName,keyUsage,extendedKeyUsage', '-fingerprint', '-sha256']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`URI:${ALICE}`);
    expect(r.stdout).toContain('E-mail Protection');
    const ours = (await fingerprint(alice.certificate)).toUpperCase();
    expect(r.stdout.replace(/:/g, '')).toContain(ours);
    expect(await safetyNumber(alice.certificate)).toMatch(/^(\d{5} ){11}\d{5}$/);
  });

  it('generates ECDSA P-256 identities that sign and verify', async () => {
    const ec = await generateIdentity('sip:carol@example.com', { kind: 'ecdsa-p256' });
    const key = await importSigningKey(ec.privateKey, ec.certificate);
    const der = await signData(inner, ec.certificate, key);
    const v = await verifySigned(der);
    expect(v.state).toBe('valid');
    ossl.write('ec.p7m', der);
    ossl.write('ec.crt', certificateToPem(ec.certificate));
    const r = await ossl.run(['cms', '-verify', '-inform', 'DER', '-in', 'ec.p7m', '-CAfile', 'ec.crt', '-purpose', 'any', '-out', 'ec.out']);
    expect(r.stderr).toContain('Verification successful');
    expect(ossl.read('ec.out')).toEqual(inner);
  });
});

describe('signed-data: ours → OpenSSL', () => {
  it('OpenSSL verifies our signature and extracts the same bytes; a flipped byte fails', async () => {
    const key = await importSigningKey(alice.privateKey, alice.certificate);
    const der = await signData(inner, alice.certificate, key);
    ossl.write('signed.p7m', der);
    const ok = await ossl.run(['cms', '-verify', '-inform', 'DER', '-in', 'signed.p7m', '-CAfile', 'alice.crt', '-purpose', 'any', '-binary', '-out', 'signed.out']);
    expect(ok.stderr).toContain('Verification successful');
    expect(ossl.read('signed.out')).toEqual(inner);

    const at = Buffer.from(der).indexOf('secret');
    expect(at).toBeGreaterThan(0);
    const flipped = der.slice();
    flipped[at] = (flipped[at] ?? 0) ^ 0x01;
    ossl.write('flipped.p7m', flipped);
    const bad = await ossl.run(['cms', '-verify', '-inform', 'DER', '-in', 'flipped.p7m', '-CAfile', 'alice.crt', '-purpose', 'any', '-binary', '-out', 'flipped.out']);
    expect(bad.code).not.toBe(0);
    expect((await verifySigned(flipped)).state).toBe('invalid');
  });
});

describe('signed-data: OpenSSL → ours', () => {
  it('we verify what OpenSSL signs with our certificate, bind it to From, and flag a mismatch', async () => {
    ossl.write('in.txt', inner);
    const r = await ossl.run(['cms', '-sign', '-binary', '-nodetach', '-md', 'sha256', '-signer', 'bob.crt', '-inkey', 'bob.key', '-in', 'in.txt', '-outform', 'DER', '-out', 'os.p7m']);
    expect(r.code, r.stderr).toBe(0);
    const v = await verifySigned(ossl.read('os.p7m'));
    expect(v.state).toBe('valid');
    expect(v.content).toEqual(inner);
    expect(certificateNamesAddress(v.signerUris, '"Bob" <sip:bob@PBX.example.com;transport=tcp>')).toBe(true);
    expect(certificateNamesAddress(v.signerUris, ALICE)).toBe(false); // signer ≠ From
  });

  // Deterministic: a fixed key and certificate (test/fixtures/smime, RSA PKCS#1 v1.5 signs deterministically),
  // so every run flips the same fields; only the signingTime value changes with the clock, and its digits
  // are covered exhaustively below (a digit flipped to a non-digit once made pkijs re-encode a year 1899).
  // signed once, by whichever of the two tests below runs first (each works alone and in any order)
  let fixedSigned: Promise<Uint8Array> | null = null;
  const signedOnFixedMaterial = (): Promise<Uint8Array> =>
    (fixedSigned ??= (async () => {
      ossl.write('fz.crt', readFileSync(join(FIXTURES, 'fuzz-signer.crt')));
      ossl.write('fz.key', readFileSync(join(FIXTURES, 'fuzz-signer.key')));
      const r = await ossl.run(['cms', '-sign', '-binary', '-nodetach', '-md', 'sha256', '-signer', 'fz.crt', '-inkey', 'fz.key', '-in', 'in.txt', '-outform', 'DER', '-out', 'fz.p7m']);
      expect(r.code, r.stderr).toBe(0);
      return ossl.read('fz.p7m');
    })());

  it('every flipped byte of an OpenSSL signature is detected (never valid with other content), on fixed material', async () => {
    const der = await signedOnFixedMaterial();
    expect((await verifySigned(der)).state).toBe('valid');
    let detected = 0;
    const positions = Array.from({ length: 60 }, (_, i) => Math.floor((i * der.length) / 60));
    for (const at of positions) {
      const f = der.slice();
      f[at] = (f[at] ?? 0) ^ 0x04;
      const v = await verifySigned(f);
      if (v.state !== 'valid') detected++;
      // a flip outside what is signed (e.g. the certificate's outer algorithm field) never changes the content;
      // a changed certificate has another fingerprint, which the trust store reports as a changed certificate
      else expect(v.content).toEqual(inner);
    }
    expect(detected).toBeGreaterThan(positions.length * 0.8);
  });

  it('a damaged UTCTime (signingTime or certificate validity) is never valid and never throws', async () => {
    const der = await signedOnFixedMaterial();
    const times: number[] = [];
    for (let i = 0; i + 15 <= der.length; i++) if (der[i] === 0x17 && der[i + 1] === 13 && der[i + 14] === 0x5a) times.push(i + 2);
    expect(times.length).toBe(3); // notBefore, notAfter, signingTime
    for (const start of times) {
      for (let d = 0; d < 12; d++) {
        for (const ch of ['=', '9', 'A']) {
          const f = der.slice();
          if (f[start + d] === ch.charCodeAt(0)) continue;
          f[start + d] = ch.charCodeAt(0);
          const v = await verifySigned(f);
          expect(v.state, `UTCTime at ${String(start)} digit ${String(d)} → ${ch}`).not.toBe('valid');
        }
      }
    }
  });

  it('refuses SHA-1 signatures', async () => {
    const r = await ossl.run(['cms', '-sign', '-binary', '-nodetach', '-md', 'sha1', '-signer', 'bob.crt', '-inkey', 'bob.key', '-in', 'in.txt', '-outform', 'DER', '-out', 'sha1.p7m']);
    expect(r.code, r.stderr).toBe(0);
    expect((await verifySigned(ossl.read('sha1.p7m'))).state).toBe('weak-algorithm');
  });
});

describe('enveloped-data', () => {
  it('OpenSSL decrypts what we encrypt (AES-256-CBC, RSA-OAEP) to the same bytes', async () => {
    const der = await encryptData(inner, [bob.certificate, alice.certificate]);
    ossl.write('enc.p7m', der);
    const r = await ossl.run(['cms', '-decrypt', '-inform', 'DER', '-in', 'enc.p7m', '-recip', 'bob.crt', '-inkey', 'bob.key', '-binary', '-out', 'enc.out']);
    expect(r.code, r.stderr).toBe(0);
    expect(ossl.read('enc.out')).toEqual(inner);
    expect(await decryptData(der, alice.certificate, alice.privateKey)).toEqual(inner); // our sent copy
  });

  it('we decrypt what OpenSSL encrypts for our certificate; tampering and weak ciphers are refused', async () => {
    for (const cipher of ['-aes-128-cbc', '-aes-256-cbc']) {
      const r = await ossl.run(['cms', '-encrypt', '-binary', cipher, '-recip', 'alice.crt', '-keyopt', 'rsa_padding_mode:oaep', '-keyopt', 'rsa_oaep_md:sha256', '-in', 'in.txt', '-outform', 'DER', '-out', 'os-enc.p7m']);
      expect(r.code, r.stderr).toBe(0);
      expect(await decryptData(ossl.read('os-enc.p7m'), alice.certificate, alice.privateKey)).toEqual(inner);
    }
    const der = ossl.read('os-enc.p7m');
    const f = der.slice();
    f[f.length - 20] = (f[f.length - 20] ?? 0) ^ 0x01;
    const out = await decryptData(f, alice.certificate, alice.privateKey).catch((e: unknown) => e);
    // CBC has no integrity of its own: either padding fails or the bytes differ; the signature inside catches the rest
    if (out instanceof Uint8Array) expect(out).not.toEqual(inner);
    else expect(out).toBeInstanceOf(DecryptError);

    const des = await ossl.run(['cms', '-encrypt', '-binary', '-des3', '-recip', 'alice.crt', '-keyopt', 'rsa_padding_mode:oaep', '-in', 'in.txt', '-outform', 'DER', '-out', 'des.p7m']);
    expect(des.code, des.stderr).toBe(0);
    await expect(decryptData(ossl.read('des.p7m'), alice.certificate, alice.privateKey)).rejects.toMatchObject({ kind: 'weak-algorithm' });
    await expect(decryptData(der, bob.certificate, bob.privateKey)).rejects.toMatchObject({ kind: 'not-for-us' });
  });

  it('sign then encrypt (RFC 8551 §3.7) round-trips through OpenSSL both ways', async () => {
    const key = await importSigningKey(alice.privateKey, alice.certificate);
    const der = await encryptData(await signData(inner, alice.certificate, key), [bob.certificate]);
    ossl.write('se.p7m', der);
    const d = await ossl.run(['cms', '-decrypt', '-inform', 'DER', '-in', 'se.p7m', '-recip', 'bob.crt', '-inkey', 'bob.key', '-binary', '-out', 'se.signed']);
    expect(d.code, d.stderr).toBe(0);
    const v = await ossl.run(['cms', '-verify', '-inform', 'DER', '-in', 'se.signed', '-CAfile', 'alice.crt', '-purpose', 'any', '-binary', '-out', 'se.out']);
    expect(v.stderr).toContain('Verification successful');
    expect(ossl.read('se.out')).toEqual(inner);
  });
});
