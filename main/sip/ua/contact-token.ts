/**
 * Addressed to us (issue 10; RFC 3261 §8.2.2.1): the user part of our Contact is an unguessable token
 * (128 random bits, base64url: only `unreserved` characters, §25.1), so a scanner that never saw our
 * REGISTER cannot address us; an out-of-dialog request whose Request-URI is neither that Contact nor our
 * AOR gets 404. The registrar (RFC 3261 §10.3, RFC 5626 flows) rewrites requests for the AOR to the
 * registered Contact, so every request routed by the PBX carries the token.
 */
import { randomBytes } from 'node:crypto';
import { isSipUri } from '../message/index.ts';
import type { SipUri, Uri } from '../message/index.ts';

export function contactToken(): string {
  return randomBytes(16).toString('base64url');
}

/** our Contact's token as user part (any host: NAT and proxies may rewrite it), or our AOR (user@host) */
export function isAddressedTo(uri: Uri, token: string, aor: SipUri): boolean {
  if (!isSipUri(uri)) return false;
  if (uri.user === token) return true;
  // §19.1.4: the user part compares case-sensitively, the host case-insensitively
  return uri.user !== null && uri.user === aor.user && uri.host.toLowerCase() === aor.host.toLowerCase();
}
