import { isAscii, isUtf8 } from 'node:buffer';
import { TOKEN, isIn } from './chars.ts';
import { SipParseError } from './errors.ts';
import { HeaderList } from './header-list.ts';
import { knownHeaderKey } from './header-names.ts';
import { SipRequest, SipResponse } from './message.ts';
import type { SipMessage } from './message.ts';
import { checkHeaders } from './parse-headers.ts';
import { byteOffset, parseStartLine } from './start-line.ts';
import type { Offsets, StartLine } from './start-line.ts';
import type { HeaderField, PartialMessage } from './types.ts';

export interface ParseOptions {
  /**
   * true: the bytes are one datagram (RFC 3261 §18.3): a missing Content-Length means "the rest",
   * a Content-Length beyond the datagram is an error, octets past it are discarded.
   * false: the bytes are exactly one stream-framed message: Content-Length is required and must
   * match the octets after the headers. Default: datagram rules.
   */
  readonly datagram?: boolean;
  /** largest message accepted, in octets (default 65535, the transport's stream limit too) */
  readonly maxMessageSize?: number;
  /** most header fields accepted (default 256) */
  readonly maxHeaders?: number;
  /** longest header field accepted, in characters after unfolding (default 8192) */
  readonly maxHeaderLine?: number;
}

/** The limits every message is held to, datagram or stream (issue 18: same limits on both). */
export const DEFAULT_PARSE_LIMITS = { maxMessageSize: 65_535, maxHeaders: 256, maxHeaderLine: 8192 } as const;

const CRLFCRLF = Buffer.from('\r\n\r\n');
/** the body of every message without one (zero octets: nothing to share or change) */
const NO_BODY = Buffer.alloc(0);
/** messages up to this size are decoded whole in one call (the header section is most of them) */
const WHOLE_DECODE_MAX = 4096;

/**
 * Parses one SIP message (RFC 3261 §7, §25). Throws SipParseError (with `partial` once the start
 * line was read, so a UAS can answer 400/505, §8.2, §16.3) — never another exception.
 *
 * Everything RFC 4475 §3.1.2 requires rejected is rejected here; the checks scan the header section
 * in one pass and allocate nothing per value. Header fields are kept as offsets into the decoded
 * header section, and typed values (URIs, Via, name-addr...) are built on first access.
 */
