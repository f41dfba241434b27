/** pkijs on Node's WebCrypto: one engine for the whole security folder (no global setEngine). */
import { webcrypto } from 'node:crypto';
import * as pkijs from 'pkijs';

export const engine = new pkijs.CryptoEngine({ name: 'node-webcrypto', crypto: webcrypto as unknown as ConstructorParameters<typeof pkijs.CryptoEngine>[0]['crypto'] });

export function toArrayBuffer(bytes: Uint8Array): ArrayBuffer {
  return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
}

export function randomBytes(length: number): Uint8Array {
  return webcrypto.getRandomValues(new Uint8Array(length));
}

/** the key type pkijs's engine takes (global WebCrypto's, whichever lib declares it) */
export type CryptoKey = Parameters<pkijs.SignedData['sign']>[0];
export interface CryptoKeyPair {
  publicKey: CryptoKey;
  privateKey: CryptoKey;
}
