import { randomBytes } from 'node:crypto';

/** §8.1.1.7: the branch of every request sent by an RFC 3261 element MUST begin with this cookie. */
export const BRANCH_MAGIC_COOKIE = 'z9hG4bK';

/** A new branch, unique across space and time (§8.1.1.7): cookie + 96 random bits. */
export function createBranch(): string {
  return BRANCH_MAGIC_COOKIE + randomBytes(12).toString('base64url');
}

export function isRfc3261Branch(branch: string | null | undefined): branch is string {
  return typeof branch === 'string' && branch.startsWith(BRANCH_MAGIC_COOKIE) && branch.length > BRANCH_MAGIC_COOKIE.length;
}