export function parseMessage(data: Buffer, opts?: ParseOptions): SipMessage {
  const maxSize = opts?.maxMessageSize ?? DEFAULT_PARSE_LIMITS.maxMessageSize;
  const maxHeaders = opts?.maxHeaders ?? DEFAULT_PARSE_LIMITS.maxHeaders;
  const maxLine = opts?.maxHeaderLine ?? DEFAULT_PARSE_LIMITS.maxHeaderLine;
  if (data.length > maxSize) throw new SipParseError(`message of ${data.length} octets exceeds ${maxSize}`, maxSize);
  let start = 0;
  // §7.5: ignore CRLFs before the start line
  while (start + 1 < data.length && data[start] === 13 && data[start + 1] === 10) start += 2;
  // All ASCII (the usual case): latin1 decoding is the same text, faster, and offsets map 1:1. A
  // short message is decoded whole, once, and the line scan below finds the empty line, with no
  // separate search for it; otherwise the header section (up to and including the empty line) alone.
  const ascii = isAscii(data);
  let head: string;
  let oneToOne = true;
  let headAscii = ascii;
  /** octet offset of the CRLF CRLF that ends the header section; -1 until known */
  let headEnd = -1;
  if (data.length - start <= WHOLE_DECODE_MAX) {
    head = data.toString('latin1', start);
    if (!ascii) {
      // a UTF-8 body (or header section): latin1 still finds the empty line (no UTF-8 sequence holds
      // an octet below 0x80), and the header section is decoded as UTF-8 only when it needs it
      const e = head.indexOf('\r\n\r\n');
      if (e < 0) throw new SipParseError('no empty line after the header fields', data.length);
      headEnd = start + e;
      headAscii = isAscii(data.subarray(start, headEnd + 2));
      if (!headAscii) {
        head = data.toString('utf8', start, headEnd + 4);
        oneToOne = head.length === headEnd + 4 - start;
      }
    }
  } else {
    headEnd = data.indexOf(CRLFCRLF, start);
    if (headEnd < 0) throw new SipParseError('no empty line after the header fields', data.length);
    headAscii = ascii || isAscii(data.subarray(start, headEnd + 2));
    head = headAscii ? data.toString('latin1', start, headEnd + 4) : data.toString('utf8', start, headEnd + 4);
    oneToOne = headAscii || head.length === headEnd + 4 - start;
  }
  const f = new Frame(start, head, oneToOne);

  let lineEnd = nextLineEnd(head, 0);
  if (lineEnd < 0) throw new SipParseError('no empty line after the header fields', data.length);
  const sl = parseStartLine(head, lineEnd, f);

  const pos = POS;
  const keys = KEYS;
  let n = 0;

  const token = TOKEN;
  let p = lineEnd + 2;
  for (;;) {
    lineEnd = nextLineEnd(head, p);
    if (lineEnd < 0) throw fieldError('no empty line after the header fields', head.length, f, sl);
    // the empty line ends the header section (§7)
    if (lineEnd === p) break;
    let vs = p;
    let c = head.charCodeAt(p);
    if (c === 32 || c === 9) {
      // §7.3.1 folding: a continuation line joins the previous value with one SP
      const last = n - 1;
      if (last < 0) throw fieldError('continuation line before any header', p, f, sl);
      while (vs < lineEnd && isWsAt(head, vs)) vs++;
      let ve = lineEnd;
      while (ve > vs && isWsAt(head, ve - 1)) ve--;
      if (ve > vs) {
        const over = (f.over ??= []);
        const prev = over[last] ?? head.slice(pos[4 * last + 2], pos[4 * last + 3]);
        const more = head.slice(vs, ve);
        const joined = prev === '' ? more : `${prev} ${more}`;
        if (joined.length > maxLine) throw fieldError(`header field longer than ${maxLine} characters`, p, f, sl);
        over[last] = joined;
      }
      p = lineEnd + 2;
      continue;
    }
    if (lineEnd - p > maxLine) throw fieldError(`header field longer than ${maxLine} characters`, p, f, sl);
    if (n >= maxHeaders) throw fieldError(`more than ${maxHeaders} header fields`, p, f, sl);
    // field-name = token (§25.1), then LWS and the colon: one scan, no search for the colon
    let nameEnd = p;
    while (c < 128 && token[c] === 1) c = head.charCodeAt(++nameEnd);
    let colon = nameEnd;
    while (c === 32 || c === 9) c = head.charCodeAt(++colon);
    if (c !== 58 || nameEnd === p) throw nameError(head, p, lineEnd, f, sl);
    const key = knownHeaderKey(head, p, nameEnd);
    vs = colon + 1;
    while (vs < lineEnd && isWsAt(head, vs)) vs++;
    let ve = lineEnd;
    while (ve > vs && isWsAt(head, ve - 1)) ve--;
    const k = 4 * n;
    pos[k] = p;
    pos[k + 1] = nameEnd;
    pos[k + 2] = vs;
    pos[k + 3] = ve;
    keys[n] = key;
    f.n = ++n;
    p = lineEnd + 2;
  }
  if (headEnd < 0) headEnd = start + p - 2; // decoded whole: offsets map 1:1

  // Bytes in, bytes out (UTF-8 must be valid, RFC 3629): the decoder would replace a bad sequence
  // with U+FFFD and change the octets (a lone bad octet even decodes to one UTF-16 unit, so the
  // length cannot tell). Control octets (§25.1) are checked field by field in checkHeaders.
  if (!headAscii && !isUtf8(data.subarray(start, headEnd + 2))) throw fieldError('invalid UTF-8 in the header section', 0, f, sl);

  const v = checkHeaders(head, pos, n, keys, f.over);
  if (v.error !== null) throw fieldError(v.error, pos[4 * v.index] ?? 0, f, sl);
  if (sl.kind === 'request' && !(v.cseqMethodEnd - v.cseqMethodStart === sl.method.length && v.cseqSrc.startsWith(sl.method, v.cseqMethodStart))) {
    // RFC 4475 §3.1.2.17/18: CSeq method must match the Request-Line (§8.1.1.5)
    throw fieldError('CSeq method does not match the request method', 0, f, sl);
  }

  // body framing by Content-Length (§18.3, §20.14)
  const bodyStart = headEnd + 4;
  const available = data.length - bodyStart;
  const datagram = opts?.datagram !== false;
  let bodyLength: number;
  if (v.contentLength === null) {
    if (!datagram) throw fieldError('Content-Length is required on a stream transport', 0, f, sl);
    bodyLength = available;
  } else {
    bodyLength = v.contentLength;
    if (bodyLength > available) throw fieldError(`Content-Length ${bodyLength} exceeds the ${available} octets present`, 0, f, sl);
    if (!datagram && bodyLength < available) throw fieldError('octets after the message body', 0, f, sl);
  }
  const body = bodyLength === 0 ? NO_BODY : data.subarray(bodyStart, bodyStart + bodyLength);
  const headers = HeaderList.fromSource(head, pos.slice(0, 4 * n), keys.slice(0, n), f.over);
  headers.prime(v.hot);
  if (sl.kind === 'request') return SipRequest.fromParsed(sl.method, sl.uri, sl.uriText, headers, body);
  return new SipResponse({ status: sl.status, reason: sl.reason, headers, body });
}

