/**
 * SDP (RFC 4566) parsing and serialization. Fields the offer/answer code needs are typed (v, o, s, c, t,
 * m, a); every other line (i, u, e, p, b, r, z, k, and unknown types) is kept verbatim and written back
 * in the RFC 4566 §5 order. Attributes keep their order. Parsing never throws: errors carry a line number.
 */

export interface SdpOrigin {
  readonly username: string;
  readonly sessionId: string;
  /** kept as a string: it may exceed 2^53 (RFC 4566 §5.2 suggests an NTP timestamp) */
  readonly sessionVersion: string;
  readonly netType: string;
  readonly addrType: string;
  readonly address: string;
}

export interface SdpConnection {
  readonly netType: string;
  /** 'IP4' | 'IP6' */
  readonly addrType: string;
  readonly address: string;
}

export interface SdpAttribute {
  readonly name: string;
  /** null for a property attribute (`a=sendrecv`) */
  readonly value: string | null;
}

export interface SdpLine {
  readonly type: string;
  readonly value: string;
}

export interface SdpMedia {
  readonly media: string;
  readonly port: number;
  readonly portCount: number | null;
  readonly proto: string;
  readonly formats: readonly string[];
  readonly connection: SdpConnection | null;
  readonly attributes: readonly SdpAttribute[];
  /** i=, b=, k= and unknown lines of this media section */
  readonly otherLines: readonly SdpLine[];
}

export interface SessionDescription {
  readonly version: number;
  readonly origin: SdpOrigin;
  readonly sessionName: string;
  readonly connection: SdpConnection | null;
  /** t= lines, verbatim ("0 0") */
  readonly timing: readonly string[];
  readonly attributes: readonly SdpAttribute[];
  readonly otherLines: readonly SdpLine[];
  readonly media: readonly SdpMedia[];
}

export type SdpParseResult = { ok: true; sdp: SessionDescription } | { ok: false; error: string };

const SESSION_ORDER = 'vosiuepcbtrzka';
const MEDIA_ORDER = 'micbka';

function parseConnection(value: string): SdpConnection | null {
  const parts = value.split(' ');
  if (parts.length !== 3 || parts.some((p) => p === '')) return null;
  const [netType = '', addrType = '', address = ''] = parts;
  // RFC 4566 §5.7: multicast TTL/count suffixes are kept inside `address`
  return { netType, addrType, address };
}

function parseAttribute(value: string): SdpAttribute {
  const colon = value.indexOf(':');
  return colon < 0 ? { name: value, value: null } : { name: value.slice(0, colon), value: value.slice(colon + 1) };
}

interface MediaBuilder {
  media: string;
  port: number;
  portCount: number | null;
  proto: string;
  formats: string[];
  connection: SdpConnection | null;
  attributes: SdpAttribute[];
  otherLines: SdpLine[];
}

export function parseSdp(text: string): SdpParseResult {
  const lines = text.split(/\r?\n/);
  let version: number | null = null;
  let origin: SdpOrigin | null = null;
  let sessionName: string | null = null;
  let connection: SdpConnection | null = null;
  const timing: string[] = [];
  const attributes: SdpAttribute[] = [];
  const otherLines: SdpLine[] = [];
  const media: MediaBuilder[] = [];
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? '';
    if (line === '') continue; // tolerate a trailing CRLF or blank lines
    const n = i + 1;
    if (line.length < 2 || line[1] !== '=') return { ok: false, error: `line ${n}: expected <type>=<value>, got "${line}"` };
    const type = line[0] ?? '';
    const value = line.slice(2);
    const current = media[media.length - 1];
    if (type === 'm') {
      const m = /^(\S+) (\d+)(?:\/(\d+))? (\S+)((?: \S+)*)$/.exec(value);
      if (m === null) return { ok: false, error: `line ${n}: malformed m= line "${value}"` };
      const port = Number(m[2]);
      if (port > 65535) return { ok: false, error: `line ${n}: port out of range` };
      media.push({
        media: m[1] ?? '',
        port,
        portCount: m[3] === undefined ? null : Number(m[3]),
        proto: m[4] ?? '',
        formats: (m[5] ?? '').split(' ').filter((f) => f !== ''),
        connection: null,
        attributes: [],
        otherLines: [],
      });
    } else if (type === 'a') {
      (current?.attributes ?? attributes).push(parseAttribute(value));
    } else if (type === 'c') {
      const c = parseConnection(value);
      if (c === null) return { ok: false, error: `line ${n}: malformed c= line "${value}"` };
      if (current !== undefined) current.connection = c;
      else connection = c;
    } else if (current !== undefined) {
      current.otherLines.push({ type, value });
    } else if (type === 'v') {
      if (value !== '0') return { ok: false, error: `line ${n}: unsupported SDP version "${value}"` };
      version = 0;
    } else if (type === 'o') {
      const p = value.split(' ');
      if (p.length !== 6) return { ok: false, error: `line ${n}: malformed o= line "${value}"` };
      const [username = '', sessionId = '', sessionVersion = '', netType = '', addrType = '', address = ''] = p;
      origin = { username, sessionId, sessionVersion, netType, addrType, address };
    } else if (type === 's') {
      sessionName = value;
    } else if (type === 't') {
      timing.push(value);
    } else {
      otherLines.push({ type, value });
    }
  }
  if (version === null) return { ok: false, error: 'missing v= line' };
  if (origin === null) return { ok: false, error: 'missing o= line' };
  if (sessionName === null) return { ok: false, error: 'missing s= line' };
  return { ok: true, sdp: { version, origin, sessionName, connection, timing, attributes, otherLines, media } };
}

