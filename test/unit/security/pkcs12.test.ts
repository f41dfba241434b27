import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { certificateToPem, generateIdentity, type Identity, parseCertificate, privateKeyToPem, subjectAltUris } from '../../../main/security/certificate.ts';
import { importPkcs12, Pkcs12Error } from '../../../main/security/pkcs12.ts';
import { openProtectedMessage, protectMessage } from '../../../main/security/smime-message.ts';
import { opensslDir, type OpensslDir } from './openssl.ts';

let ossl: OpensslDir;
let ca: Identity;

beforeAll(async () => {
  ossl = opensslDir();
  ca = await generateIdentity('sip:ca@example.com'); // only a key to issue with; OpenSSL does the issuing
  ossl.write('ca.key', privateKeyToPem(ca.privateKey));
  ossl.write('ext.cnf', 'subjectAltName=URI:sip:dana@example.com\nkeyUsage=critical,digitalSignature,keyEncipherment\nextendedKeyUsage=emailProtection\n');
  const steps: string[][] = [
    ['req', '-x509', '-new', '-key', 'ca.key', '-subj', '/CN=Example CA', '-days', '30', '-out', 'ca.crt'],
    ['genpkey', '-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:2048', '-out', 'dana.key'],
    ['req', '-new', '-key', 'dana.key', '-subj', '/CN=Dana', '-out', 'dana.csr'],
    ['x509', '-req', '-in', 'dana.csr', '-CA', 'ca.crt', '-CAkey', 'ca.key', '-CAcreateserial', '-days', '30', '-extfile', 'ext.cnf', '-out', 'dana.crt'],
    ['pkcs12', '-export', '-inkey', 'dana.key', '-in', 'dana.crt', '-certfile', 'ca.crt', '-passout', 'pass:s3cret é', '-out', 'dana.p12'],
  ];
  for (const args of steps) {
    const r = await ossl.run(args);
    if (r.code !== 0) throw new Error(`openssl ${args[0]}: ${r.stderr}`);
  }
}, 60_000);
afterAll(() => ossl?.remove());

describe('PKCS#12 import', () => {
  it('imports the key and the matching certificate from an OpenSSL PKCS#12 (PBES2, MAC checked)', async () => {
    const id = await importPkcs12(ossl.read('dana.p12'), 's3cret é');
    expect(subjectAltUris(parseCertificate(id.certificate))).toEqual(['sip:dana@example.com']); // not the CA's
    const p = await protectMessage({ contentType: 'text/plain', date: new Date(), body: new TextEncoder().encode('hi') }, 'sign+encrypt', id, id.certificate);
    expect((await openProtectedMessage(p.body, p.contentType, 'sip:dana@example.com', id)).signature).toBe('verified');
    // the PEM export of the imported certificate is what OpenSSL wrote
    const pem = certificateToPem(id.certificate);
    ossl.write('export.crt', pem);
    const cmp = await ossl.run(['x509', '-in', 'export.crt', '-noout', '-fingerprint', '-sha256']);
    const orig = await ossl.run(['x509', '-in', 'dana.crt', '-noout', '-fingerprint', '-sha256']);
    expect(cmp.stdout).toBe(orig.stdout);
  });

  it('refuses a wrong password and garbage', async () => {
    await expect(importPkcs12(ossl.read('dana.p12'), 'wrong')).rejects.toBeInstanceOf(Pkcs12Error);
    await expect(importPkcs12(new Uint8Array([0x30, 0x03, 0x02, 0x01, 0x03]), 'x')).rejects.toBeInstanceOf(Pkcs12Error);
  });
});
