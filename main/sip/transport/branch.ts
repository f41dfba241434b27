/**
 * Via branch parameter (RFC 3261 §8.1.1.7): unique per transaction and starting with the magic cookie
 * "z9hG4bK" so that receivers know it was built by an RFC 3261 implementation.
 */
import { randomBytes } from 'node:crypto';

export const BRANCH_MAGIC_COOKIE = 'z9hG4bK';

/** A new branch: the magic cookie and 80 random bits in hex (all token characters, §25.1). */
export function newBranch(): string {
  return BRANCH_MAGIC_COOKIE + randomBytes(10).toString('hex');
}

/** §17.2.3: only a branch with the magic cookie can be used to match transactions. */
export function isRfc3261Branch(branch: string | null | undefined): boolean {
  return typeof branch === 'string' && branch.startsWith(BRANCH_MAGIC_COOKIE) && branch.length > BRANCH_MAGIC_COOKIE.length;
}
