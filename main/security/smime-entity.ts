/**
 * The protected inner MIME entity and the outer S/MIME body headers.
 * RFC 3428 §11.3 / RFC 8551 §3: the inner part is a MIME entity (text/plain or message/cpim) that carries
 * its own Date (and Message-ID) so that the signature covers them (replay protection, RFC 3428 §11.2).
 * RFC 3261 §23.4.3: the outer body is application/pkcs7-mime with Content-Disposition attachment,
 * handling=required.
 */

/** RFC 8551 §3.2.2 smime-type values we produce and open (authEnveloped-data: RFC 5083 with AES-GCM) */
export type SmimeType = 'signed-data' | 'enveloped-data' | 'authEnveloped-data';

export function outerContentType(type: SmimeType): string {
  return `application/pkcs7-mime;smime-type=${type};name=smime.p7m`;
}

/** RFC 3261 §23.4.3: receivers that cannot process it must reject rather than show it */
export const OUTER_CONTENT_DISPOSITION = 'attachment;handling=required;filename=smime.p7m';

/** the smime-type of an outer Content-Type, or null when it is not application/pkcs7-mime */
export function smimeTypeOf(contentType: string): SmimeType | 'unknown' | null {
  const [mediaType, ...params] = contentType.split(';').map((p) => p.trim());
  const mt = mediaType?.toLowerCase();
  if (mt !== 'application/pkcs7-mime' && mt !== 'application/x-pkcs7-mime') return null;
  for (const p of params) {
    const [k, v] = p.split('=').map((x) => x.trim().replace(/^"|"$/g, '').toLowerCase());
    if (k === 'smime-type' && (v === 'signed-data' || v === 'enveloped-data')) return v;
    if (k === 'smime-type' && v === 'authenveloped-data') return 'authEnveloped-data';
  }
  return 'unknown';
}

export interface InnerEntity {
  contentType: string;
  date: Date;
  messageId?: string;
  body: Uint8Array;
}

const MAX_HEADER_BYTES = 4096;

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}

function safeHeader(v: string): string {
  if (/[\r\n]/.test(v)) throw new Error('header value with a line break');
  return v;
}

/** Serialize the inner entity (RFC 2045 headers, CRLF, body in binary). */
export function buildInnerEntity(entity: InnerEntity): Uint8Array {
  const lines = [
    `Content-Type: ${safeHeader(entity.contentType)}`,
    'Content-Transfer-Encoding: binary',
    `Date: ${entity.date.toUTCString()}`,
  ];
  if (entity.messageId) lines.push(`Message-ID: <${safeHeader(entity.messageId)}>`);
  const head = new TextEncoder().encode(`${lines.join('\r\n')}\r\n\r\n`);
  return concat(head, entity.body);
}

export class InnerEntityError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InnerEntityError';
  }
}

/** Parse the inner entity; a missing or unparseable Date is an error (replay protection needs it). */
export function parseInnerEntity(bytes: Uint8Array): InnerEntity {
  let end = -1;
  for (let i = 0; i + 3 < bytes.length && i < MAX_HEADER_BYTES; i++) {
    if (bytes[i] === 13 && bytes[i + 1] === 10 && bytes[i + 2] === 13 && bytes[i + 3] === 10) {
      end = i;
      break;
    }
  }
  if (end < 0) throw new InnerEntityError('inner entity has no header/body separator');
  const head = new TextDecoder('utf-8', { fatal: false }).decode(bytes.subarray(0, end));
  const headers = new Map<string, string>();
  let last = '';
  for (const line of head.split('\r\n')) {
    if (/^[ \t]/.test(line) && last) {
      headers.set(last, `${headers.get(last) ?? ''} ${line.trim()}`);
      continue;
    }
    const colon = line.indexOf(':');
    if (colon <= 0) throw new InnerEntityError('malformed inner header line');
    last = line.slice(0, colon).trim().toLowerCase();
    if (!headers.has(last)) headers.set(last, line.slice(colon + 1).trim());
  }
  const dateText = headers.get('date');
  const date = dateText ? new Date(dateText) : null;
  if (!date || Number.isNaN(date.getTime())) throw new InnerEntityError('inner entity has no valid Date');
  const cte = headers.get('content-transfer-encoding')?.toLowerCase();
  if (cte && cte !== 'binary' && cte !== '8bit' && cte !== '7bit') throw new InnerEntityError(`unsupported transfer encoding ${cte}`);
  const id = headers.get('message-id')?.replace(/^<|>$/g, '');
  return {
    contentType: headers.get('content-type') ?? 'text/plain',
    date,
    messageId: id || undefined,
    body: bytes.slice(end + 4),
  };
}
