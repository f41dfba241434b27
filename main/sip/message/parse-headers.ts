import { MAX_UINT32, WORD, isIn, parseBoundedIntIn } from './chars.ts';
import { SipParseError } from './errors.ts';
import { checkCSeq, checkMediaType, parseRetryAfter, parseSipDate, parseWarning } from './header-values.ts';
import { checkReadHeader } from './check-values.ts';
import { checkNameAddr, checkNameAddrList } from './name-addr.ts';
import { PARAM_RULE_EXPIRES } from './params.ts';
import type { CSeq, Via } from './types.ts';
import { checkViaList } from './via.ts';

/** The parse-time verdict on the header fields (mutable scratch, one per parseMessage call). */
export interface HeaderCheck {
  error: string | null;
  /** index of the offending header field */
  index: number;
  /** where the CSeq method is: cseqSrc[cseqMethodStart, cseqMethodEnd) */
  cseqSrc: string;
  cseqMethodStart: number;
  cseqMethodEnd: number;
  contentLength: number | null;
  /** built at parse time: every layer reads them (transaction matching, §17.1.3, §17.2.3) */
  topVia: Via | null;
  cseq: CSeq | null;
}

/**
 * Validates, at parse time and without building values, the header fields a stateless element needs
 * to trust (RFC 3261 §8.2, §16.3, RFC 4475 §3.1.2): Via, From, To, Call-ID, CSeq must be present
 * (Max-Forwards may be absent: RFC 2543 peers, RFC 4475 §3.3.15); single-valued fields must not
 * repeat (§7.3, RFC 4475 §3.1.2.19); integers are range-checked; Via, From, To, Contact, CSeq and
 * Content-Type are checked against the §25.1 grammar. Typed values are built on first access by
 * the same scanners, so what passes here parses there; every other field the stack reads
 * (Route, Record-Route, auth, option tags, Accept, Event...) is checked by check-values.ts.
 *
 * Field i is head[pos[4i+2], pos[4i+3]) unless over[i] holds its unfolded value.
 */
export function checkHeaders(head: string, pos: readonly number[], keys: readonly (string | null)[], over: readonly (string | null)[] | null): HeaderCheck {
  const r: HeaderCheck = { error: null, index: 0, cseqSrc: '', cseqMethodStart: -1, cseqMethodEnd: -1, contentLength: null, topVia: null, cseq: null };
  let via = false;
  let from = false;
  let to = false;
  let callId = false;
  let maxForwards = false;
  let contentType = false;
  let contacts = 0;
  let star = false;
  let i = 0;
  try {
    for (; i < keys.length; i++) {
      const key = keys[i];
      if (key === null || key === undefined) continue;
      const o = over?.[i];
      const folded = o !== undefined && o !== null;
      const s = folded ? o : head;
      const a = folded ? 0 : (pos[4 * i + 2] ?? 0);
      const b = folded ? o.length : (pos[4 * i + 3] ?? 0);
      switch (key) {
        case 'via':
          if (via) checkViaList(s, a, b, false);
          else r.topVia = checkViaList(s, a, b, true);
          via = true;
          break;
        case 'from':
          if (from) return failAt(r, i, 'more than one From');
          checkNameAddr(s, a, b);
          from = true;
          break;
        case 'to':
          if (to) return failAt(r, i, 'more than one To');
          checkNameAddr(s, a, b);
          to = true;
          break;
        case 'call-id':
          if (callId) return failAt(r, i, 'more than one Call-ID');
          if (!isCallIdIn(s, a, b)) return failAt(r, i, 'bad Call-ID');
          callId = true;
          break;
        case 'cseq':
          if (r.cseqMethodStart >= 0) return failAt(r, i, 'more than one CSeq');
          r.cseqMethodStart = checkCSeq(s, a, b);
          r.cseqMethodEnd = b;
          r.cseqSrc = s;
          r.cseq = { seq: parseBoundedIntIn(s, a, firstNonDigit(s, a, b), MAX_UINT32), method: s.slice(r.cseqMethodStart, b) };
          break;
        case 'content-length':
          if (r.contentLength !== null) return failAt(r, i, 'more than one Content-Length');
          r.contentLength = parseBoundedIntIn(s, a, b, MAX_UINT32);
          if (r.contentLength < 0) return failAt(r, i, 'Content-Length is not a non-negative integer');
          break;
        case 'max-forwards':
          if (maxForwards) return failAt(r, i, 'more than one Max-Forwards');
          if (parseBoundedIntIn(s, a, b, 255) < 0) return failAt(r, i, 'Max-Forwards is not an integer 0-255');
          maxForwards = true;
          break;
        case 'content-type':
          if (contentType) return failAt(r, i, 'more than one Content-Type');
          checkMediaType(s, a, b);
          contentType = true;
          break;
        case 'expires':
        case 'min-expires':
          if (parseBoundedIntIn(s, a, b, MAX_UINT32) < 0) return failAt(r, i, `${key} is not a 32-bit delta-seconds`);
          break;
        case 'contact':
          // §20.10, §10.2.2: "*" only alone; each expires param is delta-seconds (RFC 4475 §3.1.2.4)
          contacts++;
          if (b - a === 1 && s.charCodeAt(a) === 42) star = true;
          else checkContact(s, a, b);
          if (star && contacts > 1) return failAt(r, i, 'Contact: * must be the only Contact value');
          break;
        case 'date':
          parseSipDate(s.slice(a, b));
          break;
        case 'retry-after':
          parseRetryAfter(s.slice(a, b));
          break;
        case 'warning':
          parseWarning([s.slice(a, b)]);
          break;
        default:
          checkReadHeader(key, s, a, b);
      }
    }
  } catch (e) {
    if (e instanceof SipParseError) return failAt(r, i, e.reason);
    throw e;
  }
  i = 0;
  if (!via) return failAt(r, i, 'missing Via');
  if (!from) return failAt(r, i, 'missing From');
  if (!to) return failAt(r, i, 'missing To');
  if (!callId) return failAt(r, i, 'missing Call-ID');
  if (r.cseqMethodStart < 0) return failAt(r, i, 'missing CSeq');
  return r;
}

function failAt(r: HeaderCheck, index: number, error: string): HeaderCheck {
  r.error = error;
  r.index = index;
  return r;
}

function checkContact(s: string, a: number, b: number): void {
  try {
    checkNameAddrList(s, a, b, PARAM_RULE_EXPIRES);
  } catch (e) {
    if (e instanceof SipParseError) throw new SipParseError(`Contact: ${e.reason}`, e.offset);
    throw e;
  }
}

/** callid = word [ "@" word ] (§25.1) */
export function isCallId(s: string): boolean {
  return isCallIdIn(s, 0, s.length);
}

function isCallIdIn(s: string, from: number, to: number): boolean {
  if (to <= from) return false;
  let at = 0;
  for (let i = from; i < to; i++) {
    const c = s.charCodeAt(i);
    if (c === 64) {
      if (++at > 1 || i === from || i === to - 1) return false;
    } else if (!isIn(WORD, c)) return false;
  }
  return true;
}

function firstNonDigit(s: string, from: number, to: number): number {
  let i = from;
  while (i < to && s.charCodeAt(i) >= 48 && s.charCodeAt(i) <= 57) i++;
  return i;
}