function orderedLines(lines: readonly SdpLine[], order: string): SdpLine[] {
  const rank = (t: string): number => {
    const r = order.indexOf(t);
    return r < 0 ? order.length : r;
  };
  return [...lines].sort((a, b) => rank(a.type) - rank(b.type)); // stable: same types keep their order
}

function attributeLine(a: SdpAttribute): string {
  return a.value === null ? `a=${a.name}` : `a=${a.name}:${a.value}`;
}

function connectionLine(c: SdpConnection): string {
  return `c=${c.netType} ${c.addrType} ${c.address}`;
}

/** RFC 4566 §5: lines in the mandated order, CRLF line ends (including after the last line). */
export function serializeSdp(sdp: SessionDescription): string {
  const o = sdp.origin;
  const out: string[] = [`v=${sdp.version}`, `o=${o.username} ${o.sessionId} ${o.sessionVersion} ${o.netType} ${o.addrType} ${o.address}`, `s=${sdp.sessionName}`];
  const before = (types: string): void => {
    for (const l of orderedLines(sdp.otherLines, SESSION_ORDER)) if (types.includes(l.type)) out.push(`${l.type}=${l.value}`);
  };
  before('iuep');
  if (sdp.connection !== null) out.push(connectionLine(sdp.connection));
  before('b');
  for (const t of sdp.timing.length > 0 ? sdp.timing : ['0 0']) out.push(`t=${t}`);
  before('rzk');
  // unknown session-level line types are written before the attributes
  for (const l of sdp.otherLines) if (!SESSION_ORDER.includes(l.type)) out.push(`${l.type}=${l.value}`);
  for (const a of sdp.attributes) out.push(attributeLine(a));
  for (const m of sdp.media) {
    const port = m.portCount === null ? `${m.port}` : `${m.port}/${m.portCount}`;
    out.push(`m=${m.media} ${port} ${m.proto}${m.formats.map((f) => ` ${f}`).join('')}`);
    const lines = orderedLines(m.otherLines, MEDIA_ORDER);
    for (const l of lines) if (l.type === 'i') out.push(`i=${l.value}`);
    if (m.connection !== null) out.push(connectionLine(m.connection));
    for (const l of lines) if (l.type !== 'i') out.push(`${l.type}=${l.value}`);
    for (const a of m.attributes) out.push(attributeLine(a));
  }
  return `${out.join('\r\n')}\r\n`;
}

export function findAttribute(attrs: readonly SdpAttribute[], name: string): SdpAttribute | undefined {
  return attrs.find((a) => a.name.toLowerCase() === name.toLowerCase());
}

export type SdpDirection = 'sendrecv' | 'sendonly' | 'recvonly' | 'inactive';
const DIRECTIONS: readonly SdpDirection[] = ['sendrecv', 'sendonly', 'recvonly', 'inactive'];

export function isDirection(name: string): name is SdpDirection {
  return (DIRECTIONS as readonly string[]).includes(name);
}

/** RFC 3264 §5.1 / RFC 4566 §6: media-level direction wins over session-level; default sendrecv. */
export function mediaDirection(sdp: SessionDescription, m: SdpMedia): SdpDirection {
  for (const attrs of [m.attributes, sdp.attributes]) {
    for (const a of attrs) {
      const name = a.name.toLowerCase();
      if (a.value === null && isDirection(name)) return name;
    }
  }
  return 'sendrecv';
}
