import { HOSTCHAR, PARAMCHAR, TOKEN, checkEscaped, isIn, isWs } from './chars.ts';
import { fail } from './errors.ts';
import type { Params } from './types.ts';
import { unescapeUriPart } from './unescape.ts';

/** A read position in a header value; parsers advance `i`. */
export class Cursor {
  readonly s: string;
  i: number;
  constructor(s: string, i = 0) {
    this.s = s;
    this.i = i;
  }
  get done(): boolean {
    return this.i >= this.s.length;
  }
  peek(): number {
    return this.i < this.s.length ? this.s.charCodeAt(this.i) : -1;
  }
  /** skips LWS (already unfolded to SP/HT) */
  ws(): void {
    const s = this.s;
    let i = this.i;
    while (i < s.length && isWs(s.charCodeAt(i))) i++;
    this.i = i;
  }
  token(what: string): string {
    const s = this.s;
    const start = this.i;
    let i = start;
    while (i < s.length && isIn(TOKEN, s.charCodeAt(i))) i++;
    if (i === start) fail(`expected ${what}`, start);
    this.i = i;
    return s.slice(start, i);
  }
  /** quoted-string (§25.1), returned as written including the quotes */
  quoted(): string {
    const s = this.s;
    const start = this.i;
    let i = start + 1;
    for (;;) {
      if (i >= s.length) fail('unterminated quoted-string', start);
      const c = s.charCodeAt(i);
      if (c === 34) break;
      if (c === 92) {
        if (i + 1 >= s.length) fail('bad quoted-pair', i);
        i += 2;
        continue;
      }
      if (c < 32 && c !== 9) fail('control character in quoted-string', i);
      i++;
    }
    this.i = i + 1;
    return s.slice(start, i + 1);
  }
}

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
 * Header parameters: *( SEMI generic-param ), generic-param = token [ EQUAL gen-value ],
 * gen-value = token / host / quoted-string (§25.1), LWS allowed around ';' and '='.
 * Stops before ',' or end. A single empty parameter (';;name') is skipped (RFC 3428 §10 examples);
 * a ';' followed by nothing, ',' or another separator-only run is a syntax error (RFC 4475 §3.1.2.1).
 */
export function parseHeaderParams(c: Cursor, params: Params): void {
  const s = c.s;
  for (;;) {
    c.ws();
    if (c.peek() !== 59) return;
    c.i++;
    c.ws();
    if (c.peek() === 59) {
      c.i++;
      c.ws();
    }
    const name = c.token('parameter name').toLowerCase();
    c.ws();
    let value: string | null = null;
    if (c.peek() === 61) {
      c.i++;
      c.ws();
      if (c.peek() === 34) value = c.quoted();
      else {
        const start = c.i;
        let i = start;
        while (i < s.length) {
          const ch = s.charCodeAt(i);
          if (!(isIn(TOKEN, ch) || ch === 58 || ch === 91 || ch === 93)) break;
          i++;
        }
        if (i === start) fail('empty parameter value', start);
        c.i = i;
        value = s.slice(start, i);
      }
    }
    params.set(name, value);
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
 * escapes must be well formed. s[from,to) starts at the first ';'.
 */
export function parseUriParams(s: string, from: number, to: number, params: Params): void {
  let i = from;
  while (i < to) {
    // s[i] === ';'
    i++;
    let end = s.indexOf(';', i);
    if (end < 0 || end > to) end = to;
    if (end === i) {
      // ';;' or trailing ';': tolerated inside a URI (RFC 4475 intmeth has them in the user part only)
      fail('empty URI parameter', i);
    }
    const eq = s.indexOf('=', i);
    const nameEnd = eq >= 0 && eq < end ? eq : end;
    const bad = checkEscaped(s, i, nameEnd, PARAMCHAR);
    if (bad >= 0 || nameEnd === i) fail('bad URI parameter name', bad >= 0 ? bad : i);
    let value: string | null = null;
    if (nameEnd < end) {
      const bad2 = checkEscaped(s, nameEnd + 1, end, PARAMCHAR);
      if (bad2 >= 0 || nameEnd + 1 === end) fail('bad URI parameter value', bad2 >= 0 ? bad2 : end);
      value = s.slice(nameEnd + 1, end);
    }
    const name = s.slice(i, nameEnd);
    // §19.1.4: parameter names compare after unescaping, case-insensitively
    params.set((name.indexOf('%') >= 0 ? unescapeUriPart(name) : name).toLowerCase(), value);
    i = end;
  }
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
    const close = s.indexOf(']', i);
    if (close < 0 || close >= to) return -1;
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
