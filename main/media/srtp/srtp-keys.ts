/**
 * SRTP keys (RFC 3711): the AES counter-mode keystream (§4.1.1) and the key derivation (§4.3) that turns
 * one master key + master salt into the session keys of each direction. Node's crypto does AES; nothing
 * here is a hand-written cipher.
 */
import { createCipheriv } from 'node:crypto';

export const MASTER_KEY_LENGTH = 16; // AES-128 (RFC 4568 §6.2.1: AES_CM_128_*)
export const MASTER_SALT_LENGTH = 14; // 112 bits
export const AUTH_KEY_LENGTH = 20; // HMAC-SHA1 key (RFC 3711 §4.2.1, n_a = 160)

/** RFC 3711 §4.3.1 labels */
export const KDF_LABEL = {
  rtpCipher: 0x00,
  rtpAuth: 0x01,
  rtpSalt: 0x02,
  rtcpCipher: 0x03,
  rtcpAuth: 0x04,
  rtcpSalt: 0x05,
} as const;

/**
 * XORs `data` with the AES-128 counter-mode keystream that starts at `iv` (RFC 3711 §4.1.1: the 128-bit
 * counter; the low 16 bits count the blocks of one packet). Returns a new buffer; `data` is untouched.
 */
export function aesCmXor(key: Uint8Array, iv: Uint8Array, data: Uint8Array): Buffer {
  const cipher = createCipheriv('aes-128-ctr', key, iv);
  return Buffer.concat([cipher.update(data), cipher.final()]);
}

/**
 * RFC 3711 §4.3.1 with key_derivation_rate 0 (RFC 4568's default; the index term r is then 0):
 * x = (label << 48) XOR master_salt, and the derived key is the AES-CM keystream under the master key
 * with IV = x * 2^16, cut to `length` octets.
 */
export function deriveSessionKey(masterKey: Uint8Array, masterSalt: Uint8Array, label: number, length: number): Buffer {
  if (masterKey.length !== MASTER_KEY_LENGTH) throw new RangeError(`SRTP master key must be ${String(MASTER_KEY_LENGTH)} octets`);
  if (masterSalt.length !== MASTER_SALT_LENGTH) throw new RangeError(`SRTP master salt must be ${String(MASTER_SALT_LENGTH)} octets`);
  const iv = Buffer.alloc(16);
  Buffer.from(masterSalt).copy(iv, 0);
  // key_id = label || r (48 bits) occupies the low 7 octets of the 112-bit salt: the label is octet 7
  iv[7] = (iv[7] ?? 0) ^ label;
  return aesCmXor(masterKey, iv, Buffer.alloc(length));
}

export interface SessionKeys {
  readonly cipherKey: Buffer;
  readonly cipherSalt: Buffer;
  readonly authKey: Buffer;
}

/** The session keys of SRTP or SRTCP for one master key and salt (RFC 3711 §4.3.2). */
export function sessionKeys(masterKey: Uint8Array, masterSalt: Uint8Array, kind: 'rtp' | 'rtcp'): SessionKeys {
  const [c, a, s] = kind === 'rtp' ? [KDF_LABEL.rtpCipher, KDF_LABEL.rtpAuth, KDF_LABEL.rtpSalt] : [KDF_LABEL.rtcpCipher, KDF_LABEL.rtcpAuth, KDF_LABEL.rtcpSalt];
  return {
    cipherKey: deriveSessionKey(masterKey, masterSalt, c, MASTER_KEY_LENGTH),
    authKey: deriveSessionKey(masterKey, masterSalt, a, AUTH_KEY_LENGTH),
    cipherSalt: deriveSessionKey(masterKey, masterSalt, s, MASTER_SALT_LENGTH),
  };
}

/**
 * The counter-mode IV of one packet (RFC 3711 §4.1.1): (k_s * 2^16) XOR (SSRC * 2^64) XOR (index * 2^16),
 * where index is the 48-bit SRTP packet index or the 31-bit SRTCP index.
 */
export function packetIv(sessionSalt: Uint8Array, ssrc: number, index: number): Buffer {
  const iv = Buffer.alloc(16);
  Buffer.from(sessionSalt).copy(iv, 0);
  iv.writeUInt32BE((iv.readUInt32BE(4) ^ ssrc) >>> 0, 4);
  const high = Math.floor(index / 2 ** 32); // index < 2^48
  iv.writeUInt16BE((iv.readUInt16BE(8) ^ high) & 0xffff, 8);
  iv.writeUInt32BE((iv.readUInt32BE(10) ^ index) >>> 0, 10);
  return iv;
}
