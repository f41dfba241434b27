import { TOKEN, isIn, parseBoundedInt, sliceTrimmed } from './chars.ts';
import { SipParseError } from './errors.ts';
import { HeaderList, canonicalHeaderName } from './header-list.ts';
import { validateHeaders } from './parse-headers.ts';
import { SipRequest, SipResponse } from './message.ts';
import type { SipMessage } from './message.ts';
import type { HeaderField, PartialMessage, Uri } from './types.ts';
import { isSipUri, parseUri } from './uri.ts';

export interface ParseOptions {
  /**
   * true: the bytes are one datagram (RFC 3261 §18.3): a missing Content-Length means "the rest",
   * a Content-Length beyond the datagram is an error, octets past it are discarded.
   * false: the bytes are exactly one stream-framed message: Content-Length is required and must
   * match the octets after the headers. Default: datagram rules.
   */
  readonly datagram?: boolean;
}

const CRLFCRLF = Buffer.from('\r\n\r\n');

interface StartLine {
  readonly kind: 'request' | 'response';
  readonly method: string;
  readonly uri: Uri | null;
  readonly uriText: string;
  readonly status: number;
  readonly reason: string;
}

/**
 * Parses one SIP message (RFC 3261 §7, §25). Throws SipParseError (with `partial` once the start
 * line was read, so a UAS can answer 400/505, §8.2, §16.3) — never another exception.
 */
export function parseMessage(data: Buffer, opts?: ParseOptions): SipMessage {
  let start = 0;
  // §7.5: ignore CRLFs before the start line
  while (start + 1 < data.length && data[start] === 13 && data[start + 1] === 10) start += 2;
  const headEnd = data.indexOf(CRLFCRLF, start);
  if (headEnd < 0) throw new SipParseError('no empty line after the header fields', data.length);
  const head = data.toString('utf8', start, headEnd + 2);
  const byteOffset = (i: number): number => start + (i <= 0 ? 0 : Buffer.byteLength(head.slice(0, i)));

  let lineEnd = nextLineEnd(head, 0, byteOffset);
  const sl = parseStartLine(head.slice(0, lineEnd), byteOffset);

  const names: string[] = [];
  const values: string[] = [];
  const keys: string[] = [];
  const lineStarts: number[] = [];
  const partial = (): PartialMessage => {
    const headers: HeaderField[] = names.map((name, i) => ({ name, value: values[i] ?? '' }));
    return sl.kind === 'request' ? { kind: 'request', method: sl.method, headers } : { kind: 'response', status: sl.status, headers };
  };
  const error = (reason: string, at: number, status = 400): SipParseError => new SipParseError(reason, byteOffset(at), partial(), status);

  let pos = lineEnd + 2;
  while (pos < head.length) {
    lineEnd = nextLineEnd(head, pos, byteOffset);
    const first = head.charCodeAt(pos);
    if (first === 32 || first === 9) {
      // §7.3.1 folding: a continuation line joins the previous value with one SP
      const last = values.length - 1;
      if (last < 0) throw error('continuation line before any header', pos);
      const more = sliceTrimmed(head, pos, lineEnd);
      if (more.length > 0) values[last] = values[last] === '' ? more : `${values[last]} ${more}`;
      pos = lineEnd + 2;
      continue;
    }
    const colon = head.indexOf(':', pos);
    if (colon < 0 || colon > lineEnd) throw error('header line without colon', pos);
    let nameEnd = colon;
    while (nameEnd > pos && (head.charCodeAt(nameEnd - 1) === 32 || head.charCodeAt(nameEnd - 1) === 9)) nameEnd--;
    for (let i = pos; i < nameEnd; i++) if (!isIn(TOKEN, head.charCodeAt(i))) throw error('bad header name', i);
    if (nameEnd === pos) throw error('empty header name', pos);
    const name = head.slice(pos, nameEnd);
    names.push(name);
    values.push(sliceTrimmed(head, colon + 1, lineEnd));
    keys.push(canonicalHeaderName(name));
    lineStarts.push(pos);
    pos = lineEnd + 2;
  }

  const headers = HeaderList.fromParsed(names, values, keys);
  const v = validateHeaders(headers, keys, values);
  if (v.error !== null) throw error(v.error, lineStarts[v.index] ?? 0);
  if (sl.kind === 'request' && v.cseqMethod !== sl.method) {
    // RFC 4475 §3.1.2.17/18: CSeq method must match the Request-Line (§8.1.1.5)
    throw error('CSeq method does not match the request method', 0);
  }

  // body framing by Content-Length (§18.3, §20.14)
  const bodyStart = headEnd + 4;
  const available = data.length - bodyStart;
  const datagram = opts?.datagram !== false;
  let bodyLength: number;
  if (v.contentLength === null) {
    if (!datagram) throw error('Content-Length is required on a stream transport', 0);
    bodyLength = available;
  } else {
    bodyLength = v.contentLength;
    if (bodyLength > available) throw error(`Content-Length ${bodyLength} exceeds the ${available} octets present`, 0);
    if (!datagram && bodyLength < available) throw error('octets after the message body', 0);
  }
  const body = data.subarray(bodyStart, bodyStart + bodyLength);
  if (sl.kind === 'request') return SipRequest.fromParsed(sl.method, sl.uri as Uri, sl.uriText, headers, body);
  return new SipResponse({ status: sl.status, reason: sl.reason, headers, body });
}

