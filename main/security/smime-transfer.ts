/**
 * Transfer encoding of the application/pkcs7-mime body on the SIP wire.
 *
 * SIP is 8-bit clean and RFC 3261 §7.4 / RFC 5621 §3.2 make binary the norm, but RFC 5621 §3.2 lets a UA
 * use another encoding when an application on the path only handles that one, and RFC 8551 §3.1.3 names
 * base64 as the transfer encoding of choice for S/MIME entities. A store-and-forward PBX is exactly that
 * application: Kamailio's msilo keeps the body as a C string and cuts DER at its first NUL octet, so a
 * binary CMS body to an offline user arrives damaged while the sender saw 202. We therefore SEND base64
 * (RFC 2045 §6.8: lines of at most 76 characters, CRLF) with `Content-Transfer-Encoding: base64`, and
 * ACCEPT binary and base64 alike. A store-and-forward server may drop the Content-Transfer-Encoding header
 * (msilo stores only Content-Type and the body): a body with no header that consists only of the base64
 * alphabet is base64, because a DER ContentInfo of more than 127 octets starts with 0x30 followed by a
 * long-form length octet (0x81..0x84), which is outside that alphabet.
 */

export type TransferEncoding = 'binary' | 'base64';

/** what we send (RFC 8551 §3.1.3) */
export const SEND_TRANSFER_ENCODING: TransferEncoding = 'base64';

const LINE = 76;

/** RFC 2045 §6.8 base64 in CRLF-separated lines of 76 characters. */
export function encodeTransfer(der: Uint8Array, encoding: TransferEncoding = SEND_TRANSFER_ENCODING): Uint8Array {
  if (encoding === 'binary') return der;
  const b64 = Buffer.from(der).toString('base64');
  const lines: string[] = [];
  for (let i = 0; i < b64.length; i += LINE) lines.push(b64.slice(i, i + LINE));
  return new Uint8Array(Buffer.from(lines.join('\r\n'), 'ascii'));
}

export class TransferEncodingError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TransferEncodingError';
  }
}

function isBase64Text(body: Uint8Array): boolean {
  if (body.length === 0) return false;
  for (const b of body) {
    const ok =
      (b >= 0x41 && b <= 0x5a) || (b >= 0x61 && b <= 0x7a) || (b >= 0x30 && b <= 0x39) || b === 0x2b || b === 0x2f || b === 0x3d || b === 0x0d || b === 0x0a || b === 0x20 || b === 0x09;
    if (!ok) return false;
  }
  return true;
}

function decodeBase64(body: Uint8Array): Uint8Array {
  const clean = Buffer.from(body).toString('latin1').replace(/[\r\n\t ]+/g, '');
  // RFC 4648 §4 alphabet, padding only at the end, a whole number of quanta
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(clean) || clean.length % 4 !== 0 || clean.length === 0) {
    throw new TransferEncodingError('the base64 body is damaged');
  }
  return new Uint8Array(Buffer.from(clean, 'base64'));
}

/**
 * The DER octets of a received body, given its Content-Transfer-Encoding header (null when absent).
 * 7bit/8bit/binary or none: binary, unless the body is plain base64 text (a header dropped on the way).
 */
export function decodeTransfer(body: Uint8Array, header: string | null | undefined): Uint8Array {
  const cte = header?.split(';')[0]?.trim().toLowerCase() ?? '';
  if (cte === 'base64') return decodeBase64(body);
  if (cte !== '' && cte !== 'binary' && cte !== '8bit' && cte !== '7bit') throw new TransferEncodingError(`unsupported Content-Transfer-Encoding ${cte}`);
  if (body[0] !== 0x30 && isBase64Text(body)) return decodeBase64(body);
  return body;
}
