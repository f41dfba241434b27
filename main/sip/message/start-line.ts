import { TOKEN, controlAt, findChar, isIn, parseBoundedIntIn } from './chars.ts';
import { SipParseError } from './errors.ts';
import type { PartialMessage, Uri } from './types.ts';
import { isSipUri, scanUri } from './uri.ts';

export interface StartLine {
  readonly kind: 'request' | 'response';
  readonly method: string;
  /** the Request-URI as written, and built in the same scan that checks it (every UAS reads it, §8.2.2.1) */
  readonly uriText: string;
  readonly uri: Uri | null;
  readonly status: number;
  readonly reason: string;
}

/** Where the decoded header section came from, to turn string offsets into octet offsets for errors. */
export interface Offsets {
  /** octet offset of the header section in the message */
  readonly start: number;
  readonly head: string;
  /** every octet decoded to one UTF-16 unit (all ASCII, the usual case) */
  readonly oneToOne: boolean;
}

/** Octet offset in the message of offset i of the decoded header section. */
export function byteOffset(o: Offsets, i: number): number {
  return o.start + (o.oneToOne || i <= 0 ? i : Buffer.byteLength(o.head.slice(0, i)));
}

const VERSION = 'SIP/2.0';

/**
 * Request-Line / Status-Line in head[0,end) (RFC 3261 §7.1, §7.2, §25.1). Validates the Request-URI
 * without building it. Throws SipParseError (505 for another SIP-Version, §8.2.2... §21.5.6).
 */
export function parseStartLine(head: string, end: number, o: Offsets): StartLine {
  const sp1 = findChar(head, 32, 0, end);
  if (sp1 <= 0) throw new SipParseError('bad start line', byteOffset(o, 0));
  if (head.startsWith('SIP/')) {
    // Status-Line = SIP-Version SP Status-Code SP Reason-Phrase (§7.2)
    if (sp1 !== VERSION.length || !head.startsWith(VERSION)) throw new SipParseError('unsupported SIP-Version', byteOffset(o, 0), null, 505);
    const status = sp1 + 4 <= end ? parseBoundedIntIn(head, sp1 + 1, sp1 + 4, 699) : -1;
    if (status < 100 || !(sp1 + 4 === end || head.charCodeAt(sp1 + 4) === 32)) {
      throw new SipParseError('Status-Code must be 3 digits 100-699', byteOffset(o, sp1 + 1));
    }
    // Reason-Phrase = *(reserved / unreserved / escaped / UTF8-NONASCII / UTF8-CONT / SP / HT) (§25.1): no CTL
    const ctl = controlAt(head, sp1 + 4, end);
    if (ctl >= 0) throw new SipParseError(`control octet 0x${head.charCodeAt(ctl).toString(16).padStart(2, '0')} in the Reason-Phrase`, byteOffset(o, ctl));
    return { kind: 'response', method: '', uriText: '', uri: null, status, reason: head.slice(Math.min(sp1 + 5, end), end) };
  }
  // Request-Line = Method SP Request-URI SP SIP-Version (§7.1, §25.1): single SPs, no LWS in the URI
  for (let i = 0; i < sp1; i++) if (!isIn(TOKEN, head.charCodeAt(i))) throw new SipParseError('bad method', byteOffset(o, i));
  const method = methodName(head, 0, sp1);
  // the usual case first: the line ends in " SIP/2.0" (an SP inside the URI fails the URI grammar below)
  const sp2 = end - VERSION.length - 1 > sp1 && head.charCodeAt(end - VERSION.length - 1) === 32 && head.startsWith(VERSION, end - VERSION.length)
    ? end - VERSION.length - 1
    : findChar(head, 32, sp1 + 1, end);
  if (sp2 < 0 || sp2 === sp1 + 1) throw new SipParseError('bad Request-Line', byteOffset(o, sp1 + 1), partialRequest(method));
  if (end - sp2 - 1 !== VERSION.length || !head.startsWith(VERSION, sp2 + 1)) {
    const wellFormed = /^SIP\/\d+\.\d+$/i.test(head.slice(sp2 + 1, end));
    throw new SipParseError(wellFormed ? 'unsupported SIP-Version' : 'bad SIP-Version', byteOffset(o, sp2 + 1), partialRequest(method), wellFormed ? 505 : 400);
  }
  let uri: Uri | null;
  try {
    uri = scanUri(head, sp1 + 1, sp2, true);
  } catch (e) {
    if (e instanceof SipParseError) throw new SipParseError(`Request-URI: ${e.reason}`, byteOffset(o, e.offset), partialRequest(method));
    throw e;
  }
  // §19.1.1 table: URI headers are not allowed in a Request-URI (RFC 4475 §3.1.2.11)
  if (uri !== null && isSipUri(uri) && uri.headers.size > 0) throw new SipParseError('headers in the Request-URI', byteOffset(o, sp1 + 1), partialRequest(method));
  return { kind: 'request', method, uriText: head.slice(sp1 + 1, sp2), uri, status: 0, reason: '' };
}

/**
 * s[from,to) as a string: the shared constant for the methods of RFC 3261 §27.4 and their extensions
 * (RFC 3262, 3265, 3311, 3428, 3515, 3903, 6086) when it is one (methods are case-sensitive, §7.1), else a slice.
 */
export function methodName(s: string, from: number, to: number): string {
  const n = to - from;
  const k = n < 10 ? METHODS[(n << 7) | (s.charCodeAt(from) & 127)] : undefined;
  if (k === undefined || !s.startsWith(k, from)) return s.slice(from, to);
  return k;
}
const METHODS: (string | undefined)[] = [];
for (const k of ['INVITE', 'ACK', 'BYE', 'CANCEL', 'REGISTER', 'OPTIONS', 'MESSAGE', 'SUBSCRIBE', 'NOTIFY', 'PUBLISH', 'INFO', 'PRACK', 'UPDATE', 'REFER']) {
  METHODS[(k.length << 7) | k.charCodeAt(0)] = k;
}

function partialRequest(method: string): PartialMessage {
  return { kind: 'request', method, headers: [] };
}
