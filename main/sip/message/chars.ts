/**
 * Character classes of the RFC 3261 §25.1 grammar as lookup tables (hot path: no regex per char).
 */
function table(chars: string, alnum: boolean): Uint8Array {
  const t = new Uint8Array(128);
  if (alnum) {
    for (let c = 48; c <= 57; c++) t[c] = 1;
    for (let c = 65; c <= 90; c++) t[c] = 1;
    for (let c = 97; c <= 122; c++) t[c] = 1;
  }
  for (let i = 0; i < chars.length; i++) t[chars.charCodeAt(i)] = 1;
  return t;
}

const UNRESERVED_MARK = "-_.!~*'()";
/** token = 1*(alphanum / "-" / "." / "!" / "%" / "*" / "_" / "+" / "`" / "'" / "~") */
export const TOKEN = table("-.!%*_+`'~", true);
/** user = 1*( unreserved / escaped / user-unreserved ) */
export const USER = table(UNRESERVED_MARK + '&=+$,;?/%', true);
/** password = *( unreserved / escaped / "&" / "=" / "+" / "$" / "," ) */
export const PASSWORD = table(UNRESERVED_MARK + '&=+$,%', true);
/** paramchar = param-unreserved / unreserved / escaped */
export const PARAMCHAR = table(UNRESERVED_MARK + '[]/:&+$%', true);
/** hname/hvalue chars = hnv-unreserved / unreserved / escaped */
export const HNVCHAR = table(UNRESERVED_MARK + '[]/?:+$%', true);
/** hostname chars (plus '_' seen in the wild) */
export const HOSTCHAR = table('-._', true);
/** uric = reserved / unreserved / escaped (for opaque absolute URIs) */
export const URIC = table(UNRESERVED_MARK + ";/?:@&=+$,%[]#", true);
/** word = 1*(alphanum / "-" / "." / "!" / "%" / "*" / "_" / "+" / "`" / "'" / "~" / "(" / ")" / "<" / ">" / ":" / "\" / DQUOTE / "/" / "[" / "]" / "?" / "{" / "}" ) */
export const WORD = table("-.!%*_+`'~()<>:\\\"/[]?{}", true);
/** scheme chars after the first ALPHA */
export const SCHEME = table('+-.', true);

export function isToken(s: string): boolean {
  if (s.length === 0) return false;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c > 127 || TOKEN[c] !== 1) return false;
  }
  return true;
}

export function isIn(t: Uint8Array, c: number): boolean {
  return c < 128 && t[c] === 1;
}

export function isWs(c: number): boolean {
  return c === 32 || c === 9;
}

export function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

export function isHex(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 70) || (c >= 97 && c <= 102);
}

/** Checks every char of s[from,to) is in the table and every '%' starts an escape (§25.1 escaped). */
export function checkEscaped(s: string, from: number, to: number, t: Uint8Array): number {
  for (let i = from; i < to; i++) {
    const c = s.charCodeAt(i);
    if (c > 127 || t[c] !== 1) return i;
    if (c === 37 && !(i + 2 < to && isHex(s.charCodeAt(i + 1)) && isHex(s.charCodeAt(i + 2)))) return i;
  }
  return -1;
}

/** Skips SP/HT from i. */
export function skipWs(s: string, i: number): number {
  while (i < s.length) {
    const c = s.charCodeAt(i);
    if (c !== 32 && c !== 9) break;
    i++;
  }
  return i;
}

/** Parses a decimal integer of 1..10 digits; -1 when not all digits or over max. */
export function parseBoundedInt(s: string, max: number): number {
  return parseBoundedIntIn(s, 0, s.length, max);
}

/** parseBoundedInt over s[from,to) without slicing. */
export function parseBoundedIntIn(s: string, from: number, to: number, max: number): number {
  if (to <= from) return -1;
  let i = from;
  while (i < to - 1 && s.charCodeAt(i) === 48) i++;
  if (to - i > 10) return -1;
  let n = 0;
  for (; i < to; i++) {
    const c = s.charCodeAt(i);
    if (c < 48 || c > 57) return -1;
    n = n * 10 + (c - 48);
  }
  return n > max ? -1 : n;
}

/** s[from,to) equals `lower` (already lower-case ASCII), ignoring ASCII case. */
export function equalsIgnoreCase(s: string, from: number, to: number, lower: string): boolean {
  if (to - from !== lower.length) return false;
  for (let i = 0; i < lower.length; i++) {
    const c = s.charCodeAt(from + i);
    const l = lower.charCodeAt(i);
    if (c !== l && !(c >= 65 && c <= 90 && c + 32 === l)) return false;
  }
  return true;
}

export const MAX_UINT32 = 4294967295;

/** s[from,to) without leading/trailing SP/HT (String.trim would also eat U+FEFF and other spaces). */
export function sliceTrimmed(s: string, from: number, to: number): string {
  while (from < to && isWs(s.charCodeAt(from))) from++;
  while (to > from && isWs(s.charCodeAt(to - 1))) to--;
  return s.slice(from, to);
}

/** Index of the first `code` in s[from,to), or -1 (indexOf would scan past `to`, to the end of the header section). */
export function findChar(s: string, code: number, from: number, to: number): number {
  for (let i = from; i < to; i++) if (s.charCodeAt(i) === code) return i;
  return -1;
}

/**
 * Offset of the first control octet the §25.1 grammar forbids in s[from,to), or -1: every CTL but
 * HT (TEXT-UTF8, qdtext, ctext... exclude them). CR and LF never pass (a line ends at CRLF, §7);
 * another CTL right after a backslash is a quoted-pair (%x00-09 / %x0B-0C / %x0E-7F, RFC 4475
 * §3.1.1.4) and passes. For the fields whose own grammar scanner does not already exclude CTLs.
 */
export function controlAt(s: string, from: number, to: number): number {
  for (let i = from; i < to; i++) {
    const c = s.charCodeAt(i);
    if ((c < 32 && c !== 9) || c === 127) {
      if (c === 13 || c === 10 || i === from || s.charCodeAt(i - 1) !== 92) return i;
    }
  }
  return -1;
}
