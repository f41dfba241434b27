import { HNVCHAR, PASSWORD, SCHEME, URIC, USER, checkEscaped, equalsIgnoreCase, findChar, isDigit, isIn } from './chars.ts';
import { fail } from './errors.ts';
import { EMPTY_HEADERS, EMPTY_PARAMS, formatParams, parseUriParams, scanHost } from './params.ts';
import type { OtherUri, Params, SipUri, Uri } from './types.ts';

export function isSipUri(u: Uri): u is SipUri {
  return u.scheme === 'sip' || u.scheme === 'sips';
}

/**
 * Parses a SIP/SIPS URI (RFC 3261 §19.1.1, §25.1) or any other absolute URI (tel: RFC 3966,
 * im:/pres: RFC 3428 §5 — kept opaque). Throws SipParseError (offsets relative to `text`).
 */
export function parseUri(text: string): Uri {
  return scanUri(text, 0, text.length, true) as Uri;
}

/**
 * The URI grammar over s[from,to); offsets in errors are positions in `s`.
 * build false: check only (nothing allocated), returns null.
 */
export function scanUri(s: string, from: number, to: number, build: boolean): Uri | null {
  const colon = findChar(s, 58, from, to);
  if (colon <= from) fail('URI without scheme', from);
  const c0 = s.charCodeAt(from);
  if (!((c0 >= 65 && c0 <= 90) || (c0 >= 97 && c0 <= 122))) fail('bad URI scheme', from);
  for (let i = from + 1; i < colon; i++) if (!isIn(SCHEME, s.charCodeAt(i))) fail('bad URI scheme', i);
  if (colon - from <= 4 && (equalsIgnoreCase(s, from, colon, 'sip') || equalsIgnoreCase(s, from, colon, 'sips'))) {
    return scanSipUri(s, colon + 1, to, colon - from === 3 ? 'sip' : 'sips', build);
  }
  if (colon + 1 === to) fail('empty URI', colon + 1);
  const bad = checkEscaped(s, colon + 1, to, URIC);
  if (bad >= 0) fail('bad character in URI', bad);
  if (!build) return null;
  const other: OtherUri = { scheme: s.slice(from, colon), opaque: s.slice(colon + 1, to) };
  return other;
}

function scanSipUri(s: string, start: number, len: number, scheme: 'sip' | 'sips', build: boolean): SipUri | null {
  // §19.1.1: userinfo ends at the first '@' ('@' is legal nowhere else unescaped)
  const at = findChar(s, 64, start, len);
  let hostStart = start;
  let userEnd = at;
  if (at >= 0) {
    // user ends at the first character that is no user char: ':' (then a password) or '@'
    const badU = checkEscaped(s, start, at, USER);
    if (badU >= 0 && s.charCodeAt(badU) !== 58) fail('bad character in URI user', badU);
    if (badU >= 0) userEnd = badU;
    if (userEnd === start) fail('empty user part', start);
    if (userEnd < at) {
      const badP = checkEscaped(s, userEnd + 1, at, PASSWORD);
      if (badP >= 0) fail('bad character in URI password', badP);
    }
    hostStart = at + 1;
  }
  const hostEnd = scanHost(s, hostStart, len);
  if (hostEnd < 0) fail('bad URI host', hostStart);
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
  let params: Params | null = build ? EMPTY_PARAMS : null;
  let headers: Map<string, string> | null = build ? EMPTY_HEADERS : null;
  if (i < len && s.charCodeAt(i) === 59) {
    if (build) params = new Map();
    i = parseUriParams(s, i, len, params);
  }
  if (i < len && s.charCodeAt(i) === 63) {
    if (build) headers = new Map();
    i++;
    if (i >= len) fail('empty URI headers', i);
    while (i <= len) {
      let amp = findChar(s, 38, i, len);
      if (amp < 0) amp = len;
      const eq = findChar(s, 61, i, amp);
      if (eq <= i) fail('bad URI header', i);
      const b1 = checkEscaped(s, i, eq, HNVCHAR);
      const b2 = checkEscaped(s, eq + 1, amp, HNVCHAR);
      if (b1 >= 0 || b2 >= 0) fail('bad character in URI header', b1 >= 0 ? b1 : b2);
      if (headers !== null) headers.set(s.slice(i, eq), s.slice(eq + 1, amp));
      i = amp + 1;
    }
  } else if (i < len) fail('junk after URI host', i);
  if (params === null || headers === null) return null;
  const user = at < 0 ? null : s.slice(start, userEnd);
  const password = userEnd < at ? s.slice(userEnd + 1, at) : null;
  return { scheme, user, password, host: s.slice(hostStart, hostEnd), port, params, headers };
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
