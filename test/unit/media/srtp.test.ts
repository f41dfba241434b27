/**
 * SRTP (RFC 3711) with SDES keys (RFC 4568): known answers from RFC 3711 Appendix B.2 (AES-CM keystream)
 * and B.3 (key derivation), libsrtp's reference packet for AES_CM_128_HMAC_SHA1_80, then the receiver's
 * rules: tag checked before decrypting, replay list, rollover counter across the 16-bit wrap.
 */
import { describe, expect, it } from 'vitest';
import { SrtpContext, aesCmXor, deriveSessionKey, estimateRoc, formatCryptoAttribute, packetIv, parseCryptoAttribute, sessionKeys } from '../../../main/media/srtp/index.ts';

const hex = (s: string): Buffer => Buffer.from(s.replace(/\s+/g, ''), 'hex');
const MASTER_KEY = hex('E1F97A0D3E018BE0D64FA32C06DE4139');
const MASTER_SALT = hex('0EC675AD498AFEEBB6960B3AABE6');

function rtp(seq: number, payload: Buffer, ssrc = 0xcafebabe, extra: Buffer = Buffer.alloc(0)): Buffer {
  const h = Buffer.alloc(12);
  h[0] = extra.length > 0 ? 0x90 : 0x80;
  h[1] = 0x0f;
  h.writeUInt16BE(seq & 0xffff, 2);
  h.writeUInt32BE(0xdecafbad, 4);
  h.writeUInt32BE(ssrc >>> 0, 8);
  return Buffer.concat([h, extra, payload]);
}

describe('RFC 3711 known answers', () => {
  it('B.3: the session keys of the example master key and salt', () => {
    expect(deriveSessionKey(MASTER_KEY, MASTER_SALT, 0x00, 16)).toEqual(hex('C61E7A93744F39EE10734AFE3FF7A087'));
    expect(deriveSessionKey(MASTER_KEY, MASTER_SALT, 0x02, 14)).toEqual(hex('30CBBC08863D8C85D49DB34A9AE1'));
    expect(deriveSessionKey(MASTER_KEY, MASTER_SALT, 0x01, 20)).toEqual(hex('CEBE321F6FF7716B6FD4AB49AF256A156D38BAA4'));
    const keys = sessionKeys(MASTER_KEY, MASTER_SALT, 'rtp');
    expect(keys.cipherKey).toEqual(hex('C61E7A93744F39EE10734AFE3FF7A087'));
    expect(keys.authKey).toHaveLength(20);
    // SRTCP keys come from other labels (§4.3.2): different keys
    expect(sessionKeys(MASTER_KEY, MASTER_SALT, 'rtcp').cipherKey).not.toEqual(keys.cipherKey);
  });

  it('B.2: the AES-CM keystream for SSRC 0, index 0 (first three and last three blocks of 65,282)', () => {
    const key = hex('2B7E151628AED2A6ABF7158809CF4F3C');
    const iv = packetIv(hex('F0F1F2F3F4F5F6F7F8F9FAFBFCFD'), 0, 0);
    expect(iv).toEqual(hex('F0F1F2F3F4F5F6F7F8F9FAFBFCFD0000'));
    const stream = aesCmXor(key, iv, Buffer.alloc(0xff02 * 16));
    const block = (i: number): Buffer => stream.subarray(i * 16, (i + 1) * 16);
    expect(block(0)).toEqual(hex('E03EAD0935C95E80E166B16DD92B4EB4'));
    expect(block(1)).toEqual(hex('D23513162B02D0F72A43A2FE4A5F97AB'));
    expect(block(2)).toEqual(hex('41E95B3BB0A2E8DD477901E4FCA894C0'));
    expect(block(0xfeff)).toEqual(hex('EC8CDF7398607CB0F2D21675EA9EA1E4'));
    expect(block(0xff00)).toEqual(hex('362B7C3C6773516318A077D7FC5073AE'));
    expect(block(0xff01)).toEqual(hex('6A2CC3787889374FBEB4C81B17BA6C44'));
  });

  it('the IV places the SSRC at 2^64 and the 48-bit index at 2^16 (§4.1.1)', () => {
    const salt = hex('30CBBC08863D8C85D49DB34A9AE1');
    expect(packetIv(salt, 0xcafebabe, 0x1234)).toEqual(hex('30CBBC084CC3363BD49DB34A88D50000'));
    expect(packetIv(Buffer.alloc(14), 0, 0xabcd_1234_5678)).toEqual(hex('0000000000000000ABCD123456780000'));
  });
});

