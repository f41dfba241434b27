import { TOKEN, isIn, isWs } from './chars.ts';
import { fail } from './errors.ts';
import { Cursor, formatParams, parseHeaderParams, quote, unquote } from './params.ts';
import type { NameAddr, Params } from './types.ts';
import { formatUri, parseUri } from './uri.ts';
import { SipParseError } from './errors.ts';

function uriAt(s: string, from: number, to: number) {
  try {
    return parseUri(s.slice(from, to));
  } catch (e) {
    if (e instanceof SipParseError) fail(e.reason, from + e.offset);
    throw e;
  }
}

/**
 * name-addr / addr-spec with header params (RFC 3261 §20.10, §25.1):
 *   ( name-addr / addr-spec ) *( SEMI param ),  name-addr = [ display-name ] LAQUOT addr-spec RAQUOT.
 * An unquoted display name must be tokens (RFC 4475 §3.1.2.16); no LWS just inside <> (§3.1.2.15);
 * an addr-spec holding ',', ';' or '?' must be in <> (§20.10, RFC 4475 §3.1.2.14).
 * LWS between a token display name and '<' may be missing (RFC 4475 §3.1.1.6).
 */
export function parseNameAddrAt(c: Cursor): NameAddr {
  const s = c.s;
  c.ws();
  let displayName: string | null = null;
  const ch = c.peek();
  if (ch === 34) {
    displayName = unquote(c.quoted());
    c.ws();
    if (c.peek() !== 60) fail("expected '<' after display name", c.i);
  } else if (ch !== 60) {
    const start = c.i;
    let i = start;
    let lastTokenEnd = start;
    while (i < s.length) {
      const k = s.charCodeAt(i);
      if (isIn(TOKEN, k)) lastTokenEnd = ++i;
      else if (isWs(k)) i++;
      else break;
    }
    if (i < s.length && s.charCodeAt(i) === 60) {
      if (lastTokenEnd > start) displayName = s.slice(start, lastTokenEnd);
      c.i = i;
    } else {
      // addr-spec: ends at ';', ',' or LWS
      let end = start;
      while (end < s.length) {
        const k = s.charCodeAt(end);
        if (k === 59 || k === 44 || k === 32 || k === 9) break;
        if (k === 63 || k === 60 || k === 62 || k === 34) fail('addr-spec with this character must be in <>', end);
        end++;
      }
      if (end === start) fail('expected URI', start);
      const uri = uriAt(s, start, end);
      c.i = end;
      const params: Params = new Map();
      parseHeaderParams(c, params);
      return { displayName: null, uri, params };
    }
  }
  // at '<'
  const open = c.i + 1;
  const close = s.indexOf('>', open);
  if (close < 0) fail("missing '>'", c.i);
  if (close === open || isWs(s.charCodeAt(open)) || isWs(s.charCodeAt(close - 1))) fail('LWS inside <>', open);
  const uri = uriAt(s, open, close);
  c.i = close + 1;
  const params: Params = new Map();
  parseHeaderParams(c, params);
  return { displayName, uri, params };
}

/** One name-addr or addr-spec with params, the whole text. */
export function parseNameAddr(text: string): NameAddr {
  const c = new Cursor(text);
  const na = parseNameAddrAt(c);
  c.ws();
  if (!c.done) fail('junk after name-addr', c.i);
  return na;
}

/** A comma-separated list (Contact, Route, Record-Route...); empty elements are errors. */
export function parseNameAddrList(text: string, into: NameAddr[] = []): NameAddr[] {
  const c = new Cursor(text);
  for (;;) {
    into.push(parseNameAddrAt(c));
    c.ws();
    if (c.done) return into;
    if (c.peek() !== 44) fail("expected ',' between values", c.i);
    c.i++;
  }
}

function needsQuotes(name: string): boolean {
  if (name.length === 0) return true;
  for (let i = 0; i < name.length; i++) {
    const k = name.charCodeAt(i);
    if (!(isIn(TOKEN, k) || k === 32)) return true;
  }
  return name.charCodeAt(0) === 32 || name.charCodeAt(name.length - 1) === 32;
}

/** Always writes the name-addr form (<uri>) so URI parameters never turn into header parameters. */
export function formatNameAddr(n: NameAddr): string {
  let out = '';
  if (n.displayName !== null) out = `${needsQuotes(n.displayName) ? quote(n.displayName) : n.displayName} `;
  return `${out}<${formatUri(n.uri)}>${formatParams(n.params)}`;
}
