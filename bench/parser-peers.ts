/**
 * The npm SIP parsers measured against ours (bench/parser.ts). Every adapter parses one message and
 * produces the full result a SIP element needs (issue 18): method or status, Request-URI, top Via
 * branch and sent-by, From URI and tag, To URI and tag, Call-ID, CSeq number and method, Contact
 * URI, Content-Type, Content-Length and the body as a UTF-8 string. It returns null on rejection.
 * URIs are taken in the form each API gives them (ours and JsSIP/SIP.js: parsed objects; `sip` and
 * drachtio-sip: strings). jssip and sip.js are reached through their parser modules (no DOM needed).
 */
import { createRequire } from 'node:module';

export interface Extracted {
  readonly start: string | number;
  readonly ruri: unknown;
  readonly branch: unknown;
  readonly sentBy: unknown;
  readonly fromUri: unknown;
  readonly fromTag: unknown;
  readonly toUri: unknown;
  readonly toTag: unknown;
  readonly callId: unknown;
  readonly cseqNumber: unknown;
  readonly cseqMethod: unknown;
  readonly contactUri: unknown;
  readonly contentType: unknown;
  readonly contentLength: unknown;
  readonly body: unknown;
}

export interface Peer {
  readonly name: string;
  parse(data: Buffer): Extracted | null;
}

const require = createRequire(import.meta.url);

type Obj = Record<string, unknown> & { params?: Record<string, unknown> };
interface SipPkg {
  parse(s: Buffer | string): { method?: string; uri?: string; status?: number; headers: Record<string, unknown>; content?: string } | undefined;
}
interface DrachtioMsg {
  method?: string;
  uri?: string;
  status?: number;
  body?: string;
  get(h: string): unknown;
  getParsedHeader(h: string): unknown;
}
interface DrachtioPkg {
  SipMessage: new (s: string) => DrachtioMsg;
}
interface NameAddrLike {
  uri?: unknown;
}
interface JsLikeMsg {
  method?: string;
  ruri?: unknown;
  status_code?: number;
  statusCode?: number;
  call_id?: string;
  callId?: string;
  cseq?: number;
  via?: { host?: string; port?: number };
  via_branch?: string;
  viaBranch?: string;
  from?: NameAddrLike;
  to?: NameAddrLike;
  from_tag?: string;
  fromTag?: string;
  to_tag?: string;
  toTag?: string;
  body?: string;
  getHeader(name: string): string | undefined;
  parseHeader(name: string): NameAddrLike | undefined;
}
interface JsLikeParser {
  parseMessage(s: string, arg: unknown): JsLikeMsg | undefined;
}

const quiet = { warn: () => undefined, error: () => undefined, log: () => undefined, debug: () => undefined };

function first(v: unknown): Obj | undefined {
  return (Array.isArray(v) ? v[0] : v) as Obj | undefined;
}

/** JsSIP and SIP.js share the parsed-message shape (SIP.js started as a JsSIP fork) */
function jsLike(m: JsLikeMsg | undefined): Extracted | null {
  if (!m) return null;
  const cseqLine = m.getHeader('CSeq') ?? '';
  return {
    start: m.method ?? m.status_code ?? m.statusCode ?? '',
    ruri: m.ruri,
    branch: m.via_branch ?? m.viaBranch,
    sentBy: m.via === undefined ? undefined : `${m.via.host}:${m.via.port}`,
    fromUri: m.from?.uri,
    fromTag: m.from_tag ?? m.fromTag,
    toUri: m.to?.uri,
    toTag: m.to_tag ?? m.toTag,
    callId: m.call_id ?? m.callId,
    cseqNumber: m.cseq,
    cseqMethod: cseqLine.slice(cseqLine.lastIndexOf(' ') + 1),
    contactUri: m.getHeader('Contact') === undefined ? undefined : m.parseHeader('Contact')?.uri,
    contentType: m.getHeader('Content-Type'),
    contentLength: m.getHeader('Content-Length'),
    body: m.body,
  };
}

export async function loadPeers(): Promise<Peer[]> {
  const sip = require('sip') as SipPkg;
  const drachtio = require('drachtio-sip') as DrachtioPkg;
  const jssip = require('jssip/lib/Parser') as JsLikeParser;
  const sipjs = ((await import('sip.js/lib/core/messages/parser.js')) as unknown as { Parser: JsLikeParser }).Parser;
  return [
    {
      name: 'sip',
      parse(data) {
        const m = sip.parse(data);
        if (!m || !m.headers) return null;
        const h = m.headers;
        const via = first(h.via);
        const from = h.from as Obj | undefined;
        const to = h.to as Obj | undefined;
        const cseq = h.cseq as Obj | undefined;
        return {
          start: m.method ?? m.status ?? '',
          ruri: m.uri,
          branch: via?.params?.branch,
          sentBy: via === undefined ? undefined : `${String(via.host)}:${String(via.port)}`,
          fromUri: from?.uri,
          fromTag: from?.params?.tag,
          toUri: to?.uri,
          toTag: to?.params?.tag,
          callId: h['call-id'],
          cseqNumber: cseq?.seq,
          cseqMethod: cseq?.method,
          contactUri: first(h.contact)?.uri,
          contentType: h['content-type'],
          contentLength: h['content-length'],
          // `sip` reads the message as latin1 ('binary'): its content is one char per octet, not the
          // UTF-8 text the job asks for, so the adapter decodes it as the caller would have to
          body: m.content === undefined ? undefined : Buffer.from(m.content, 'latin1').toString('utf8'),
        };
      },
    },
    {
      name: 'drachtio-sip',
      parse(data) {
        const m = new drachtio.SipMessage(data.toString('utf8'));
        const via = first(m.getParsedHeader('via'));
        const from = m.getParsedHeader('from') as Obj | undefined;
        const to = m.getParsedHeader('to') as Obj | undefined;
        const cseq = m.getParsedHeader('cseq') as Obj | undefined;
        const contact = m.get('contact') === undefined ? undefined : first(m.getParsedHeader('contact'));
        return {
          start: m.method ?? m.status ?? '',
          ruri: m.uri,
          branch: via?.params?.branch,
          sentBy: via === undefined ? undefined : `${String(via.host)}:${String(via.port)}`,
          fromUri: from?.uri,
          fromTag: from?.params?.tag,
          toUri: to?.uri,
          toTag: to?.params?.tag,
          callId: m.get('call-id'),
          cseqNumber: cseq?.seq,
          cseqMethod: cseq?.method,
          contactUri: contact?.uri,
          contentType: m.get('content-type'),
          contentLength: m.get('content-length'),
          body: m.body,
        };
      },
    },
    { name: 'jssip', parse: (data) => jsLike(jssip.parseMessage(data.toString('utf8'), undefined)) },
    { name: 'sip.js', parse: (data) => jsLike(sipjs.parseMessage(data.toString('utf8'), quiet)) },
  ];
}
