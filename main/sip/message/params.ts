import { HOSTCHAR, MAX_UINT32, PARAMCHAR, TOKEN, equalsIgnoreCase, findChar, isHex, isIn, parseBoundedIntIn } from './chars.ts';
import { fail } from './errors.ts';
import type { Params } from './types.ts';
import { unescapeUriPart } from './unescape.ts';

/** A read position in s[i, end) (a header value, or a range of the header section); parsers advance `i`. */
export class Cursor {
  s: string;
  i: number;
  end: number;
  constructor(s: string, i = 0, end = s.length) {
    this.s = s;
    this.i = i;
    this.end = end;
  }
  /**
   * @internal the parser's one reusable cursor over s[i,end), for the parse-time checks of a field
   * (…In, check…): one field at a time, they never nest, so no cursor is allocated per field.
   */
  static over(s: string, i: number, end: number): Cursor {
    const c = SCRATCH;
    c.s = s;
    c.i = i;
    c.end = end;
    return c;
  }
  get done(): boolean {
    return this.i >= this.end;
  }
  peek(): number {
    return this.i < this.end ? this.s.charCodeAt(this.i) : -1;
  }
  /** skips LWS (already unfolded to SP/HT) */
  ws(): void {
    const s = this.s;
    const end = this.end;
    let i = this.i;
    while (i < end) {
      const c = s.charCodeAt(i);
      if (c !== 32 && c !== 9) break;
      i++;
    }
    this.i = i;
  }
  /** skips a token; returns where it started */
  skipToken(what: string): number {
    const s = this.s;
    const start = this.i;
    const end = this.end;
    const token = TOKEN;
    let i = start;
    while (i < end) {
      const c = s.charCodeAt(i);
      if (c > 127 || token[c] !== 1) break;
      i++;
    }
    if (i === start) fail(`expected ${what}`, start);
    this.i = i;
    return start;
  }
  token(what: string): string {
    const start = this.skipToken(what);
    return this.s.slice(start, this.i);
  }
  /** skips a quoted-string (§25.1); returns where it started */
  skipQuoted(): number {
    const s = this.s;
    const start = this.i;
    const end = this.end;
    let i = start + 1;
    for (;;) {
      if (i >= end) fail('unterminated quoted-string', start);
      const c = s.charCodeAt(i);
      if (c === 34) break;
      if (c === 92) {
        // quoted-pair = "\\" (%x00-09 / %x0B-0C / %x0E-7F) (§25.1)
        const q = i + 1 < end ? s.charCodeAt(i + 1) : 10;
        if (q === 10 || q === 13) fail('bad quoted-pair', i);
        i += 2;
        continue;
      }
      // qdtext = LWS / %x21 / %x23-5B / %x5D-7E / UTF8-NONASCII (§25.1): no CTL but HT
      if ((c < 32 && c !== 9) || c === 127) fail('control character in quoted-string', i);
      i++;
    }
    this.i = i + 1;
    return start;
  }
  /** quoted-string, returned as written including the quotes */
  quoted(): string {
    const start = this.skipQuoted();
    return this.s.slice(start, this.i);
  }
}

const SCRATCH = new Cursor('');

/** Resolves quoted-pairs of a quoted-string written with its quotes (§25.1). */
export function unquote(q: string): string {
  if (q.length < 2 || q.charCodeAt(0) !== 34) return q;
  const inner = q.slice(1, -1);
  if (inner.indexOf('\\') < 0) return inner;
  let out = '';
  for (let i = 0; i < inner.length; i++) {
    const ch = inner[i] ?? '';
    if (ch === '\\' && i + 1 < inner.length) {
      out += inner[i + 1] ?? '';
      i++;
    } else out += ch;
  }
  return out;
}

/** Quotes a string for a quoted-string: '"', '\\' and control characters become quoted-pairs; CR/LF become SP. */
export function quote(s: string): string {
  let out = '"';
  for (const ch of s) {
    const k = ch.charCodeAt(0);
    if (k === 10 || k === 13) out += ' ';
    else if (ch === '"' || ch === '\\' || (k < 32 && k !== 9) || k === 127) out += `\\${ch}`;
    else out += ch;
  }
  return `${out}"`;
}

/**
 * The one empty Params / URI headers map of every parsed value that has none (most URIs have no
 * headers, a To of a request no tag): read-only, so sharing it is safe (parsed values are never
 * changed in place; code that needs other params copies them, `new Map(uri.params)`).
 */
