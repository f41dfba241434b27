/**
 * message/cpim (RFC 3862) for pager-mode MESSAGE bodies (RFC 3428 §9 lets a MESSAGE carry CPIM).
 *
 * Layout (RFC 3862 §2): message headers, CRLF, encapsulated MIME headers, CRLF, content.
 *
 *     From: "Alice" <sip:alice@example.test>
 *     To: <sip:bob@example.test>
 *     DateTime: 2026-11-22T03:48:36.000Z
 *     NS: imdn <urn:ietf:params:imdn>
 *     imdn.Message-ID: 1b4e28ba-2fa1-11d2-883f-0016d3cca427
 *
 *     Content-Type: text/plain;charset=UTF-8
 *
 *     Hello
 *
 * Message-ID: RFC 3862 defines none; we use the one of RFC 5438 §6.3 (`imdn.Message-ID`, in the
 * `urn:ietf:params:imdn` name space declared with `NS:`), which is what IMDN-aware peers dedup on. On
 * input a plain `Message-ID` header is accepted too, as some peers send it.
 *
 * Header lines end in CRLF (§3.1); on input a bare LF is accepted as well (be liberal in what you
 * accept). Header values are UTF-8 (§3.1); CPIM header names are case-sensitive (§3.3), MIME header
 * names are not (RFC 2045). Malformed input returns `{ ok: false }`; it never throws.
 */

export const IMDN_NAMESPACE = 'urn:ietf:params:imdn';

export interface CpimAddress {
  readonly uri: string;
  readonly displayName?: string | null;
}

export interface CpimMessage {
  readonly from: CpimAddress | null;
  readonly to: readonly CpimAddress[];
  readonly dateTime: Date | null;
  /** imdn.Message-ID (RFC 5438 §6.3) or a plain Message-ID header */
  readonly messageId: string | null;
  /** imdn.Disposition-Notification (RFC 5438 §6.2) as written, null when absent */
  readonly dispositionNotification: string | null;
  /** the encapsulated Content-Type, as written */
  readonly contentType: string;
  /** the encapsulated Content-Disposition (`notification` marks an IMDN, RFC 5438 §7.2.1.1), null when absent */
  readonly contentDisposition: string | null;
  readonly content: Buffer;
}

export interface FormatCpimOptions {
  readonly from: CpimAddress;
  readonly to: CpimAddress;
  readonly dateTime: Date;
  readonly messageId: string;
  /** default text/plain;charset=UTF-8 */
  readonly contentType?: string;
  /** RFC 5438 §6.2 imdn.Disposition-Notification, e.g. "positive-delivery, display" */
  readonly dispositionNotification?: string;
  /** RFC 5438 §7.2.1.1: an IMDN carries `Content-Disposition: notification` in the MIME headers */
  readonly contentDisposition?: string;
  readonly content: string | Buffer;
}

export type CpimParseResult = { readonly ok: true; readonly message: CpimMessage } | { readonly ok: false; readonly problem: string };

const CRLF = '\r\n';
const LINE_BREAK = /[\r\n]/;
// RFC 5438 §6.3: Message-ID = 1*( alphanum / "-" / "." / "!" / "%" / "*" / "_" / "+" / "`" / "'" / "~" )
const MESSAGE_ID = /^[A-Za-z0-9\-.!%*_+`'~]{1,256}$/;

function quoteName(name: string): string {
  // RFC 3862 §3.2.1 Formal-name as a quoted string; line breaks could end the header, so they become spaces
  const clean = name.replace(/[\u0000-\u001f\u007f]/g, ' ').trim();
  return `"${clean.replace(/(["\\])/g, '\\$1')}"`;
}

function formatAddress(a: CpimAddress): string {
  if (LINE_BREAK.test(a.uri) || /[<>\s]/.test(a.uri)) throw new Error(`formatCpim: not a URI: ${JSON.stringify(a.uri)}`);
  const name = a.displayName?.trim() ? `${quoteName(a.displayName)} ` : '';
  return `${name}<${a.uri}>`;
}

