/**
 * Reading the body of an incoming MESSAGE: text/plain as is, message/cpim unwrapped (RFC 3862) to its
 * text/plain content; anything else is refused with 415 and our Accept (RFC 3428 §11.4 lets a UAS
 * answer 415; RFC 3261 §21.4.16 requires the Accept header with it).
 */
import { IMDN_CONTENT_TYPE } from '../../sip/body/imdn.ts';
import { parseCpim, type CpimMessage } from '../../sip/ua/cpim.ts';
import { ACCEPTED_TYPES, type IncomingPagerMessage, type ReceiveAnswer } from './pager.ts';
import { MESSAGE_CPIM, TEXT_PLAIN, mediaType } from './peer-formats.ts';

export interface DecodedBody {
  readonly text: string;
  /** what the user sees: always text/plain */
  readonly contentType: string;
  /** the CPIM Message-ID (dedup of re-deliveries, RFC 5438 §6.3) */
  readonly cpimMessageId: string | null;
  /** the CPIM DateTime, used when the SIP request had no Date */
  readonly cpimDateTime: Date | null;
  /** the CPIM envelope, when the body was CPIM (its IMDN request, RFC 5438 §6.2) */
  readonly cpim: CpimMessage | null;
}

export type DecodeResult =
  | { readonly ok: true; readonly body: DecodedBody }
  | { readonly ok: false; readonly answer: ReceiveAnswer }
  /** an IMDN (RFC 5438 §7.2.1: message/imdn+xml inside CPIM): a receipt, never a message */
  | { readonly ok: 'notification'; readonly cpim: CpimMessage };

const unsupported: DecodeResult = { ok: false, answer: { status: 415, accept: ACCEPTED_TYPES } };

function charsetOf(contentType: string): string | null {
  const m = /;\s*charset\s*=\s*"?([^";\s]+)"?/i.exec(contentType);
  return m?.[1]?.toLowerCase() ?? null;
}

/** the UTF-8 decoder, made once (issue 18): decode() without `stream` keeps no state between calls */
const UTF8 = new TextDecoder('utf-8', { fatal: false });

/** Decodes text in the given charset (default UTF-8, RFC 3428 §9); null for a charset we cannot read. */
function decodeText(bytes: Buffer, charset: string | null): string | null {
  // invalid sequences become U+FFFD rather than refusing the whole message
  if (charset === null || charset === 'utf-8' || charset === 'utf8') return UTF8.decode(bytes);
  try {
    return new TextDecoder(charset, { fatal: false }).decode(bytes);
  } catch {
    return null;
  }
}

function decodePlain(contentType: string, bytes: Buffer): string | null {
  return decodeText(bytes, charsetOf(contentType));
}

/** a CPIM envelope's first bytes: a From or To header line, and the imdn name space declared (RFC 3862 §3, RFC 5438 §6.1) */
function looksLikeCpim(body: Buffer): boolean {
  // 'F'rom or 'T'o first: no text decoded for the usual text/plain body (issue 18)
  if (body[0] !== 0x46 && body[0] !== 0x54) return false;
  const head = body.subarray(0, 2048).toString('utf8');
  return /^(?:From|To): [^\r\n<]*<[^>\r\n]+>\r?\n/.test(head) && /\nNS: imdn <urn:ietf:params:imdn>\r?\n/.test(head);
}

export function decodeIncomingBody(m: IncomingPagerMessage): DecodeResult {
  if (m.contentType === null || m.contentType.trim() === '') {
    // RFC 3261 §7.4.1: a non-empty body MUST come with a Content-Type
    return { ok: false, answer: { status: 400, reason: 'Missing Content-Type' } };
  }
  const type = mediaType(m.contentType);
  if (type === 'text/plain' && looksLikeCpim(m.body)) {
    // Kamailio's msilo stores no content type for message/cpim and re-delivers it as text/plain (seen
    // with 5.6); an envelope that parses as CPIM with an RFC 5438 Message-ID is read as the CPIM it is
    const parsed = parseCpim(m.body);
    if (parsed.ok && parsed.message.messageId !== null) return decodeIncomingBody({ ...m, contentType: MESSAGE_CPIM });
  }
  if (type === 'text/plain') {
    const text = decodePlain(m.contentType, m.body);
    if (text === null) return unsupported;
    return { ok: true, body: { text, contentType: TEXT_PLAIN, cpimMessageId: null, cpimDateTime: null, cpim: null } };
  }
  if (type === MESSAGE_CPIM) {
    const parsed = parseCpim(m.body);
    if (!parsed.ok) return { ok: false, answer: { status: 400, reason: 'Malformed CPIM body' } };
    const inner = parsed.message;
    if (mediaType(inner.contentType) === IMDN_CONTENT_TYPE) return { ok: 'notification', cpim: inner };
    if (mediaType(inner.contentType) !== 'text/plain') return unsupported;
    const text = decodePlain(inner.contentType, inner.content);
    if (text === null) return unsupported;
    return {
      ok: true,
      body: { text, contentType: TEXT_PLAIN, cpimMessageId: inner.messageId, cpimDateTime: inner.dateTime, cpim: inner },
    };
  }
  return unsupported;
}
