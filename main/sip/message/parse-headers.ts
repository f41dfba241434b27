import { MAX_UINT32, WORD, controlAt, isIn, parseBoundedIntIn } from './chars.ts';
import { SipParseError } from './errors.ts';
import { checkCSeq, mediaTypeIn, parseRetryAfter, parseSipDate, parseWarning } from './header-values.ts';
import { HotValues } from './header-list.ts';
import { checkReadHeader } from './check-values.ts';
import { checkNameAddrList, nameAddrIn } from './name-addr.ts';
import { PARAM_RULE_EXPIRES } from './params.ts';
import type { NameAddr } from './types.ts';
import { methodName } from './start-line.ts';
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
  /**
   * built while validating (one scan): every layer reads them (transaction and dialog matching,
   * §17.1.3, §17.2.3, §12.2.2; Contact and Content-Type for every INVITE, REGISTER and MESSAGE)
   */
  hot: HotValues;
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
 * Fields 0..n-1: field i is head[pos[4i+2], pos[4i+3]) unless over[i] holds its unfolded value.
 */
export function checkHeaders(head: string, pos: readonly number[], n: number, keys: readonly (string | null)[], over: readonly (string | null)[] | null): HeaderCheck {
  const hot = new HotValues();
  const r: HeaderCheck = { error: null, index: 0, cseqSrc: '', cseqMethodStart: -1, cseqMethodEnd: -1, contentLength: null, hot };
  let contact: NameAddr[] | null = null;
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
    for (; i < n; i++) {
      const key = keys[i] ?? null;
      const o = over?.[i];
      const folded = o !== undefined && o !== null;
      const s = folded ? o : head;
      const a = folded ? 0 : (pos[4 * i + 2] ?? 0);
      const b = folded ? o.length : (pos[4 * i + 3] ?? 0);
      if (key === null) {
        if (controlAt(s, a, b) >= 0) return failAt(r, i, controlError(s, a, b));
        continue;
      }
      // the cases that return early from the switch have a scanner that rejects every CTL (§25.1)
      switch (key) {
        case 'via':
          if (via) checkViaList(s, a, b, false);
          else hot.topVia = checkViaList(s, a, b, true);
          via = true;
          break;
        case 'from':
          if (from) return failAt(r, i, 'more than one From');
          hot.from = nameAddrIn(s, a, b);
          from = true;
          break;
        case 'to':
          if (to) return failAt(r, i, 'more than one To');
          hot.to = nameAddrIn(s, a, b);
          to = true;
          break;
        case 'call-id':
          if (callId) return failAt(r, i, 'more than one Call-ID');
          if (!isCallIdIn(s, a, b)) return failAt(r, i, 'bad Call-ID');
          hot.callId = s.slice(a, b);
          callId = true;
          break;
        case 'cseq':
          if (r.cseqMethodStart >= 0) return failAt(r, i, 'more than one CSeq');
          r.cseqMethodStart = checkCSeq(s, a, b);
          r.cseqMethodEnd = b;
          r.cseqSrc = s;
          hot.cseq = { seq: parseBoundedIntIn(s, a, firstNonDigit(s, a, b), MAX_UINT32), method: methodName(s, r.cseqMethodStart, b) };
          break;
        case 'content-length':
          if (r.contentLength !== null) return failAt(r, i, 'more than one Content-Length');
          r.contentLength = parseBoundedIntIn(s, a, b, MAX_UINT32);
          if (r.contentLength < 0) return failAt(r, i, 'Content-Length is not a non-negative integer');
          break;
        case 'max-forwards':
          if (maxForwards) return failAt(r, i, 'more than one Max-Forwards');
          hot.maxForwards = parseBoundedIntIn(s, a, b, 255);
          if (hot.maxForwards < 0) return failAt(r, i, 'Max-Forwards is not an integer 0-255');
          maxForwards = true;
          break;
        case 'content-type':
          if (contentType) return failAt(r, i, 'more than one Content-Type');
          hot.contentType = mediaTypeIn(s, a, b);
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
          else checkContact(s, a, b, (contact ??= []));
          if (star && contacts > 1) return failAt(r, i, 'Contact: * must be the only Contact value');
          break;
        case 'route':
        case 'record-route':
          checkReadHeader(key, s, a, b);
          break;
        case 'date':
          parseSipDate(s.slice(a, b)); // rfc1123-date, a fixed pattern: no CTL passes
          break;
        case 'retry-after':
          if (controlAt(s, a, b) >= 0) return failAt(r, i, controlError(s, a, b));
          parseRetryAfter(s.slice(a, b));
          break;
        case 'warning':
          if (controlAt(s, a, b) >= 0) return failAt(r, i, controlError(s, a, b));
          parseWarning([s.slice(a, b)]);
          break;
        default:
          if (!checkReadHeader(key, s, a, b) && controlAt(s, a, b) >= 0) return failAt(r, i, controlError(s, a, b));
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
  hot.contact = star ? '*' : (contact ?? []);
  hot.contentLength = r.contentLength;
  hot.maxForwards ??= null;
  hot.contentType ??= null;
  return r;
}

function controlError(s: string, a: number, b: number): string {
  return `control octet 0x${s.charCodeAt(controlAt(s, a, b)).toString(16).padStart(2, '0')} in a header field`;
}

function failAt(r: HeaderCheck, index: number, error: string): HeaderCheck {
  r.error = error;
  r.index = index;
  return r;
}

function checkContact(s: string, a: number, b: number, into: NameAddr[]): void {
  try {
    checkNameAddrList(s, a, b, PARAM_RULE_EXPIRES, into);
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