/** Wraps `content` in a message/cpim body (UTF-8 bytes). Bad URIs or Message-IDs are programmer faults. */
export function formatCpim(o: FormatCpimOptions): Buffer {
  if (!MESSAGE_ID.test(o.messageId)) throw new Error(`formatCpim: bad Message-ID ${JSON.stringify(o.messageId)}`);
  const contentType = o.contentType ?? 'text/plain;charset=UTF-8';
  if (LINE_BREAK.test(contentType)) throw new Error('formatCpim: line break in Content-Type');
  for (const v of [o.dispositionNotification, o.contentDisposition]) {
    if (v !== undefined && LINE_BREAK.test(v)) throw new Error('formatCpim: line break in a header value');
  }
  const head =
    `From: ${formatAddress(o.from)}${CRLF}` +
    `To: ${formatAddress(o.to)}${CRLF}` +
    `DateTime: ${o.dateTime.toISOString()}${CRLF}` +
    `NS: imdn <${IMDN_NAMESPACE}>${CRLF}` +
    `imdn.Message-ID: ${o.messageId}${CRLF}` +
    (o.dispositionNotification ? `imdn.Disposition-Notification: ${o.dispositionNotification}${CRLF}` : '') +
    CRLF +
    `Content-Type: ${contentType}${CRLF}` +
    (o.contentDisposition ? `Content-Disposition: ${o.contentDisposition}${CRLF}` : '') +
    CRLF;
  const content = typeof o.content === 'string' ? Buffer.from(o.content, 'utf8') : o.content;
  return Buffer.concat([Buffer.from(head, 'utf8'), content]);
}

interface HeaderLine {
  readonly name: string;
  readonly value: string;
}

/** Reads header lines from `offset` up to and including the empty line; null when there is no empty line. */
function readHeaderBlock(buf: Buffer, offset: number): { lines: string[]; next: number } | null {
  const lines: string[] = [];
  let at = offset;
  for (;;) {
    const lf = buf.indexOf(0x0a, at);
    if (lf < 0) return null;
    const end = lf > at && buf[lf - 1] === 0x0d ? lf - 1 : lf;
    const line = buf.toString('utf8', at, end);
    at = lf + 1;
    if (line === '') return { lines, next: at };
    lines.push(line);
  }
}

