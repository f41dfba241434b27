/**
 * The Via branch parameter (RFC 3261 §8.1.1.7): unique per transaction and starting with the magic cookie
 * "z9hG4bK", so receivers know an RFC 3261 element built it and can match transactions by it (§17.2.3).
 */
import { randomBytes } from 'node:crypto';

export const BRANCH_MAGIC_COOKIE = 'z9hG4bK';

/** A new branch: the cookie and 96 random bits (base64url: token characters only, §25.1). */
export function newBranch(): string {
  return BRANCH_MAGIC_COOKIE + randomBytes(12).toString('base64url');
}

/** §17.2.3: only a branch with the magic cookie (and more after it) identifies a transaction. */
export function isRfc3261Branch(branch: string | null | undefined): branch is string {
  return typeof branch === 'string' && branch.startsWith(BRANCH_MAGIC_COOKIE) && branch.length > BRANCH_MAGIC_COOKIE.length;
}
