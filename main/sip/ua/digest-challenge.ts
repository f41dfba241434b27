/**
 * Parsing of WWW-Authenticate / Proxy-Authenticate values into digest challenges
 * (RFC 3261 §20.27, §20.44, §22.2, §22.3, §25.1 `challenge`; RFC 7235 §4.1 / RFC 7616 §3.3).
 *
 * One header value may carry several challenges ("Digest realm=.., nonce=.., Digest realm=..");
 * a response may carry several header fields. Scheme and parameter names are case-insensitive,
 * values are quoted-strings (with quoted-pairs) or tokens. Bad input never throws: a value that
 * cannot be read is reported in `problems` and the other values still count.
 */
import type { AuthParams } from '../message/index.ts';
import { parseDigestAlgorithm } from './digest-algorithm.ts';
import type { DigestAlgorithm } from './digest-algorithm.ts';

/** 'www' = 401 WWW-Authenticate / Authorization; 'proxy' = 407 Proxy-Authenticate / Proxy-Authorization. */
export type ChallengeKind = 'www' | 'proxy';

export interface DigestChallenge {
  readonly kind: ChallengeKind;
  readonly realm: string;
  readonly nonce: string;
  readonly opaque: string | null;
  /** null when the offered algorithm is unknown to us (`algorithmName` tells which) */
  readonly algorithm: DigestAlgorithm | null;
  /** as offered; "MD5" when absent (RFC 2617 §3.2.1) */
  readonly algorithmName: string;
  /** qop-options, lower-cased; empty = no qop (RFC 2069 compatibility, RFC 2617 §3.2.2.1) */
  readonly qop: readonly string[];
  /** RFC 2617 §3.2.1: the nonce was stale but the credentials were right */
  readonly stale: boolean;
  /** RFC 7616 §3.4.4: the server accepts a hashed username */
  readonly userhash: boolean;
  readonly domain: string | null;
  readonly charset: string | null;
}

export interface ParsedChallenges {
  readonly challenges: readonly DigestChallenge[];
  /** values or challenges that were skipped, in plain words */
  readonly problems: readonly string[];
}

