import { MAX_UINT32, TOKEN, isDigit, isIn, parseBoundedInt, parseBoundedIntIn, sliceTrimmed } from './chars.ts';
import { fail } from './errors.ts';
import { Cursor, formatParams, headerParamsOf, parseHeaderParams, unquote } from './params.ts';
export { formatAuthParams, parseAuthParams } from './auth-params.ts';
import type { CSeq, MediaType, Params } from './types.ts';

/** CSeq = 1*DIGIT LWS Method (§20.16); the number must fit 32 bits (§8.1.1.5, RFC 4475 §3.1.2.4). */
export function parseCSeq(text: string): CSeq {
  const c = new Cursor(text);
  const ms = scanCSeq(c);
  return { seq: cseqNumber(text), method: text.slice(ms, c.i) };
}

function cseqNumber(text: string): number {
  const c = new Cursor(text);
  c.ws();
  const start = c.i;
  while (isDigit(c.peek())) c.i++;
  return parseBoundedIntIn(text, start, c.i, MAX_UINT32);
}

/** Checks a CSeq in s[from,to) without allocating; returns where the method starts (it ends at `to` less trailing LWS). */
export function checkCSeq(s: string, from: number, to: number): number {
  return scanCSeq(Cursor.over(s, from, to));
}

/** Scans a CSeq value; returns the method start, leaves c.i at the method end. */
function scanCSeq(c: Cursor): number {
  c.ws();
  const start = c.i;
  while (isDigit(c.peek())) c.i++;
  if (parseBoundedIntIn(c.s, start, c.i, MAX_UINT32) < 0) fail('CSeq number missing or out of range', start);
  const before = c.i;
  c.ws();
  if (c.i === before) fail('expected LWS in CSeq', c.i);
  const ms = c.skipToken('CSeq method');
  const me = c.i;
  c.ws();
  if (!c.done) fail('junk after CSeq', c.i);
  c.i = me;
  return ms;
}

/** delta-seconds = 1*DIGIT, range-checked to 32 bits (§20.19, RFC 4475 §3.1.2.4); -1 if invalid. */
export function parseDeltaSeconds(text: string): number {
  return parseBoundedInt(text.trim(), MAX_UINT32);
}

/** media-type = m-type SLASH m-subtype *(SEMI m-parameter) (§20.15); type/subtype lower-cased. */
export function parseMediaType(text: string): MediaType {
  return scanMediaType(new Cursor(text), true) as MediaType;
}

/** A media-type in s[from,to), checked and built in one scan (Content-Type at parse time). */
export function mediaTypeIn(s: string, from: number, to: number): MediaType {
  return scanMediaType(Cursor.over(s, from, to), true) as MediaType;
}

function scanMediaType(c: Cursor, build: boolean): MediaType | null {
  c.ws();
  const ts = c.skipToken('media type');
  const te = c.i;
  c.ws();
  if (c.peek() !== 47) fail("expected '/' in media type", c.i);
  c.i++;
  c.ws();
  const ss = c.skipToken('media subtype');
  const se = c.i;
  let params: Params | null = null;
  if (build) params = headerParamsOf(c);
  else parseHeaderParams(c, null);
  c.ws();
  if (!c.done) fail('junk after media type', c.i);
  if (params === null) return null;
  return { type: c.s.slice(ts, te).toLowerCase(), subtype: c.s.slice(ss, se).toLowerCase(), params };
}

export function formatMediaType(m: MediaType): string {
  return `${m.type}/${m.subtype}${formatParams(m.params)}`;
}

/**
 * Comma-separated tokens (Allow, Supported, Require, Unsupported, Proxy-Require...: §20.5, §20.37...);
 * empty elements are skipped, LWS (SP/HT) around each one.
 */
export function parseTokenList(values: readonly string[]): string[] {
  const out: string[] = [];
  for (const v of values) scanTokenList(v, 0, v.length, out);
  return out;
}

