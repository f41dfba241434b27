/**
 * The S/MIME body exactly as it travels in a SIP MESSAGE (base64, RFC 8551 §3.1.3) against Debian's
 * `openssl cms`, both ways: the SIP Content-Type and Content-Transfer-Encoding headers plus the body form a
 * MIME entity that OpenSSL reads with `-inform SMIME`; what `openssl cms -outform SMIME` writes we take as a
 * SIP body (its headers as the SIP headers) and open.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { certificateToPem, generateIdentity, type Identity, privateKeyToPem } from '../../../main/security/certificate.ts';
import { buildInnerEntity } from '../../../main/security/smime-entity.ts';
import { openProtectedMessage, protectMessage } from '../../../main/security/smime-message.ts';
import { decodeTransfer, encodeTransfer } from '../../../main/security/smime-transfer.ts';
import { opensslDir, type OpensslDir } from './openssl.ts';

const ALICE = 'sip:alice@pbx.example.com';
const BOB = 'sip:bob@pbx.example.com';
const entity = { contentType: 'text/plain;charset=UTF-8', date: new Date('2026-12-06T15:00:00Z'), messageId: 'm1@alice', body: Buffer.from('héllo Bob — over the wire') };

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
}, 30_000);
afterAll(() => ossl?.remove());

/** split what OpenSSL wrote as S/MIME into its MIME headers and body, like a SIP message carries them */
function asSipBody(mime: Uint8Array): { contentType: string; cte: string | null; body: Uint8Array } {
  const text = Buffer.from(mime).toString('latin1');
  const sep = /\r?\n\r?\n/.exec(text);
  if (!sep) throw new Error('no header/body separator');
  const headers = new Map<string, string>();
  for (const line of text.slice(0, sep.index).split(/\r?\n/)) {
    const c = line.indexOf(':');
    if (c > 0) headers.set(line.slice(0, c).trim().toLowerCase(), line.slice(c + 1).trim());
  }
  return { contentType: headers.get('content-type') ?? '', cte: headers.get('content-transfer-encoding') ?? null, body: Buffer.from(text.slice(sep.index + sep[0].length), 'latin1') };
}

describe('S/MIME on the SIP wire (base64) ↔ openssl cms -inform/-outform SMIME', () => {
  it('OpenSSL decrypts and verifies our base64 SIP body to the same signed inner entity', async () => {
    const p = await protectMessage(entity, 'sign+encrypt', alice, bob.certificate);
    const wire = encodeTransfer(p.body);
    // the SIP headers of the body + the body = a MIME entity (RFC 3261 §7.4, RFC 2045)
    ossl.write('wire.eml', Buffer.concat([Buffer.from(`Content-Type: ${p.contentType}\r\nContent-Transfer-Encoding: base64\r\n\r\n`), wire]));
    const d = await ossl.run(['cms', '-decrypt', '-inform', 'SMIME', '-in', 'wire.eml', '-recip', 'bob.crt', '-inkey', 'bob.key', '-binary', '-out', 'wire.signed']);
    expect(d.code, d.stderr).toBe(0);
    const v = await ossl.run(['cms', '-verify', '-inform', 'DER', '-in', 'wire.signed', '-CAfile', 'alice.crt', '-purpose', 'any', '-binary', '-out', 'wire.out']);
    expect(v.stderr).toContain('Verification successful');
    expect(ossl.read('wire.out')).toEqual(buildInnerEntity(entity));
  });

  it('we open what OpenSSL signs and encrypts for us in S/MIME form (base64), with and without the transfer-encoding header', async () => {
    ossl.write('inner.txt', buildInnerEntity(entity));
    const s = await ossl.run(['cms', '-sign', '-binary', '-nodetach', '-md', 'sha256', '-signer', 'bob.crt', '-inkey', 'bob.key', '-in', 'inner.txt', '-outform', 'DER', '-out', 'os.signed']);
    expect(s.code, s.stderr).toBe(0);
    const e = await ossl.run(['cms', '-encrypt', '-binary', '-aes-256-cbc', '-recip', 'alice.crt', '-keyopt', 'rsa_padding_mode:oaep', '-keyopt', 'rsa_oaep_md:sha256', '-in', 'os.signed', '-outform', 'SMIME', '-out', 'os.eml']);
    expect(e.code, e.stderr).toBe(0);
    const sip = asSipBody(ossl.read('os.eml'));
    expect(sip.cte).toBe('base64');
    expect(sip.contentType).toMatch(/^application\/(x-)?pkcs7-mime/);
    for (const header of [sip.cte, null]) {
      const o = await openProtectedMessage(decodeTransfer(sip.body, header), sip.contentType, BOB, alice);
      expect(o).toMatchObject({ encrypted: true, signature: 'verified' });
      expect(Buffer.from(o.inner?.body ?? []).toString()).toBe('héllo Bob — over the wire');
      expect(o.inner?.messageId).toBe('m1@alice');
    }
  });
});