function nextLineEnd(head: string, pos: number, byteOffset: (i: number) => number): number {
  const nl = head.indexOf('\n', pos);
  const cr = head.indexOf('\r', pos);
  if (nl < 0 || cr !== nl - 1) throw new SipParseError('bare CR or LF in the header section', byteOffset(Math.min(nl < 0 ? cr : nl, cr < 0 ? nl : cr)));
  return cr;
}

function parseStartLine(line: string, byteOffset: (i: number) => number): StartLine {
  const sp1 = line.indexOf(' ');
  if (sp1 <= 0) throw new SipParseError('bad start line', byteOffset(0));
  if (line.startsWith('SIP/')) {
    // Status-Line = SIP-Version SP Status-Code SP Reason-Phrase (§7.2)
    const version = line.slice(0, sp1);
    if (version !== 'SIP/2.0') throw new SipParseError('unsupported SIP-Version', byteOffset(0), null, 505);
    const code = line.slice(sp1 + 1, sp1 + 4);
    const after = line.charCodeAt(sp1 + 4);
    const status = parseBoundedInt(code, 699);
    if (code.length !== 3 || status < 100 || !(Number.isNaN(after) || after === 32)) {
      throw new SipParseError('Status-Code must be 3 digits 100-699', byteOffset(sp1 + 1));
    }
    return { kind: 'response', method: '', uri: null, uriText: '', status, reason: line.slice(sp1 + 5) };
  }
  // Request-Line = Method SP Request-URI SP SIP-Version (§7.1, §25.1): single SPs, no LWS in the URI
  const method = line.slice(0, sp1);
  for (let i = 0; i < sp1; i++) if (!isIn(TOKEN, line.charCodeAt(i))) throw new SipParseError('bad method', byteOffset(i));
  const partial: PartialMessage = { kind: 'request', method, headers: [] };
  const sp2 = line.indexOf(' ', sp1 + 1);
  if (sp2 < 0 || sp2 === sp1 + 1) throw new SipParseError('bad Request-Line', byteOffset(sp1 + 1), partial);
  const version = line.slice(sp2 + 1);
  if (version !== 'SIP/2.0') {
    const wellFormed = /^SIP\/\d+\.\d+$/i.test(version);
    throw new SipParseError(wellFormed ? 'unsupported SIP-Version' : 'bad SIP-Version', byteOffset(sp2 + 1), partial, wellFormed ? 505 : 400);
  }
  const uriText = line.slice(sp1 + 1, sp2);
  let uri: Uri;
  try {
    uri = parseUri(uriText);
  } catch (e) {
    if (e instanceof SipParseError) throw new SipParseError(`Request-URI: ${e.reason}`, byteOffset(sp1 + 1 + e.offset), partial);
    throw e;
  }
  // §19.1.1 table: URI headers are not allowed in a Request-URI (RFC 4475 §3.1.2.11)
  if (isSipUri(uri) && uri.headers.size > 0) throw new SipParseError('headers in the Request-URI', byteOffset(sp1 + 1), partial);
  return { kind: 'request', method, uri, uriText, status: 0, reason: '' };
}