const TOKEN_CHARS = /[A-Za-z0-9\-.!%*_+`'~]/;
const TOKEN68 = /^[A-Za-z0-9\-._~+/]+=*$/;

class BadValue extends Error {}

/**
 * Splits one header value into challenges (any scheme). Returns null when the value is malformed.
 * `1#challenge` with `challenge = auth-scheme 1*SP ( token68 / #auth-param )`.
 */
export function parseAuthChallengeList(value: string): AuthParams[] | null {
  try {
    return scan(value);
  } catch (e) {
    if (e instanceof BadValue) return null;
    throw e;
  }
}

function scan(s: string): AuthParams[] {
  const out: { scheme: string; params: Map<string, string> }[] = [];
  let i = 0;
  const ws = (): void => {
    while (i < s.length && (s[i] === ' ' || s[i] === '\t')) i++;
  };
  const token = (): string => {
    const start = i;
    while (i < s.length && TOKEN_CHARS.test(s[i] ?? '')) i++;
    if (i === start) throw new BadValue(`expected a token at ${start}`);
    return s.slice(start, i);
  };
  const quoted = (): string => {
    let outStr = '';
    i++; // opening quote
    for (;;) {
      const ch = s[i];
      if (ch === undefined) throw new BadValue('unterminated quoted-string');
      if (ch === '"') {
        i++;
        return outStr;
      }
      if (ch === '\\') {
        const next = s[i + 1];
        if (next === undefined) throw new BadValue('bad quoted-pair');
        outStr += next;
        i += 2;
        continue;
      }
      outStr += ch;
      i++;
    }
  };
  /** a parameter value: quoted-string or a run up to ',' / whitespace (lenient token) */
  const paramValue = (): string => {
    if (s[i] === '"') return quoted();
    const start = i;
    while (i < s.length && s[i] !== ',' && s[i] !== ' ' && s[i] !== '\t' && s[i] !== '"') i++;
    if (i === start) throw new BadValue(`empty parameter value at ${start}`);
    return s.slice(start, i);
  };
  const elementEnd = (): number => {
    let j = i;
    while (j < s.length && s[j] !== ',') j++;
    return j;
  };
  for (;;) {
    while (i < s.length && (s[i] === ',' || s[i] === ' ' || s[i] === '\t')) i++;
    if (i >= s.length) break;
    const name = token();
    ws();
    let complete: boolean; // true after an auth-param or token68: only ',' or the end may follow
    if (s[i] === '=') {
      // auth-param of the current challenge
      const current = out[out.length - 1];
      if (!current) throw new BadValue('parameter before any auth-scheme');
      i++;
      ws();
      const v = paramValue();
      const key = name.toLowerCase();
      // RFC 7616 §3.3: a parameter appears at most once; keep the first
      if (!current.params.has(key)) current.params.set(key, v);
      complete = true;
    } else {
      // a new challenge: auth-scheme, then token68 or the first auth-param (or nothing)
      const challenge = { scheme: name, params: new Map<string, string>() };
      out.push(challenge);
      complete = false;
      if (i < s.length && s[i] !== ',') {
        const end = elementEnd();
        const rest = s.slice(i, end).trim();
        if (TOKEN68.test(rest) && !/^[^=]+=[^=]/.test(rest)) {
          challenge.params.set('token68', rest);
          i = end;
          complete = true;
        }
      }
    }
    ws();
    if (i < s.length && s[i] !== ',') {
      if (complete) throw new BadValue(`missing comma at ${i}`);
      if (!TOKEN_CHARS.test(s[i] ?? '')) throw new BadValue(`unexpected character at ${i}`);
    }
  }
  return out;
}

/** Builds the digest view of one challenge; null plus a reason when it is not a usable Digest challenge. */
export function toDigestChallenge(
  auth: AuthParams,
  kind: ChallengeKind,
): { challenge: DigestChallenge } | { problem: string } {
  if (auth.scheme.toLowerCase() !== 'digest') return { problem: `${auth.scheme} scheme is not supported` };
  const p = auth.params;
  const realm = p.get('realm');
  const nonce = p.get('nonce');
  // RFC 2617 §3.2.1: realm and nonce are required in a digest challenge
  if (realm === undefined) return { problem: 'Digest challenge without realm' };
  if (nonce === undefined) return { problem: 'Digest challenge without nonce' };
  const algorithmName = p.get('algorithm') ?? 'MD5';
  const qopRaw = p.get('qop');
  const qop =
    qopRaw === undefined
      ? []
      : qopRaw
          .split(',')
          .map((q) => q.trim().toLowerCase())
          .filter((q) => q.length > 0);
  return {
    challenge: {
      kind,
      realm,
      nonce,
      opaque: p.get('opaque') ?? null,
      algorithm: parseDigestAlgorithm(p.get('algorithm')),
      algorithmName,
      qop,
      // RFC 7616 §3.3: stale / userhash are case-insensitive "true"
      stale: (p.get('stale') ?? '').toLowerCase() === 'true',
      userhash: (p.get('userhash') ?? '').toLowerCase() === 'true',
      domain: p.get('domain') ?? null,
      charset: p.get('charset') ?? null,
    },
  };
}

/**
 * All digest challenges of a 401 (WWW-Authenticate values, kind 'www') or a 407
 * (Proxy-Authenticate values, kind 'proxy'), in header order.
 */
export function parseDigestChallenges(values: readonly string[], kind: ChallengeKind): ParsedChallenges {
  const challenges: DigestChallenge[] = [];
  const problems: string[] = [];
  for (const value of values) {
    const list = parseAuthChallengeList(value);
    if (list === null) {
      problems.push(`unreadable challenge: ${value}`);
      continue;
    }
    for (const auth of list) {
      const r = toDigestChallenge(auth, kind);
      if ('challenge' in r) challenges.push(r.challenge);
      else problems.push(r.problem);
    }
  }
  return { challenges, problems };
}
