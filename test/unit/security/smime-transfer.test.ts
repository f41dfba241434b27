import { describe, expect, it } from 'vitest';
import { decodeTransfer, encodeTransfer, TransferEncodingError } from '../../../main/security/smime-transfer.ts';

/** a DER-like body: SEQUENCE with a long-form length, and NUL octets a C string would cut at */
const der = new Uint8Array([0x30, 0x82, 0x01, 0x00, ...Array.from({ length: 256 }, (_, i) => i % 7 === 0 ? 0 : i & 0xff)]);

describe('S/MIME transfer encoding (RFC 8551 §3.1.3, RFC 2045 §6.8)', () => {
  it('base64 in CRLF lines of at most 76 characters, with no NUL octet, decodes to the same bytes', () => {
    const text = encodeTransfer(der);
    expect(text.includes(0)).toBe(false);
    const lines = Buffer.from(text).toString('ascii').split('\r\n');
    expect(lines.length).toBeGreaterThan(1);
    expect(lines.every((l) => l.length <= 76)).toBe(true);
    expect(decodeTransfer(text, 'base64')).toEqual(der);
    expect(decodeTransfer(text, 'BASE64')).toEqual(der);
  });

  it('binary stays binary; base64 without its header (dropped by a store-and-forward server) is recognised', () => {
    expect(decodeTransfer(der, null)).toEqual(der);
    expect(decodeTransfer(der, 'binary')).toEqual(der);
    expect(encodeTransfer(der, 'binary')).toBe(der);
    expect(decodeTransfer(encodeTransfer(der), null)).toEqual(der);
    expect(decodeTransfer(encodeTransfer(der), '8bit')).toEqual(der);
  });

  it('damaged base64 and unknown encodings are errors, never garbage', () => {
    const text = Buffer.from(encodeTransfer(der)).toString('ascii');
    expect(() => decodeTransfer(Buffer.from(text.slice(0, -2)), 'base64')).toThrow(TransferEncodingError);
    expect(() => decodeTransfer(Buffer.from(`${text}!`), 'base64')).toThrow(TransferEncodingError);
    expect(() => decodeTransfer(Buffer.from(''), 'base64')).toThrow(TransferEncodingError);
    expect(() => decodeTransfer(der, 'quoted-printable')).toThrow(TransferEncodingError);
  });
});
