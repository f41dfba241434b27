import { isToken } from './chars.ts';
import { fail } from './errors.ts';
import { Cursor, unquote } from './params.ts';
import type { AuthParams } from './types.ts';

/**
 * challenge / credentials = auth-scheme LWS auth-param *(COMMA auth-param) (§25.1, RFC 7235 §2.1).
 * Parameter values are unquoted; an unknown scheme with opaque data keeps what parses.
 */
export function parseAuthParams(text: string): AuthParams {
  const c = new Cursor(text);
  c.ws();
  const scheme = c.token('auth scheme');
  const params = new Map<string, string>();
  scanAuthParamList(c, params);
  return { scheme, params };
}

/**
 * Checks a challenge or credentials in s[from,to) with the same scan as parseAuthParams, building
 * nothing (parse time, "accepted means usable"); `scheme` false: the params alone (Authentication-Info).
 */
export function checkAuthParams(s: string, from: number, to: number, scheme: boolean): void {
  const c = Cursor.over(s, from, to);
  c.ws();
  if (scheme) c.skipToken('auth scheme');
  scanAuthParamList(c, null);
}

/** auth-param *(COMMA auth-param), auth-param = name EQUAL ( token / quoted-string ); `params` null: check only */
function scanAuthParamList(c: Cursor, params: Map<string, string> | null): void {
  const s = c.s;
  c.ws();
  while (!c.done) {
    const ns = c.skipToken('auth-param name');
    const ne = c.i;
    c.ws();
    if (c.peek() !== 61) fail("expected '=' in auth-param", c.i);
    c.i++;
    c.ws();
    const vs = c.i;
    if (c.peek() === 34) c.skipQuoted();
    else {
      let i = vs;
      const end = c.end;
      while (i < end) {
        const ch = s.charCodeAt(i);
        if (ch === 44 || ch === 32 || ch === 9) break;
        if (ch < 32 || ch === 127) fail('control octet in auth-param', i);
        i++;
      }
      c.i = i;
    }
    if (params !== null) {
      const raw = s.slice(vs, c.i);
      params.set(s.slice(ns, ne).toLowerCase(), s.charCodeAt(vs) === 34 ? unquote(raw) : raw);
    }
    c.ws();
    if (c.done) break;
    if (c.peek() !== 44) fail("expected ',' between auth-params", c.i);
    c.i++;
    c.ws();
  }
}

/** Params that are written as tokens, not quoted (RFC 7616 §3.4, RFC 3261 §25.1). */
const UNQUOTED = new Set(['algorithm', 'stale', 'qop', 'nc']);

/** Writes a challenge/credentials; `qop` is quoted in a challenge (WWW-Authenticate), a token in credentials. */
export function formatAuthParams(a: AuthParams, opts: { challenge?: boolean } = {}): string {
  const parts: string[] = [];
  for (const [k, v] of a.params) {
    const bare = UNQUOTED.has(k) && !(k === 'qop' && opts.challenge === true) && isToken(v);
    parts.push(bare ? `${k}=${v}` : `${k}="${v.replace(/["\\]/g, (m) => `\\${m}`)}"`);
  }
  return parts.length === 0 ? a.scheme : `${a.scheme} ${parts.join(', ')}`;
}