/** Why the field line at p is not `field-name HCOLON` (§7.3.1, §25.1): no colon, no name, or a bad name. */
function nameError(head: string, p: number, lineEnd: number, f: Frame, sl: StartLine): SipParseError {
  const colon = head.indexOf(':', p);
  if (colon < 0 || colon > lineEnd) return fieldError('header line without colon', p, f, sl);
  let nameEnd = colon;
  while (nameEnd > p && isWsAt(head, nameEnd - 1)) nameEnd--;
  if (nameEnd === p) return fieldError('empty header name', p, f, sl);
  let i = p;
  while (i < nameEnd && isIn(TOKEN, head.charCodeAt(i))) i++;
  return fieldError('bad header name', i, f, sl);
}

function isWsAt(s: string, i: number): boolean {
  const c = s.charCodeAt(i);
  return c === 32 || c === 9;
}

/**
 * End (the CR) of the line starting at pos; every line of the header section ends in CRLF (§7), and
 * the head ends in one. A bare CR or LF inside a line is a control octet: the field's grammar or
 * its control-octet scan rejects it (checkHeaders, parseStartLine).
 */
function nextLineEnd(head: string, pos: number): number {
  // a one-character search is the engine's fastest; a bare LF (no CR before it) stays inside the line
  // (the LF of a CRLF at pos or later is at pos + 1 or later)
  let lf = head.indexOf('\n', pos + 1);
  while (lf >= 0 && head.charCodeAt(lf - 1) !== 13) lf = head.indexOf('\n', lf + 1);
  return lf < 0 ? -1 : lf - 1;
}

/**
 * The framing loop's fields, reused by every call (parseMessage never re-enters; each message keeps
 * an exact copy): 4 offsets a field into head (name start/end, value start/end, trimmed) and the
 * canonical name when known (knownHeaderKey), else null. Written by index, never grown per message.
 */
const POS: number[] = Array.from({ length: 4 * DEFAULT_PARSE_LIMITS.maxHeaders }, () => 0);
const KEYS: (string | null)[] = Array.from({ length: DEFAULT_PARSE_LIMITS.maxHeaders }, () => null);

/** The header section being framed: where it came from (Offsets) and its fields so far. */
class Frame implements Offsets {
  /** fields framed so far, in POS and KEYS */
  n = 0;
  /** unfolded values (§7.3.1), by field index; only allocated when a message folds a line */
  over: (string | null)[] | null = null;
  readonly start: number;
  readonly head: string;
  readonly oneToOne: boolean;
  constructor(start: number, head: string, oneToOne: boolean) {
    this.start = start;
    this.head = head;
    this.oneToOne = oneToOne;
  }
}

/** A SipParseError at head offset `at`, with the fields read so far (§8.2: enough to answer 400) */
function fieldError(reason: string, at: number, f: Frame, sl: StartLine): SipParseError {
  const headers = HeaderList.fromSource(f.head, POS.slice(0, 4 * f.n), KEYS.slice(0, f.n), f.over?.slice(0, f.n) ?? null);
  return new SipParseError(reason, byteOffset(f, at), partialOf(sl, headers));
}

function partialOf(sl: StartLine, headers: HeaderList): PartialMessage {
  const fields: HeaderField[] = headers.toArray();
  return sl.kind === 'request' ? { kind: 'request', method: sl.method, headers: fields } : { kind: 'response', status: sl.status, headers: fields };
}
