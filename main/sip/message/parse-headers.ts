import { MAX_UINT32, WORD, isIn, parseBoundedInt } from './chars.ts';
import { SipParseError } from './errors.ts';
import type { HeaderList } from './header-list.ts';
import { parseCSeq, parseMediaType, parseRetryAfter, parseSipDate, parseWarning } from './header-values.ts';
import { typed } from './message-base.ts';
import { parseNameAddr } from './name-addr.ts';
import type { CSeq, NameAddr, Via } from './types.ts';
import { parseViaList } from './via.ts';

export interface HeaderCheck {
  readonly error: string | null;
  /** index of the offending header field */
  readonly index: number;
  readonly cseqMethod: string;
  readonly contentLength: number | null;
}

/**
 * Validates, at parse time, the header fields a stateless element needs to trust (RFC 3261 §8.2,
 * §16.3, RFC 4475 §3.1.2) and primes the typed cache with the results, so later typed access is free:
 * Via, From, To, Call-ID, CSeq must be present (Max-Forwards may be absent: RFC 2543 peers, §3.3.15);
 * Route/Record-Route are parsed on first access (a proxy forwards them verbatim);
 * single-valued fields must not repeat (§7.3, RFC 4475 §3.1.2.19); integers are range-checked.
 */
export function validateHeaders(headers: HeaderList, keys: readonly string[], values: readonly string[]): HeaderCheck {
  let vias: Via[] | null = null;
  let from: NameAddr | null = null;
  let to: NameAddr | null = null;
  let callId: string | null = null;
  let cseq: CSeq | null = null;
  let contentLength: number | null = null;
  let maxForwards = -1;
  let seenContentType = false;
  let contacts = false;
  let i = 0;
  const fail = (error: string): HeaderCheck => ({ error, index: i, cseqMethod: '', contentLength: null });
  try {
    for (; i < keys.length; i++) {
      const value = values[i] ?? '';
      switch (keys[i]) {
        case 'via':
          vias = parseViaList(value, vias ?? []);
          break;
        case 'from':
          if (from !== null) return fail('more than one From');
          from = parseNameAddr(value);
          break;
        case 'to':
          if (to !== null) return fail('more than one To');
          to = parseNameAddr(value);
          break;
        case 'call-id':
          if (callId !== null) return fail('more than one Call-ID');
          if (!isCallId(value)) return fail('bad Call-ID');
          callId = value;
          break;
        case 'cseq':
          if (cseq !== null) return fail('more than one CSeq');
          cseq = parseCSeq(value);
          break;
        case 'content-length':
          if (contentLength !== null) return fail('more than one Content-Length');
          contentLength = parseBoundedInt(value, MAX_UINT32);
          if (contentLength < 0) return fail('Content-Length is not a non-negative integer');
          break;
        case 'max-forwards':
          if (maxForwards >= 0) return fail('more than one Max-Forwards');
          maxForwards = parseBoundedInt(value, 255);
          if (maxForwards < 0) return fail('Max-Forwards is not an integer 0-255');
          break;
        case 'content-type':
          if (seenContentType) return fail('more than one Content-Type');
          seenContentType = true;
          parseMediaType(value);
          break;
        case 'expires':
        case 'min-expires':
          if (parseBoundedInt(value, MAX_UINT32) < 0) return fail(`${keys[i]} is not a 32-bit delta-seconds`);
          break;
        case 'contact':
          contacts = true;
          break;
        case 'date':
          parseSipDate(value);
          break;
        case 'retry-after':
          parseRetryAfter(value);
          break;
        case 'warning':
          parseWarning([value]);
          break;
      }
    }
    i = 0;
    if (contacts) headers.prime('contact', typed.contact(headers));
  } catch (e) {
    if (e instanceof SipParseError) return fail(e.reason);
    throw e;
  }
  if (vias === null) return fail('missing Via');
  if (from === null) return fail('missing From');
  if (to === null) return fail('missing To');
  if (callId === null) return fail('missing Call-ID');
  if (cseq === null) return fail('missing CSeq');
  headers.prime('via', vias);
  headers.prime('from', from);
  headers.prime('to', to);
  headers.prime('call-id', callId);
  headers.prime('cseq', cseq);
  headers.prime('content-length', contentLength);
  headers.prime('max-forwards', maxForwards < 0 ? null : maxForwards);
  return { error: null, index: 0, cseqMethod: cseq.method, contentLength };
}

/** callid = word [ "@" word ] (§25.1) */
export function isCallId(s: string): boolean {
  if (s.length === 0) return false;
  let at = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 64) {
      if (++at > 1 || i === 0 || i === s.length - 1) return false;
    } else if (!isIn(WORD, c)) return false;
  }
  return true;
}