/** Checks a token list in s[from,to) (parse time, nothing allocated); `out`: also collects the tokens. */
export function scanTokenList(s: string, from: number, to: number, out: string[] | null): void {
  let i = from;
  while (i < to) {
    let c = s.charCodeAt(i);
    while (i < to && (c === 32 || c === 9 || c === 44)) c = s.charCodeAt(++i);
    if (i >= to) return;
    const ts = i;
    while (i < to && isIn(TOKEN, c)) c = s.charCodeAt(++i);
    if (i === ts) fail('bad token in list', i);
    const te = i;
    while (i < to && (c === 32 || c === 9)) c = s.charCodeAt(++i);
    if (i < to && c !== 44) fail('bad token in list', i);
    if (out !== null) out.push(s.slice(ts, te));
  }
}

const WKDAY = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];
const MONTH = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const DATE_RE = /^([A-Za-z]{3}), (\d{2}) ([A-Za-z]{3}) (\d{4}) (\d{2}):(\d{2}):(\d{2}) GMT$/;

/** SIP-date = rfc1123-date, which must be in "GMT" (§20.17, RFC 4475 §3.1.2.12); epoch ms. */
export function parseSipDate(text: string): number {
  const m = DATE_RE.exec(sliceTrimmed(text, 0, text.length));
  if (m === null) fail('bad SIP-date', 0);
  const [, wd = '', dd = '', mon = '', yyyy = '', hh = '', mi = '', ss = ''] = m;
  const month = MONTH.indexOf(mon);
  if (!WKDAY.includes(wd) || month < 0) fail('bad SIP-date', 0);
  const ms = Date.UTC(Number(yyyy), month, Number(dd), Number(hh), Number(mi), Number(ss));
  if (Number(hh) > 23 || Number(mi) > 59 || Number(ss) > 60 || Number(dd) < 1 || Number(dd) > 31) fail('bad SIP-date', 0);
  return ms;
}

export interface RetryAfter {
  readonly seconds: number;
  readonly comment: string | null;
  readonly params: Params;
}

/** Retry-After = delta-seconds [ comment ] *( SEMI retry-param ) (§20.33). */
export function parseRetryAfter(text: string): RetryAfter {
  const c = new Cursor(text);
  c.ws();
  const start = c.i;
  while (isDigit(c.peek())) c.i++;
  const seconds = parseBoundedInt(text.slice(start, c.i), MAX_UINT32);
  if (seconds < 0) fail('Retry-After out of range', start);
  c.ws();
  let comment: string | null = null;
  if (c.peek() === 40) {
    let depth = 0;
    const cs = c.i;
    for (; c.i < text.length; c.i++) {
      const ch = text.charCodeAt(c.i);
      if (ch === 92) c.i++;
      else if (ch === 40) depth++;
      else if (ch === 41 && --depth === 0) break;
    }
    if (depth !== 0) fail('unterminated comment', cs);
    c.i++;
    comment = text.slice(cs + 1, c.i - 1);
  }
  const params: Params = new Map();
  parseHeaderParams(c, params);
  c.ws();
  if (!c.done) fail('junk after Retry-After', c.i);
  const duration = params.get('duration');
  if (duration !== undefined && (duration === null || parseBoundedInt(duration, MAX_UINT32) < 0)) fail('bad duration', 0);
  return { seconds, comment, params };
}

export interface Warning {
  readonly code: number;
  readonly agent: string;
  readonly text: string;
}

