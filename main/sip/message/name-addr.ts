import { TOKEN, isIn, isWs } from './chars.ts';
import { fail } from './errors.ts';
import { Cursor, PARAM_RULE_NONE, formatParams, headerParamsOf, parseHeaderParams, quote, unquote } from './params.ts';
import type { NameAddr } from './types.ts';
import { formatUri, scanUri } from './uri.ts';

/**
 * name-addr / addr-spec with header params (RFC 3261 §20.10, §25.1):
 *   ( name-addr / addr-spec ) *( SEMI param ),  name-addr = [ display-name ] LAQUOT addr-spec RAQUOT.
 * An unquoted display name must be tokens (RFC 4475 §3.1.2.16); no LWS just inside <> (§3.1.2.15);
 * an addr-spec holding ',', ';' or '?' must be in <> (§20.10, RFC 4475 §3.1.2.14).
 * LWS between a token display name and '<' may be missing (RFC 4475 §3.1.1.6).
 * build false: check only (nothing allocated), returns null. `rule`: see PARAM_RULE_*.
 */
export function parseNameAddrAt(c: Cursor, build = true, rule = PARAM_RULE_NONE): NameAddr | null {
  const s = c.s;
  const end = c.end;
  c.ws();
  let dnStart = -1;
  let dnEnd = -1;
  let quoted = false;
  const ch = c.peek();
  if (ch === 34) {
    dnStart = c.skipQuoted();
    dnEnd = c.i;
    quoted = true;
    c.ws();
    if (c.peek() !== 60) fail("expected '<' after display name", c.i);
  } else if (ch !== 60) {
    const start = c.i;
    let i = start;
    let lastTokenEnd = start;
    while (i < end) {
      const k = s.charCodeAt(i);
      if (isIn(TOKEN, k)) lastTokenEnd = ++i;
      else if (k === 32 || k === 9) i++;
      else break;
    }
    if (i < end && s.charCodeAt(i) === 60) {
      if (lastTokenEnd > start) {
        dnStart = start;
        dnEnd = lastTokenEnd;
      }
      c.i = i;
    } else {
      // addr-spec: ends at ';', ',' or LWS
      let e = start;
      while (e < end) {
        const k = s.charCodeAt(e);
        if (k === 59 || k === 44 || k === 32 || k === 9) break;
        if (k === 63 || k === 60 || k === 62 || k === 34) fail('addr-spec with this character must be in <>', e);
        e++;
      }
      if (e === start) fail('expected URI', start);
      const uri = scanUri(s, start, e, build);
      c.i = e;
      if (uri === null) {
        parseHeaderParams(c, null, rule);
        return null;
      }
      return { displayName: null, uri, params: headerParamsOf(c, rule) };
    }
  }
  // at '<'
  const open = c.i + 1;
  // native search: a '>' past `end` (or none) rejects the message, so this scans past the field at most once
  const close = s.indexOf('>', open);
  if (close < 0 || close >= end) fail("missing '>'", c.i);
  if (close === open || isWs(s.charCodeAt(open)) || isWs(s.charCodeAt(close - 1))) fail('LWS inside <>', open);
  const uri = scanUri(s, open, close, build);
  c.i = close + 1;
  if (uri === null) {
    parseHeaderParams(c, null, rule);
    return null;
  }
  const params = headerParamsOf(c, rule);
  const displayName = dnStart < 0 ? null : quoted ? unquote(s.slice(dnStart, dnEnd)) : s.slice(dnStart, dnEnd);
  return { displayName, uri, params };
}

/** One name-addr or addr-spec with params, the whole text. */
export function parseNameAddr(text: string): NameAddr {
  const c = new Cursor(text);
  const na = parseNameAddrAt(c) as NameAddr;
  c.ws();
  if (!c.done) fail('junk after name-addr', c.i);
  return na;
}

/** One name-addr in s[from,to), checked and built in one scan (From, To at parse time). */
export function nameAddrIn(s: string, from: number, to: number): NameAddr {
  const c = Cursor.over(s, from, to);
  const na = parseNameAddrAt(c) as NameAddr;
  c.ws();
  if (!c.done) fail('junk after name-addr', c.i);
  return na;
}

/** A comma-separated list (Contact, Route, Record-Route...); empty elements are errors. */
export function parseNameAddrList(text: string, into: NameAddr[] = [], rule = PARAM_RULE_NONE): NameAddr[] {
  const c = new Cursor(text);
  for (;;) {
    into.push(parseNameAddrAt(c, true, rule) as NameAddr);
    c.ws();
    if (c.done) return into;
    if (c.peek() !== 44) fail("expected ',' between values", c.i);
    c.i++;
  }
}

/**
 * Checks a name-addr list in s[from,to) (Route, Record-Route at parse time); `into`: also builds
 * the values (Contact at parse time: one scan), else nothing is allocated.
 */
export function checkNameAddrList(s: string, from: number, to: number, rule = PARAM_RULE_NONE, into: NameAddr[] | null = null): void {
  const c = Cursor.over(s, from, to);
  for (;;) {
    if (into === null) parseNameAddrAt(c, false, rule);
    else into.push(parseNameAddrAt(c, true, rule) as NameAddr);
    c.ws();
    if (c.done) return;
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