class EmptyMap<V> extends Map<string, V> {
  override set(): this {
    throw new TypeError('a parsed SIP value is read-only: copy its params to change them');
  }
  override delete(): boolean {
    throw new TypeError('a parsed SIP value is read-only: copy its params to change them');
  }
  override clear(): void {
    throw new TypeError('a parsed SIP value is read-only: copy its params to change them');
  }
}
export const EMPTY_PARAMS: Params = new EmptyMap<string | null>();
export const EMPTY_HEADERS: Map<string, string> = new EmptyMap<string>();

/** Header params after a value, built: EMPTY_PARAMS when there are none (no allocation). */
export function headerParamsOf(c: Cursor, rule = PARAM_RULE_NONE): Params {
  const s = c.s;
  let i = c.i;
  while (i < c.end && (s.charCodeAt(i) === 32 || s.charCodeAt(i) === 9)) i++;
  if (i >= c.end || s.charCodeAt(i) !== 59) {
    c.i = i;
    return EMPTY_PARAMS;
  }
  const params: Params = new Map();
  parseHeaderParams(c, params, rule);
  return params;
}

/**
 * s[from,to) (lower case) as a string: the shared constant for the names on nearly every message
 * (§20.42 branch, received, RFC 3581 rport, §19.1.1 transport, lr, §20.10 expires...), else a slice.
 */
function commonName(s: string, from: number, to: number): string {
  const n = to - from;
  const k = n < 10 ? COMMON[(n << 7) | (s.charCodeAt(from) & 127)] : undefined;
  if (k === undefined) return s.slice(from, to);
  for (let i = 0; i < n; i++) if (s.charCodeAt(from + i) !== k.charCodeAt(i)) return s.slice(from, to);
  return k;
}
const COMMON: (string | undefined)[] = [];
for (const k of ['tag', 'branch', 'rport', 'received', 'lr', 'transport', 'expires', 'maddr', 'q']) COMMON[(k.length << 7) | k.charCodeAt(0)] = k;

/** Extra checks on one parameter while scanning (they hold in both the check-only and the building pass). */
export const PARAM_RULE_NONE = 0;
/** Via rport = 1*5DIGIT port (RFC 3581 §4) */
export const PARAM_RULE_RPORT = 1;
/** Contact expires = delta-seconds, 32 bits (§20.10, RFC 4475 §3.1.2.4) */
export const PARAM_RULE_EXPIRES = 2;

/**
 * Header parameters: *( SEMI generic-param ), generic-param = token [ EQUAL gen-value ],
 * gen-value = token / host / quoted-string (§25.1), LWS allowed around ';' and '='.
 * Stops before ',' or the end. A single empty parameter (';;name') is skipped (RFC 3428 §10 examples);
 * a ';' followed by nothing, ',' or another separator-only run is a syntax error (RFC 4475 §3.1.2.1).
 * `params` null: check only, nothing is allocated.
 */
export function parseHeaderParams(c: Cursor, params: Params | null, rule = PARAM_RULE_NONE): void {
  const s = c.s;
  const end = c.end;
  const token = TOKEN;
  let i = c.i;
  let ch = 0;
  for (;;) {
    while (i < end && ((ch = s.charCodeAt(i)) === 32 || ch === 9)) i++;
    if (i >= end || ch !== 59) break;
    i++;
    while (i < end && ((ch = s.charCodeAt(i)) === 32 || ch === 9)) i++;
    if (i < end && ch === 59) {
      i++;
      while (i < end && ((ch = s.charCodeAt(i)) === 32 || ch === 9)) i++;
    }
    // pname = token; names are case-insensitive (§7.3.1), kept lower-cased
    const ns = i;
    let upper = false;
    while (i < end) {
      ch = s.charCodeAt(i);
      if (ch > 127 || token[ch] !== 1) break;
      if (ch <= 90 && ch >= 65) upper = true;
      i++;
    }
    if (i === ns) fail('expected parameter name', ns);
    const ne = i;
    while (i < end && ((ch = s.charCodeAt(i)) === 32 || ch === 9)) i++;
    let vs = -1;
    if (i < end && ch === 61) {
      i++;
      while (i < end && ((ch = s.charCodeAt(i)) === 32 || ch === 9)) i++;
      vs = i;
      if (i < end && ch === 34) {
        c.i = i;
        c.skipQuoted();
        i = c.i;
      } else {
        // gen-value = token / host (IPv6 reference brackets and colons)
        while (i < end) {
          ch = s.charCodeAt(i);
          if (!((ch < 128 && token[ch] === 1) || ch === 58 || ch === 91 || ch === 93)) break;
          i++;
        }
        if (i === vs) fail('empty parameter value', vs);
      }
    }
    if (rule !== PARAM_RULE_NONE) checkParamRule(s, ns, ne, vs, i, rule);
    if (params !== null) params.set(upper ? s.slice(ns, ne).toLowerCase() : commonName(s, ns, ne), vs < 0 ? null : s.slice(vs, i));
  }
  c.i = i;
}