/** RFC 3862 §3.1: Header-name ":" *( ";" Parameter ) SP Header-value; MIME headers have no parameters here. */
function splitHeader(line: string): HeaderLine | null {
  const colon = line.indexOf(':');
  if (colon <= 0) return null;
  const name = line.slice(0, colon);
  if (!/^[!#$%&'*+\-.0-9A-Z^_`a-z|~]+$/.test(name)) return null;
  let rest = line.slice(colon + 1);
  // header parameters (e.g. ";lang=fr") are allowed before the value; we do not use them
  const params = /^(?:;[^ ;]*)*/.exec(rest);
  rest = rest.slice(params?.[0].length ?? 0);
  return { name, value: rest.trim() };
}

/** `"Name" <uri>`, `Name <uri>` or `<uri>` (RFC 3862 §4.1); a bare URI is accepted too. */
function parseAddress(value: string): CpimAddress | null {
  const lt = value.lastIndexOf('<');
  const gt = value.lastIndexOf('>');
  if (lt < 0 || gt < lt) return /^[A-Za-z][A-Za-z0-9+.-]*:\S+$/.test(value) ? { uri: value, displayName: null } : null;
  const uri = value.slice(lt + 1, gt).trim();
  if (uri === '') return null;
  let name = value.slice(0, lt).trim();
  if (name.startsWith('"') && name.endsWith('"') && name.length >= 2) name = name.slice(1, -1).replace(/\\(.)/g, '$1');
  return { uri, displayName: name === '' ? null : name };
}

/** Parses a message/cpim body; never throws. */
export function parseCpim(body: Buffer): CpimParseResult {
  const fail = (problem: string): CpimParseResult => ({ ok: false, problem });
  const outer = readHeaderBlock(body, 0);
  if (outer === null) return fail('no blank line after the CPIM message headers');
  const inner = readHeaderBlock(body, outer.next);
  if (inner === null) return fail('no blank line after the encapsulated MIME headers');

  const namespaces = new Map<string, string>();
  const headers: HeaderLine[] = [];
  for (const line of outer.lines) {
    const h = splitHeader(line);
    if (h === null) return fail(`malformed CPIM header line: ${JSON.stringify(line.slice(0, 80))}`);
    if (h.name === 'NS') {
      // RFC 3862 §4.6: NS: [prefix] <urn>
      const ns = /^(?:([A-Za-z0-9\-_]+)\s*)?<([^>]+)>$/.exec(h.value);
      if (ns === null) return fail('malformed NS header');
      namespaces.set(ns[1] ?? '', ns[2] ?? '');
    }
    headers.push(h);
  }
  const imdnPrefixes = [...namespaces].filter(([, urn]) => urn.toLowerCase() === IMDN_NAMESPACE).map(([p]) => p);

  let from: CpimAddress | null = null;
  const to: CpimAddress[] = [];
  let dateTime: Date | null = null;
  let messageId: string | null = null;
  let dispositionNotification: string | null = null;
  for (const h of headers) {
    const dot = h.name.lastIndexOf('.');
    const prefix = dot < 0 ? null : h.name.slice(0, dot);
    const local = dot < 0 ? h.name : h.name.slice(dot + 1);
    if (prefix === null && h.name === 'From') {
      from = parseAddress(h.value);
      if (from === null) return fail('malformed From header');
    } else if (prefix === null && h.name === 'To') {
      const a = parseAddress(h.value);
      if (a === null) return fail('malformed To header');
      to.push(a);
    } else if (prefix === null && h.name === 'DateTime') {
      const t = Date.parse(h.value);
      if (!/^\d{4}-\d\d-\d\dT/.test(h.value) || Number.isNaN(t)) return fail('malformed DateTime header');
      dateTime = new Date(t);
    } else if (local === 'Message-ID' && (prefix === null || imdnPrefixes.includes(prefix))) {
      if (!MESSAGE_ID.test(h.value)) return fail('malformed Message-ID header');
      // the name-spaced (IMDN) one wins over a plain one
      if (prefix !== null || messageId === null) messageId = h.value;
    } else if (local === 'Disposition-Notification' && prefix !== null && imdnPrefixes.includes(prefix)) {
      // RFC 5438 §6.2
      dispositionNotification = h.value;
    }
  }

  let contentType: string | null = null;
  let contentDisposition: string | null = null;
  let contentLength: number | null = null;
  for (const line of inner.lines) {
    const h = splitHeader(line);
    if (h === null) return fail(`malformed MIME header line: ${JSON.stringify(line.slice(0, 80))}`);
    const name = h.name.toLowerCase();
    if (name === 'content-type') contentType = h.value;
    else if (name === 'content-disposition') contentDisposition = h.value;
    else if (name === 'content-length') {
      if (!/^\d{1,9}$/.test(h.value)) return fail('malformed Content-Length');
      contentLength = Number(h.value);
    }
  }
  if (contentType === null || contentType === '') return fail('the encapsulated content has no Content-Type');
  let content = body.subarray(inner.next);
  if (contentLength !== null) {
    if (contentLength > content.length) return fail('Content-Length is larger than the content');
    content = content.subarray(0, contentLength);
  }
  return { ok: true, message: { from, to, dateTime, messageId, dispositionNotification, contentType, contentDisposition, content: Buffer.from(content) } };
}
