import type { Uri } from './types.ts';
import { isSipUri, unescapeUriPart } from './uri.ts';

/** URI parameters that, present in one URI, must match in the other (RFC 3261 §19.1.4). */
const MUST_MATCH = ['user', 'ttl', 'method', 'maddr', 'transport'];

function unesc(s: string | null): string | null {
  return s === null ? null : unescapeUriPart(s);
}

function lowerUnesc(s: string | null | undefined): string | null | undefined {
  return s === null || s === undefined ? s : unescapeUriPart(s).toLowerCase();
}

/**
 * URI comparison, RFC 3261 §19.1.4: sip and sips never match; userinfo is compared case-sensitively
 * and host case-insensitively after unescaping; a missing port does not equal an explicit 5060;
 * user/ttl/method/maddr/transport must match when present in either; other parameters only when
 * present in both; URI headers must all be present in both and match.
 * Other schemes: scheme case-insensitive, the rest compared after unescaping (RFC 3986 §6.2.2).
 */
export function uriEquals(a: Uri, b: Uri): boolean {
  if (!isSipUri(a) || !isSipUri(b)) {
    if (isSipUri(a) || isSipUri(b)) return false;
    return a.scheme.toLowerCase() === b.scheme.toLowerCase() && unescapeUriPart(a.opaque) === unescapeUriPart(b.opaque);
  }
  if (a.scheme !== b.scheme) return false;
  if (unesc(a.user) !== unesc(b.user) || unesc(a.password) !== unesc(b.password)) return false;
  if (a.host.toLowerCase() !== b.host.toLowerCase() || a.port !== b.port) return false;
  for (const name of MUST_MATCH) {
    const inA = a.params.has(name);
    const inB = b.params.has(name);
    if (inA !== inB) return false;
    if (inA && lowerUnesc(a.params.get(name)) !== lowerUnesc(b.params.get(name))) return false;
  }
  for (const [name, value] of a.params) {
    if (MUST_MATCH.includes(name) || !b.params.has(name)) continue;
    if (lowerUnesc(value) !== lowerUnesc(b.params.get(name))) return false;
  }
  if (a.headers.size !== b.headers.size) return false;
  const bh = new Map<string, string>();
  for (const [k, v] of b.headers) bh.set(unescapeUriPart(k).toLowerCase(), unescapeUriPart(v));
  for (const [k, v] of a.headers) {
    const other = bh.get(unescapeUriPart(k).toLowerCase());
    if (other === undefined || other !== unescapeUriPart(v)) return false;
  }
  return true;
}