/** warning-value = warn-code SP warn-agent SP warn-text, warn-code = 3DIGIT (§20.43). */
export function parseWarning(values: readonly string[]): Warning[] {
  const out: Warning[] = [];
  for (const v of values) {
    const c = new Cursor(v);
    for (;;) {
      c.ws();
      const cs = c.i;
      while (isDigit(c.peek())) c.i++;
      if (c.i - cs !== 3) fail('warn-code must be 3 digits', cs);
      const code = Number(v.slice(cs, c.i));
      if (c.peek() !== 32) fail('expected SP after warn-code', c.i);
      c.i++;
      const as = c.i;
      while (!c.done && c.peek() !== 32) c.i++;
      if (c.i === as) fail('empty warn-agent', as);
      const agent = v.slice(as, c.i);
      if (c.peek() !== 32) fail('expected SP after warn-agent', c.i);
      c.i++;
      if (c.peek() !== 34) fail('warn-text must be quoted', c.i);
      const text = unquote(c.quoted());
      out.push({ code, agent, text });
      c.ws();
      if (c.done) break;
      if (c.peek() !== 44) fail("expected ','", c.i);
      c.i++;
    }
  }
  return out;
}

export interface EventHeader {
  readonly type: string;
  readonly params: Params;
}

/** Event = event-type *( SEMI event-param ) (RFC 6665 §8.2.1). */
export function parseEvent(text: string): EventHeader {
  const c = new Cursor(text);
  c.ws();
  const type = c.token('event type');
  const params: Params = new Map();
  parseHeaderParams(c, params);
  c.ws();
  if (!c.done) fail('junk after Event', c.i);
  return { type, params };
}

export interface SubscriptionState {
  /** lower-cased: active, pending, terminated or an extension */
  readonly state: string;
  readonly expires: number | null;
  readonly reason: string | null;
  readonly retryAfter: number | null;
  readonly params: Params;
}

/** Subscription-State (RFC 6665 §8.2.3). */
export function parseSubscriptionState(text: string): SubscriptionState {
  const ev = parseEvent(text);
  const num = (k: string): number | null => {
    const v = ev.params.get(k);
    if (v === undefined || v === null) return null;
    const n = parseBoundedInt(v, MAX_UINT32);
    if (n < 0) fail(`bad ${k}`, 0);
    return n;
  };
  return {
    state: ev.type.toLowerCase(),
    expires: num('expires'),
    reason: ev.params.get('reason') ?? null,
    retryAfter: num('retry-after'),
    params: ev.params,
  };
}

export interface Timestamp {
  readonly value: string;
  readonly delay: string | null;
}

/**
 * Timestamp = 1*(DIGIT) [ "." *(DIGIT) ] [ LWS delay ], delay = *(DIGIT) [ "." *(DIGIT) ] (§20.38).
 * One left-to-right scan (a regex with optional whitespace groups backtracked quadratically).
 */
export function parseTimestamp(text: string): Timestamp {
  let i = skipWsAll(text, 0);
  const vs = i;
  i = skipDecimal(text, i);
  if (i === vs || text.charCodeAt(vs) === 46) fail('bad Timestamp', vs);
  const value = text.slice(vs, i);
  const ws = i;
  i = skipWsAll(text, i);
  if (i === text.length) return { value, delay: null };
  if (i === ws) fail('bad Timestamp', i);
  const ds = i;
  i = skipDecimal(text, i);
  const delay = text.slice(ds, i);
  if (skipWsAll(text, i) !== text.length) fail('bad Timestamp', i);
  return { value, delay: delay.length > 0 ? delay : null };
}

/** *(DIGIT) [ "." *(DIGIT) ] from i */
function skipDecimal(s: string, i: number): number {
  while (isDigit(s.charCodeAt(i))) i++;
  if (s.charCodeAt(i) === 46) {
    i++;
    while (isDigit(s.charCodeAt(i))) i++;
  }
  return i;
}

/** skips SP, HT, CR, LF (an unfolded value keeps none, a built one may) */
function skipWsAll(s: string, i: number): number {
  for (;;) {
    const c = s.charCodeAt(i);
    if (c !== 32 && c !== 9 && c !== 13 && c !== 10) return i;
    i++;
  }
}

/** true when a header value is a bare token (used for Call-ID checks, §25.1 callid = word ["@" word]). */
export function isTokenChar(c: number): boolean {
  return isIn(TOKEN, c);
}
