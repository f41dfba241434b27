/**
 * Random hex tokens for tags and Call-IDs (RFC 3261 §19.3: "cryptographically random", at least 32 bits
 * for a tag; §8.1.1.4 for Call-ID). The bytes come from the CSPRNG (randomFillSync) a pool at a time and
 * each byte is handed out once, as Node's own crypto.randomUUID does: one call into OpenSSL per 4 KB
 * instead of one per tag, which a UAS answering thousands of MESSAGEs a second notices (issue 18: a
 * randomBytes call per 200's To tag was ~5 % of the main thread under load).
 */
import { randomBytes, randomFillSync } from 'node:crypto';

const POOL_BYTES = 4096;
const pool = Buffer.allocUnsafeSlow(POOL_BYTES);
let next = POOL_BYTES;

/** `bytes` random bytes as lower-case hex */
export function randomHex(bytes: number): string {
  if (!Number.isInteger(bytes) || bytes < 1) throw new RangeError(`randomHex: ${String(bytes)} bytes`);
  if (bytes > 256) return randomBytes(bytes).toString('hex');
  if (next + bytes > POOL_BYTES) {
    randomFillSync(pool);
    next = 0;
  }
  const hex = pool.toString('hex', next, next + bytes);
  // used bytes are not left readable in the pool
  pool.fill(0, next, next + bytes);
  next += bytes;
  return hex;
}
