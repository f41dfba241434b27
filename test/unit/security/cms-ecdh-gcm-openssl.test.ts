/**
 * Key agreement and authenticated encryption against Debian's `openssl cms`, both ways:
 * ECDH (RFC 5753, ephemeral-static, X9.63 KDF, AES key wrap) to EC P-256 certificates, and AES-GCM in
 * AuthEnvelopedData (RFC 5083/5084, smime-type=authEnveloped-data) to RSA and EC certificates.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { certificateToPem, generateIdentity, type Identity, privateKeyToPem } from '../../../main/security/certificate.ts';
import { type ContentCipher, DecryptError, decryptData, encryptData } from '../../../main/security/cms-enveloped.ts';
import { buildInnerEntity } from '../../../main/security/smime-entity.ts';
import { openProtectedMessage, protectMessage } from '../../../main/security/smime-message.ts';
import { opensslDir, type OpensslDir } from './openssl.ts';

const inner = buildInnerEntity({ contentType: 'text/plain;charset=UTF-8', date: new Date('2026-12-06T15:00:00Z'), messageId: 'k1@carol', body: Buffer.from('héllo — agreed key') });

let rsa: Identity; // bob
let ec: Identity; // carol (ECDSA/ECDH P-256)
let ec2: Identity; // dave (P-256)
let ossl: OpensslDir;

beforeAll(async () => {
  [rsa, ec, ec2] = await Promise.all([
    generateIdentity('sip:bob@example.test'),
    generateIdentity('sip:carol@example.test', { kind: 'ecdsa-p256' }),
    generateIdentity('sip:dave@example.test', { kind: 'ecdsa-p256' }),
  ]);
  ossl = opensslDir();
  for (const [name, id] of [['rsa', rsa], ['ec', ec], ['ec2', ec2]] as const) {
    ossl.write(`${name}.crt`, certificateToPem(id.certificate));
    ossl.write(`${name}.key`, privateKeyToPem(id.privateKey));
  }
  ossl.write('inner.txt', inner);
}, 30_000);
afterAll(() => ossl?.remove());

async function opensslDecrypts(der: Uint8Array, who: 'rsa' | 'ec' | 'ec2'): Promise<Uint8Array> {
  ossl.write('ours.p7m', der);
  const r = await ossl.run(['cms', '-decrypt', '-inform', 'DER', '-in', 'ours.p7m', '-recip', `${who}.crt`, '-inkey', `${who}.key`, '-binary', '-out', 'ours.out']);
  expect(r.code, r.stderr).toBe(0);
  return ossl.read('ours.out');
}

async function opensslEncrypts(args: string[]): Promise<Uint8Array> {
  const r = await ossl.run(['cms', '-encrypt', '-binary', ...args, '-in', 'inner.txt', '-outform', 'DER', '-out', 'theirs.p7m']);
  expect(r.code, r.stderr).toBe(0);
  return ossl.read('theirs.p7m');
}

describe('ECDH key agreement (RFC 5753) ↔ OpenSSL', () => {
  it('OpenSSL decrypts what we encrypt to EC certificates (also mixed with an RSA recipient), CBC and GCM', async () => {
    for (const cipher of ['AES-256-CBC', 'AES-128-GCM', 'AES-256-GCM'] as ContentCipher[]) {
      const der = await encryptData(inner, [ec.certificate, rsa.certificate, ec2.certificate], cipher);
      expect(await opensslDecrypts(der, 'ec')).toEqual(inner);
      expect(await opensslDecrypts(der, 'ec2')).toEqual(inner);
      expect(await opensslDecrypts(der, 'rsa')).toEqual(inner);
      expect(await decryptData(der, ec2.certificate, ec2.privateKey)).toEqual(inner);
    }
  });

  it('we decrypt what OpenSSL encrypts to our EC certificate: its default (SHA-1 X9.63 KDF) and SHA-256 KDF, CBC and GCM', async () => {
    for (const extra of [[], ['-keyopt', 'ecdh_kdf_md:sha256']]) {
      for (const cipher of ['-aes-256-cbc', '-aes-128-gcm', '-aes-256-gcm']) {
        const der = await opensslEncrypts([cipher, '-recip', 'ec.crt', ...extra]);
        expect(await decryptData(der, ec.certificate, ec.privateKey), `${cipher} ${extra.join(' ')}`).toEqual(inner);
        await expect(decryptData(der, ec2.certificate, ec2.privateKey)).rejects.toMatchObject({ kind: 'not-for-us' });
      }
    }
  });

  it('cofactor ECDH (not supported by the library) is refused in words, never guessed', async () => {
    const der = await opensslEncrypts(['-aes-256-cbc', '-recip', 'ec.crt', '-keyopt', 'ecdh_cofactor_mode:1']);
    await expect(decryptData(der, ec.certificate, ec.privateKey)).rejects.toMatchObject({ kind: 'weak-algorithm' });
  });
});

describe('AES-GCM AuthEnvelopedData (RFC 5083/5084) ↔ OpenSSL', () => {
  it('OpenSSL 3 reads our authEnveloped-data to RSA (OAEP) and shows its structure', async () => {
    const der = await encryptData(inner, [rsa.certificate], 'AES-256-GCM');
    expect(await opensslDecrypts(der, 'rsa')).toEqual(inner);
    const parsed = await ossl.run(['asn1parse', '-inform', 'DER', '-in', 'ours.p7m']);
    expect(parsed.stdout).toContain('id-smime-ct-authEnvelopedData');
    expect(parsed.stdout).toContain('aes-256-gcm');
  });

  it('we decrypt OpenSSL authEnveloped-data to RSA; any flipped byte of ciphertext or tag is refused (GCM integrity)', async () => {
    const der = await opensslEncrypts(['-aes-256-gcm', '-recip', 'rsa.crt', '-keyopt', 'rsa_padding_mode:oaep', '-keyopt', 'rsa_oaep_md:sha256']);
    expect(await decryptData(der, rsa.certificate, rsa.privateKey)).toEqual(inner);
    // the last 16 octets are the tag (mac); before it, the tag's header, then the ciphertext
    for (const at of [der.length - 1, der.length - 10, der.length - 30, der.length - 60]) {
      const f = der.slice();
      f[at] = (f[at] ?? 0) ^ 0x01;
      const out = await decryptData(f, rsa.certificate, rsa.privateKey).catch((e: unknown) => e);
      expect(out, `flip at ${String(at)}`).toBeInstanceOf(DecryptError);
    }
  });

  it('sign then authEnvelope (RFC 8551 §3.7) opens as authEnveloped-data, verified, for an EC and an RSA recipient', async () => {
    const p = await protectMessage({ contentType: 'text/plain', date: new Date('2026-12-06T15:00:00Z'), messageId: 'g1@bob', body: Buffer.from('gcm signed') }, 'sign+encrypt', rsa, ec.certificate, 'AES-256-GCM');
    expect(p.contentType).toBe('application/pkcs7-mime;smime-type=authEnveloped-data;name=smime.p7m');
    const o = await openProtectedMessage(p.body, p.contentType, 'sip:bob@example.test', ec);
    expect(o).toMatchObject({ encrypted: true, signature: 'verified' });
    expect(Buffer.from(o.inner?.body ?? []).toString()).toBe('gcm signed');
    const mine = await openProtectedMessage(p.body, p.contentType, 'sip:bob@example.test', rsa); // our sent copy
    expect(mine.signature).toBe('verified');
    // OpenSSL: decrypt with carol's EC key, then verify bob's signature
    ossl.write('sg.p7m', p.body);
    const d = await ossl.run(['cms', '-decrypt', '-inform', 'DER', '-in', 'sg.p7m', '-recip', 'ec.crt', '-inkey', 'ec.key', '-binary', '-out', 'sg.signed']);
    expect(d.code, d.stderr).toBe(0);
    const v = await ossl.run(['cms', '-verify', '-inform', 'DER', '-in', 'sg.signed', '-CAfile', 'rsa.crt', '-purpose', 'any', '-binary', '-out', 'sg.out']);
    expect(v.stderr).toContain('Verification successful');
  });
});