describe('SRTP packets', () => {
  it("libsrtp's reference packet: AES_CM_128_HMAC_SHA1_80, SSRC 0xcafebabe, seq 0x1234, 16 octets of 0xab", () => {
    const ctx = new SrtpContext('AES_CM_128_HMAC_SHA1_80', MASTER_KEY, MASTER_SALT);
    const plain = rtp(0x1234, Buffer.alloc(16, 0xab));
    const expected = hex('800f1234 decafbad cafebabe 4e55dc4ce79978d88ca4d215949d2402 b78d6acc99ea179b8dbb');
    expect(ctx.protectRtp(plain)).toEqual(expected);
    const receiver = new SrtpContext('AES_CM_128_HMAC_SHA1_80', MASTER_KEY, MASTER_SALT);
    expect(receiver.unprotectRtp(expected)).toEqual({ ok: true, packet: plain });
  });

  it('_32 carries a 4-octet tag; CSRCs and a header extension stay in clear, the payload does not', () => {
    const ctx = new SrtpContext('AES_CM_128_HMAC_SHA1_32', MASTER_KEY, MASTER_SALT);
    const ext = hex('BEDE0001 11223344');
    const plain = rtp(7, Buffer.from('the payload is secret'), 0x01020304, ext);
    const sealed = ctx.protectRtp(plain);
    expect(sealed.length).toBe(plain.length + 4);
    expect(sealed.subarray(0, 20)).toEqual(plain.subarray(0, 20));
    expect(sealed.includes(Buffer.from('secret'))).toBe(false);
    expect(new SrtpContext('AES_CM_128_HMAC_SHA1_32', MASTER_KEY, MASTER_SALT).unprotectRtp(sealed)).toEqual({ ok: true, packet: plain });
  });

  it('a flipped bit anywhere, a wrong key or a cut packet is refused before decryption', () => {
    const sealed = new SrtpContext('AES_CM_128_HMAC_SHA1_80', MASTER_KEY, MASTER_SALT).protectRtp(rtp(1, Buffer.alloc(160, 0x55)));
    for (const at of [0, 3, 11, 12, 100, sealed.length - 1]) {
      const bad = Buffer.from(sealed);
      bad[at] = (bad[at] ?? 0) ^ 0x01;
      expect(new SrtpContext('AES_CM_128_HMAC_SHA1_80', MASTER_KEY, MASTER_SALT).unprotectRtp(bad).ok).toBe(false);
    }
    const other = new SrtpContext('AES_CM_128_HMAC_SHA1_80', Buffer.alloc(16, 1), MASTER_SALT);
    expect(other.unprotectRtp(sealed)).toEqual({ ok: false, reason: 'authentication failed' });
    expect(new SrtpContext('AES_CM_128_HMAC_SHA1_80', MASTER_KEY, MASTER_SALT).unprotectRtp(sealed.subarray(0, 15)).ok).toBe(false);
    expect(new SrtpContext('AES_CM_128_HMAC_SHA1_80', MASTER_KEY, MASTER_SALT).unprotectRtp(Buffer.alloc(0)).ok).toBe(false);
  });

  it('a replayed packet, or one older than the 64-packet window, is refused (§3.3.2); reordering inside it is fine', () => {
    const tx = new SrtpContext('AES_CM_128_HMAC_SHA1_80', MASTER_KEY, MASTER_SALT);
    const rx = new SrtpContext('AES_CM_128_HMAC_SHA1_80', MASTER_KEY, MASTER_SALT);
    const sealed = Array.from({ length: 100 }, (_, i) => tx.protectRtp(rtp(1000 + i, Buffer.from([i]))));
    expect(rx.unprotectRtp(sealed[0]!).ok).toBe(true);
    expect(rx.unprotectRtp(sealed[0]!)).toEqual({ ok: false, reason: 'replayed packet' });
    expect(rx.unprotectRtp(sealed[5]!).ok).toBe(true);
    expect(rx.unprotectRtp(sealed[3]!).ok).toBe(true); // late but inside the window
    expect(rx.unprotectRtp(sealed[99]!).ok).toBe(true);
    expect(rx.unprotectRtp(sealed[20]!)).toEqual({ ok: false, reason: 'replayed packet' }); // 79 behind: outside
    expect(rx.unprotectRtp(sealed[40]!).ok).toBe(true); // 59 behind: inside
    expect(rx.unprotectRtp(sealed[40]!)).toEqual({ ok: false, reason: 'replayed packet' });
  });

  it('the rollover counter follows the 16-bit wrap on both sides, also with reordering across it (§3.3.1)', () => {
    const tx = new SrtpContext('AES_CM_128_HMAC_SHA1_80', MASTER_KEY, MASTER_SALT);
    const rx = new SrtpContext('AES_CM_128_HMAC_SHA1_80', MASTER_KEY, MASTER_SALT);
    const seqs = [65533, 65534, 65535, 0, 1, 2];
    const sealed = seqs.map((s) => tx.protectRtp(rtp(s, Buffer.from(`n${String(s)}`))));
    const order = [0, 1, 3, 2, 4, 5]; // 0 (after the wrap) arrives before 65535
    for (const i of order) {
      const r = rx.unprotectRtp(sealed[i]!);
      expect(r.ok).toBe(true);
      if (r.ok) expect(r.packet.subarray(12).toString()).toBe(`n${String(seqs[i])}`);
    }
    // a sender that wrapped encrypts with ROC 1: the same seq before and after the wrap differ on the wire
    const again = new SrtpContext('AES_CM_128_HMAC_SHA1_80', MASTER_KEY, MASTER_SALT);
    expect(again.protectRtp(rtp(1, Buffer.from('n1')))).not.toEqual(sealed[4]);
  });

  it('estimateRoc: Appendix A cases', () => {
    expect(estimateRoc({ roc: 5, highest: 100 }, 101)).toBe(5);
    expect(estimateRoc({ roc: 5, highest: 100 }, 65000)).toBe(4); // late packet from before the wrap
    expect(estimateRoc({ roc: 5, highest: 65000 }, 3)).toBe(6); // new packet after the wrap
    expect(estimateRoc({ roc: 5, highest: 65000 }, 64000)).toBe(5);
    expect(estimateRoc({ roc: 0, highest: 10 }, 65530)).toBe(2 ** 32 - 1);
  });
});

