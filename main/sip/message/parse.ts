import { isAscii, isUtf8 } from 'node:buffer';
import { TOKEN } from './chars.ts';
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
  const headEnd = data.indexOf(CRLFCRLF, start);
  if (headEnd < 0) throw new SipParseError('no empty line after the header fields', data.length);
  // all ASCII (the usual case): latin1 decoding is the same text, faster, and offsets map 1:1
  // (a whole message in ASCII, the usual case, is checked without a view of its header section)
  const ascii = isAscii(data) || isAscii(data.subarray(start, headEnd + 2));
  const head = ascii ? data.toString('latin1', start, headEnd + 2) : data.toString('utf8', start, headEnd + 2);
  const oneToOne = ascii || head.length === headEnd + 2 - start;
  const f = new Frame(start, head, oneToOne);

  let lineEnd = nextLineEnd(head, 0);
  const sl = parseStartLine(head, lineEnd, f);

  const pos = f.pos;
  const keys = f.keys;

  const token = TOKEN;
  let p = lineEnd + 2;
  while (p < head.length) {
    lineEnd = nextLineEnd(head, p);
    let vs = p;
    const first = head.charCodeAt(p);
    if (first === 32 || first === 9) {
      // §7.3.1 folding: a continuation line joins the previous value with one SP
      const last = keys.length - 1;
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
    if (keys.length >= maxHeaders) throw fieldError(`more than ${maxHeaders} header fields`, p, f, sl);
    const colon = head.indexOf(':', p);
    if (colon < 0 || colon > lineEnd) throw fieldError('header line without colon', p, f, sl);
    let nameEnd = colon;
    while (nameEnd > p && isWsAt(head, nameEnd - 1)) nameEnd--;
    if (nameEnd === p) throw fieldError('empty header name', p, f, sl);
    // field-name = token (§25.1); a known name is one already
    const key = knownHeaderKey(head, p, nameEnd);
    if (key === null) {
      for (let i = p; i < nameEnd; i++) {
        const c = head.charCodeAt(i);
        if (c > 127 || token[c] !== 1) throw fieldError('bad header name', i, f, sl);
      }
    }
    vs = colon + 1;
    while (vs < lineEnd && isWsAt(head, vs)) vs++;
    let ve = lineEnd;
    while (ve > vs && isWsAt(head, ve - 1)) ve--;
    pos.push(p, nameEnd, vs, ve);
    keys.push(key);
    p = lineEnd + 2;
  }

  // Bytes in, bytes out (UTF-8 must be valid, RFC 3629): the decoder would replace a bad sequence
  // with U+FFFD and change the octets (a lone bad octet even decodes to one UTF-16 unit, so the
  // length cannot tell). Control octets (§25.1) are checked field by field in checkHeaders.
  if (!ascii && !isUtf8(data.subarray(start, headEnd + 2))) throw fieldError('invalid UTF-8 in the header section', 0, f, sl);

  const v = checkHeaders(head, pos, keys, f.over);
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
  const headers = HeaderList.fromSource(head, pos, keys, f.over);
  headers.prime(v.hot);
  if (sl.kind === 'request') return SipRequest.fromParsed(sl.method, sl.uri, sl.uriText, headers, body);
  return new SipResponse({ status: sl.status, reason: sl.reason, headers, body });
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
  return head.indexOf('\r\n', pos);
}

/** The header section being framed: where it came from (Offsets) and its fields so far. */
class Frame implements Offsets {
  /** 4 offsets a field into head: name start/end, value start/end (trimmed) */
  readonly pos: number[] = [];
  /** canonical name when known (knownHeaderKey), else null */
  readonly keys: (string | null)[] = [];
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
  const headers = HeaderList.fromSource(f.head, f.pos.slice(), f.keys.slice(), f.over?.slice() ?? null);
  return new SipParseError(reason, byteOffset(f, at), partialOf(sl, headers));
}

function partialOf(sl: StartLine, headers: HeaderList): PartialMessage {
  const fields: HeaderField[] = headers.toArray();
  return sl.kind === 'request' ? { kind: 'request', method: sl.method, headers: fields } : { kind: 'response', status: sl.status, headers: fields };
}