function checkParamRule(s: string, ns: number, ne: number, vs: number, ve: number, rule: number): void {
  if (rule === PARAM_RULE_RPORT) {
    if (vs >= 0 && equalsIgnoreCase(s, ns, ne, 'rport') && (ve - vs > 5 || parseBoundedIntIn(s, vs, ve, 65535) < 0)) fail('bad rport', vs);
  } else if (rule === PARAM_RULE_EXPIRES && equalsIgnoreCase(s, ns, ne, 'expires')) {
    if (vs < 0 || parseBoundedIntIn(s, vs, ve, MAX_UINT32) < 0) fail('expires param out of range', ns);
  }
}

/** Parses `;a=b;c` header params of a whole string (e.g. "Content-Type" params). */
export function parseParams(text: string): Params {
  const params: Params = new Map();
  const c = new Cursor(text);
  parseHeaderParams(c, params);
  c.ws();
  if (!c.done) fail('junk after parameters', c.i);
  return params;
}

/**
 * URI parameters (§19.1.1, §25.1 uri-parameters): no LWS, pname/pvalue are paramchar runs,
 * escapes must be well formed. Starts at s[from] === ';', reads up to '?' or `to` in one pass and
 * returns where it stopped. `params` null: check only.
 */
export function parseUriParams(s: string, from: number, to: number, params: Params | null): number {
  let i = from;
  while (i < to && s.charCodeAt(i) === 59) {
    const ns = ++i;
    i = skipEscaped(s, i, to, PARAMCHAR);
    const ne = i;
    if (ne === ns) fail('empty URI parameter', ns);
    let vs = -1;
    if (i < to && s.charCodeAt(i) === 61) {
      vs = ++i;
      i = skipEscaped(s, i, to, PARAMCHAR);
      if (i === vs) fail('bad URI parameter value', i);
    }
    if (i < to && s.charCodeAt(i) !== 59 && s.charCodeAt(i) !== 63) fail(vs < 0 ? 'bad URI parameter name' : 'bad URI parameter value', i);
    if (params !== null) {
      const name = s.slice(ns, ne);
      // §19.1.4: parameter names compare after unescaping, case-insensitively
      params.set((name.indexOf('%') >= 0 ? unescapeUriPart(name) : name).toLowerCase(), vs < 0 ? null : s.slice(vs, i));
    }
  }
  return i;
}

/** End of the run of table chars from i (escapes must be well formed: '%' HEX HEX, §25.1 escaped). */
function skipEscaped(s: string, i: number, to: number, t: Uint8Array): number {
  for (; i < to; i++) {
    const c = s.charCodeAt(i);
    if (c > 127 || t[c] !== 1) return i;
    if (c === 37 && !(i + 2 < to && isHex(s.charCodeAt(i + 1)) && isHex(s.charCodeAt(i + 2)))) fail('bad escape', i);
  }
  return i;
}

export function formatParams(params: Params): string {
  let out = '';
  for (const [k, v] of params) out += v === null ? `;${k}` : `;${k}=${v}`;
  return out;
}

/** host = hostname / IPv4address / IPv6reference (§25.1); returns the end index or -1. */
export function scanHost(s: string, i: number, to: number): number {
  if (i >= to) return -1;
  if (s.charCodeAt(i) === 91) {
    const close = findChar(s, 93, i, to);
    if (close < 0) return -1;
    for (let k = i + 1; k < close; k++) {
      const ch = s.charCodeAt(k);
      const ok = ch === 58 || ch === 46 || (ch >= 48 && ch <= 57) || (ch >= 65 && ch <= 70) || (ch >= 97 && ch <= 102);
      if (!ok) return -1;
    }
    return close === i + 1 ? -1 : close + 1;
  }
  let k = i;
  while (k < to && isIn(HOSTCHAR, s.charCodeAt(k))) k++;
  return k === i ? -1 : k;
}
