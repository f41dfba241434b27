import { HNVCHAR, PASSWORD, SCHEME, URIC, USER, checkEscaped, isDigit, isIn } from './chars.ts';
import { fail } from './errors.ts';
import { formatParams, parseUriParams, scanHost } from './params.ts';
import type { OtherUri, Params, SipUri, Uri } from './types.ts';

export function isSipUri(u: Uri): u is SipUri {
  return u.scheme === 'sip' || u.scheme === 'sips';
}

/**
 * Parses a SIP/SIPS URI (RFC 3261 §19.1.1, §25.1) or any other absolute URI (tel: RFC 3966,
 * im:/pres: RFC 3428 §5 — kept opaque). Throws SipParseError (offsets relative to `text`).
 */
export function parseUri(text: string): Uri {
  const colon = text.indexOf(':');
  if (colon <= 0) fail('URI without scheme', 0);
  const c0 = text.charCodeAt(0);
  if (!((c0 >= 65 && c0 <= 90) || (c0 >= 97 && c0 <= 122))) fail('bad URI scheme', 0);
  for (let i = 1; i < colon; i++) if (!isIn(SCHEME, text.charCodeAt(i))) fail('bad URI scheme', i);
  const rawScheme = text.slice(0, colon);
  const scheme = rawScheme.toLowerCase();
  if (scheme === 'sip' || scheme === 'sips') return parseSipUri(text, colon + 1, scheme);
  const opaque = text.slice(colon + 1);
  if (opaque.length === 0) fail('empty URI', colon + 1);
  const bad = checkEscaped(text, colon + 1, text.length, URIC);
  if (bad >= 0) fail('bad character in URI', bad);
  const other: OtherUri = { scheme: rawScheme, opaque };
  return other;
}

function parseSipUri(s: string, start: number, scheme: 'sip' | 'sips'): SipUri {
  const len = s.length;
  // §19.1.1: userinfo ends at the first '@' ('@' is legal nowhere else unescaped)
  const at = s.indexOf('@', start);
  let user: string | null = null;
  let password: string | null = null;
  let hostStart = start;
  if (at >= 0) {
    const pw = s.indexOf(':', start);
    const userEnd = pw >= 0 && pw < at ? pw : at;
    if (userEnd === start) fail('empty user part', start);
    const badU = checkEscaped(s, start, userEnd, USER);
    if (badU >= 0) fail('bad character in URI user', badU);
    user = s.slice(start, userEnd);
    if (userEnd < at) {
      const badP = checkEscaped(s, userEnd + 1, at, PASSWORD);
      if (badP >= 0) fail('bad character in URI password', badP);
      password = s.slice(userEnd + 1, at);
    }
    hostStart = at + 1;
  }
  const hostEnd = scanHost(s, hostStart, len);
  if (hostEnd < 0) fail('bad URI host', hostStart);
  const host = s.slice(hostStart, hostEnd);
  let i = hostEnd;
  let port: number | null = null;
  if (i < len && s.charCodeAt(i) === 58) {
    i++;
    const ps = i;
    let n = 0;
    while (i < len && isDigit(s.charCodeAt(i))) n = n * 10 + (s.charCodeAt(i++) - 48);
    if (i === ps || i - ps > 5 || n > 65535) fail('bad URI port', ps);
    port = n;
  }
  const params: Params = new Map();
  const headers = new Map<string, string>();
  if (i < len && s.charCodeAt(i) === 59) {
    let q = s.indexOf('?', i);
    if (q < 0) q = len;
    parseUriParams(s, i, q, params);
    i = q;
  }
  if (i < len && s.charCodeAt(i) === 63) {
    i++;
    if (i >= len) fail('empty URI headers', i);
    while (i <= len) {
      let amp = s.indexOf('&', i);
      if (amp < 0) amp = len;
      const eq = s.indexOf('=', i);
      if (eq < 0 || eq >= amp || eq === i) fail('bad URI header', i);
      const b1 = checkEscaped(s, i, eq, HNVCHAR);
      const b2 = checkEscaped(s, eq + 1, amp, HNVCHAR);
      if (b1 >= 0 || b2 >= 0) fail('bad character in URI header', b1 >= 0 ? b1 : b2);
      headers.set(s.slice(i, eq), s.slice(eq + 1, amp));
      i = amp + 1;
    }
  } else if (i < len) fail('junk after URI host', i);
  return { scheme, user, password, host, port, params, headers };
}

export function formatUri(uri: Uri): string {
  if (!isSipUri(uri)) return `${uri.scheme}:${uri.opaque}`;
  let out = `${uri.scheme}:`;
  if (uri.user !== null) {
    out += uri.user;
    if (uri.password !== null) out += `:${uri.password}`;
    out += '@';
  }
  out += uri.host;
  if (uri.port !== null) out += `:${uri.port}`;
  out += formatParams(uri.params);
  let sep = '?';
  for (const [k, v] of uri.headers) {
    out += `${sep}${k}=${v}`;
    sep = '&';
  }
  return out;
}

export { unescapeUriPart } from './unescape.ts';