describe('SRTCP packets (§3.4)', () => {
  const rtcp = hex('81c8000b cafebabe abababababababababababababababab');
  it("encrypts after the first 8 octets with E=1 and the index; libsrtp's reference ciphertext at index 1", () => {
    const tx = new SrtpContext('AES_CM_128_HMAC_SHA1_32', MASTER_KEY, MASTER_SALT);
    const first = tx.protectRtcp(rtcp);
    expect(first.subarray(24, 28)).toEqual(hex('80000000')); // the SRTCP index starts at 0 (§3.4)
    const second = tx.protectRtcp(rtcp);
    expect(second.subarray(0, 28)).toEqual(hex('81c8000b cafebabe 7128035be487b9bdbef89041f977a5a8 80000001'));
    expect(second.length).toBe(28 + 10); // SRTCP keeps the 80-bit tag even for the _32 suite
    const rx = new SrtpContext('AES_CM_128_HMAC_SHA1_32', MASTER_KEY, MASTER_SALT);
    expect(rx.unprotectRtcp(first)).toEqual({ ok: true, packet: rtcp });
    expect(rx.unprotectRtcp(second)).toEqual({ ok: true, packet: rtcp });
    expect(rx.unprotectRtcp(second)).toEqual({ ok: false, reason: 'replayed packet' });
    const bad = Buffer.from(second);
    bad[10] = (bad[10] ?? 0) ^ 0x80;
    expect(new SrtpContext('AES_CM_128_HMAC_SHA1_32', MASTER_KEY, MASTER_SALT).unprotectRtcp(bad)).toEqual({ ok: false, reason: 'authentication failed' });
  });
});

describe('SDES a=crypto (RFC 4568 §9.1)', () => {
  const inline = Buffer.concat([MASTER_KEY, MASTER_SALT]).toString('base64');
  it('parses the suites we support with one inline key and an optional lifetime; formats back', () => {
    const a = parseCryptoAttribute(`1 AES_CM_128_HMAC_SHA1_80 inline:${inline}`);
    expect(a).toEqual({ tag: 1, suite: 'AES_CM_128_HMAC_SHA1_80', masterKey: MASTER_KEY, masterSalt: MASTER_SALT });
    expect(formatCryptoAttribute(a!)).toBe(`1 AES_CM_128_HMAC_SHA1_80 inline:${inline}`);
    expect(parseCryptoAttribute(`2 AES_CM_128_HMAC_SHA1_32 inline:${inline}|2^31`)?.suite).toBe('AES_CM_128_HMAC_SHA1_32');
  });

  it('skips what it cannot honour: unknown suite, MKI, session parameters, short lifetime, bad key', () => {
    for (const v of [
      `1 AES_256_CM_HMAC_SHA1_80 inline:${inline}`,
      `1 AES_CM_128_HMAC_SHA1_80 inline:${inline}|2^20|1:4`,
      `1 AES_CM_128_HMAC_SHA1_80 inline:${inline} UNENCRYPTED_SRTP`,
      `1 AES_CM_128_HMAC_SHA1_80 inline:${inline}|2^20`,
      `1 AES_CM_128_HMAC_SHA1_80 inline:${inline.slice(4)}`,
      `0 AES_CM_128_HMAC_SHA1_80 inline:${inline}`,
      `1 F8_128_HMAC_SHA1_80 inline:${inline}`,
      '',
      'garbage',
    ]) {
      expect(parseCryptoAttribute(v)).toBeNull();
    }
  });
});
