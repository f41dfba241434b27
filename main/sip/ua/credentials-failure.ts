/**
 * Why authentication ended (RFC 3261 §22.2, §22.3). Registration and MESSAGE code map these to
 * account states; `message` is already in plain words for the user.
 */
export type AuthFailureReason =
  /** the retried request was challenged again for the same realm (not stale), or got 403 */
  | 'wrong-credentials'
  /** a realm was challenged for which no user name / password is configured */
  | 'no-credentials'
  /** only schemes, algorithms or qop values we cannot answer were offered */
  | 'unsupported-challenge'
  /** a 401/407 without any readable challenge */
  | 'no-challenge'
  /** the server kept answering stale=true */
  | 'too-many-stale-nonces'
  /** the challenge came from a realm that is not the account's (issue 10): not answered */
  | 'unknown-realm';

export interface AuthFailure {
  readonly reason: AuthFailureReason;
  /** the status that ended it: 401, 407 or 403 */
  readonly status: number;
  /** the realm concerned when known */
  readonly realm: string | null;
  /** for the user, e.g. 'The server "pbx.example.com" rejected the user name or password.' */
  readonly message: string;
  /** parser / selection details for the log */
  readonly details: readonly string[];
}

export function authFailure(
  reason: AuthFailureReason,
  status: number,
  realm: string | null,
  details: readonly string[] = [],
): AuthFailure {
  return { reason, status, realm, message: describe(reason, status, realm), details };
}

function describe(reason: AuthFailureReason, status: number, realm: string | null): string {
  const where = realm === null ? 'The server' : `The server "${realm}"`;
  switch (reason) {
    case 'wrong-credentials':
      return status === 403
        ? `${where} refused the sign-in (403 Forbidden): check the user name and password.`
        : `${where} rejected the user name or password.`;
    case 'no-credentials':
      return `${where} asks for a password, but none is set for it.`;
    case 'unsupported-challenge':
      return `${where} asks for a kind of sign-in this app does not support.`;
    case 'no-challenge':
      return `${where} asked to sign in (${status}) without saying how.`;
    case 'too-many-stale-nonces':
      return `${where} keeps rejecting the sign-in as expired; try again later.`;
    case 'unknown-realm':
      return `asked for a password by an unknown realm ${realm ?? '(none)'}`;
  }
}
