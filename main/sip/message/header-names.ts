import { equalsIgnoreCase, sliceTrimmed } from './chars.ts';

/** Compact forms (RFC 3261 §7.3.3, §20; RFC 3265, 3515, 3892, 3841, 4028, 4474). */
const COMPACT: Record<string, string> = {
  i: 'call-id', f: 'from', t: 'to', v: 'via', m: 'contact', l: 'content-length', c: 'content-type',
  k: 'supported', s: 'subject', e: 'content-encoding', o: 'event', u: 'allow-events', r: 'refer-to',
  b: 'referred-by', x: 'session-expires', y: 'identity', n: 'identity-info', a: 'accept-contact',
  j: 'reject-contact', d: 'request-disposition',
};

/**
 * Headers whose values may be combined with commas (§7.3.1): getAll() splits these.
 * WWW-Authenticate & co. are not here: their values contain commas.
 */
export const LIST_HEADERS: ReadonlySet<string> = new Set([
  'via', 'contact', 'route', 'record-route', 'path', 'service-route', 'accept', 'accept-encoding',
  'accept-language', 'allow', 'allow-events', 'supported', 'require', 'proxy-require', 'unsupported',
  'content-encoding', 'content-language', 'warning', 'alert-info', 'call-info', 'error-info',
  'in-reply-to', 'reply-to', 'accept-contact', 'reject-contact', 'request-disposition', 'reason',
  'p-asserted-identity', 'p-preferred-identity', 'history-info', 'security-client', 'security-server',
  'security-verify', 'privacy',
]);

/**
 * Header names the parser recognises without allocating (compact forms included): every canonical
 * name here is returned by knownHeaderKey() for any spelling of it, so a lookup by one of these keys
 * never needs the lower-cased names of the other fields.
 */
const KNOWN = [
  'via', 'from', 'to', 'call-id', 'cseq', 'max-forwards', 'content-length', 'content-type', 'contact',
  'expires', 'min-expires', 'date', 'retry-after', 'warning', 'route', 'record-route', 'user-agent',
  'server', 'allow', 'supported', 'require', 'proxy-require', 'unsupported', 'subject', 'event',
  'authorization', 'proxy-authorization', 'www-authenticate', 'proxy-authenticate', 'authentication-info',
  'accept', 'subscription-state', 'timestamp', 'content-encoding', 'allow-events', 'refer-to', 'referred-by',
  'session-expires', 'identity', 'identity-info', 'accept-contact', 'reject-contact', 'request-disposition',
  'path', 'service-route', 'organization', 'priority', 'reply-to', 'in-reply-to', 'content-disposition',
];
export const KNOWN_KEYS: ReadonlySet<string> = new Set(KNOWN);
/** known names by (length, first letter): (length << 7) | lower-case first char */
const BY_SHAPE: (string[] | undefined)[] = [];
for (const k of KNOWN) (BY_SHAPE[(k.length << 7) | k.charCodeAt(0)] ??= []).push(k);
const COMPACT_BY_CODE: (string | undefined)[] = [];
for (const [k, v] of Object.entries(COMPACT)) {
  COMPACT_BY_CODE[k.charCodeAt(0)] = v;
  COMPACT_BY_CODE[k.toUpperCase().charCodeAt(0)] = v;
}

/** The canonical name of the header named s[from,to) when it is one of KNOWN_KEYS, else null. */
export function knownHeaderKey(s: string, from: number, to: number): string | null {
  const n = to - from;
  if (n === 1) return COMPACT_BY_CODE[s.charCodeAt(from)] ?? null;
  const first = s.charCodeAt(from);
  if (n > 31 || first > 127) return null;
  const candidates = BY_SHAPE[(n << 7) | (first >= 65 && first <= 90 ? first + 32 : first)];
  if (candidates === undefined) return null;
  for (let i = 0; i < candidates.length; i++) {
    const k = candidates[i] as string;
    if (equalsIgnoreCase(s, from, to, k)) return k;
  }
  return null;
}

/** Lower-cased full header name; compact forms expanded. */
export function canonicalHeaderName(name: string): string {
  const lower = name.toLowerCase();
  if (lower.length === 1) return COMPACT[lower] ?? lower;
  return lower;
}

export function isListHeader(name: string): boolean {
  return LIST_HEADERS.has(canonicalHeaderName(name));
}

/** Splits at top-level commas: not inside quotes, <> or after a backslash in quotes. */
export function splitTopLevel(value: string): string[] {
  const out: string[] = [];
  let start = 0;
  let inQuote = false;
  let inAngle = false;
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (inQuote) {
      if (c === 92) i++;
      else if (c === 34) inQuote = false;
    } else if (c === 34) inQuote = true;
    else if (c === 60) inAngle = true;
    else if (c === 62) inAngle = false;
    else if (c === 44 && !inAngle) {
      out.push(sliceTrimmed(value, start, i));
      start = i + 1;
    }
  }
  out.push(sliceTrimmed(value, start, value.length));
  return out.filter((v) => v.length > 0);
}

