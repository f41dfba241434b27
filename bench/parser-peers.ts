/**
 * The npm SIP parsers measured against ours (bench/parser.ts). Each adapter parses one message and
 * extracts method/status, Call-ID, CSeq, top Via branch and body; it returns null on rejection.
 * jssip and sip.js are reached through their parser modules (no DOM/WebSocket needed from Node).
 */
import { createRequire } from 'node:module';

export interface Extracted {
  readonly start: string | number;
  readonly callId: unknown;
  readonly cseq: unknown;
  readonly branch: unknown;
  readonly body: unknown;
}

export interface Peer {
  readonly name: string;
  parse(data: Buffer): Extracted | null;
  serialize?(data: Buffer): unknown;
}

const require = createRequire(import.meta.url);

interface SipPkg {
  parse(s: Buffer | string): { method?: string; status?: number; headers: Record<string, unknown>; content?: string } | undefined;
  stringify(m: unknown): string;
}
interface DrachtioMsg {
  method?: string;
  status?: number;
  body?: string;
  get(h: string): unknown;
  getParsedHeader(h: string): unknown;
  toString(): string;
}
interface DrachtioPkg {
  SipMessage: new (s: string) => DrachtioMsg;
}
interface JssipMsg {
  method?: string;
  status_code?: number;
  call_id?: string;
  cseq?: number;
  via_branch?: string;
  body?: string;
}
interface JssipParser {
  parseMessage(s: string, ua: unknown): JssipMsg | undefined;
}
interface SipJsMsg {
  method?: string;
  statusCode?: number;
  callId?: string;
  cseq?: number;
  viaBranch?: string;
  body?: string;
}
interface SipJsParser {
  parseMessage(s: string, logger: unknown): SipJsMsg | undefined;
}

const quiet = { warn: () => undefined, error: () => undefined, log: () => undefined, debug: () => undefined };

function first(v: unknown): unknown {
  return Array.isArray(v) ? v[0] : v;
}

export async function loadPeers(): Promise<Peer[]> {
  const sip = require('sip') as SipPkg;
  const drachtio = require('drachtio-sip') as DrachtioPkg;
  const jssip = require('jssip/lib/Parser') as JssipParser;
  const sipjsModule = (await import('sip.js/lib/core/messages/parser.js')) as unknown as { Parser: SipJsParser };
  const sipjs = sipjsModule.Parser;
  return [
    {
      name: 'sip',
      parse(data) {
        const m = sip.parse(data);
        if (!m || !m.headers) return null;
        const via = first(m.headers.via) as { params?: Record<string, unknown> } | undefined;
        return { start: m.method ?? m.status ?? '', callId: m.headers['call-id'], cseq: m.headers.cseq, branch: via?.params?.branch, body: m.content };
      },
      serialize(data) {
        return sip.stringify(sip.parse(data));
      },
    },
    {
      name: 'drachtio-sip',
      parse(data) {
        const m = new drachtio.SipMessage(data.toString('utf8'));
        const via = first(m.getParsedHeader('via')) as { params?: Record<string, unknown> } | undefined;
        return { start: m.method ?? m.status ?? '', callId: m.get('call-id'), cseq: m.getParsedHeader('cseq'), branch: via?.params?.branch, body: m.body };
      },
      serialize(data) {
        return new drachtio.SipMessage(data.toString('utf8')).toString();
      },
    },
    {
      name: 'jssip',
      parse(data) {
        const m = jssip.parseMessage(data.toString('utf8'), undefined);
        if (!m) return null;
        return { start: m.method ?? m.status_code ?? '', callId: m.call_id, cseq: m.cseq, branch: m.via_branch, body: m.body };
      },
    },
    {
      name: 'sip.js',
      parse(data) {
        const m = sipjs.parseMessage(data.toString('utf8'), quiet);
        if (!m) return null;
        return { start: m.method ?? m.statusCode ?? '', callId: m.callId, cseq: m.cseq, branch: m.viaBranch, body: m.body };
      },
    },
  ];
}
