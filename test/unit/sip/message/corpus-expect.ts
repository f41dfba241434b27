import { expect } from 'vitest';
import {
  formatNameAddr,
  formatUri,
  isSipUri,
  parseNameAddr,
  parseUri,
  unescapeUriPart,
} from '../../../../main/sip/message/index.ts';
import type { NameAddr, Params, SipMessage, Uri, Via } from '../../../../main/sip/message/index.ts';

type Exp = Record<string, unknown>;

/** URI text normalised by our own parser (parameter names are case-insensitive, §19.1.4). */
export function normUri(text: string): string {
  return formatUri(parseUri(text));
}

function obj(p: Params): Record<string, string | null> {
  return Object.fromEntries(p);
}

function viaView(v: Via | undefined, want: Exp): Exp {
  if (v === undefined) return {};
  const sentBy = v.port === null ? v.host : `${v.host}:${v.port}`;
  const got: Exp = { transport: v.transport, sent_by: sentBy };
  if ('branch' in want) got.branch = v.branch;
  if ('received' in want) got.received = v.received;
  if ('rport' in want) got.rport = v.rport;
  return got;
}

function sip(u: Uri) {
  if (!isSipUri(u)) throw new Error(`not a SIP URI: ${formatUri(u)}`);
  return u;
}

function contactView(c: NameAddr, want: Exp): Exp {
  const got: Exp = {};
  if ('display_name' in want) got.display_name = c.displayName;
  if ('uri' in want) got.uri = formatUri(c.uri);
  if ('params' in want) got.params = obj(c.params);
  if ('header_params' in want) got.header_params = obj(c.params);
  if ('uri_params' in want) got.uri_params = obj(sip(c.uri).params);
  if ('uri_user_unescaped' in want) got.uri_user_unescaped = unescapeUriPart(sip(c.uri).user ?? '');
  if ('uri_params_unescaped' in want) {
    got.uri_params_unescaped = Object.fromEntries([...sip(c.uri).params].map(([k, v]) => [k, v === null ? null : unescapeUriPart(v)]));
  }
  if ('uri_headers' in want) {
    got.uri_headers = Object.fromEntries([...sip(c.uri).headers].map(([k, v]) => [k, unescapeUriPart(v)]));
  }
  return got;
}

function contacts(m: SipMessage): readonly NameAddr[] {
  const c = m.contact;
  if (c === '*') throw new Error('unexpected *');
  return c;
}

/** The value our API yields for one manifest `expect` key (undefined: key not covered here). */
function view(m: SipMessage, key: string, want: unknown): unknown {
  const w = (typeof want === 'object' && want !== null ? want : {}) as Exp;
  switch (key) {
    case 'type': return m.kind;
    case 'method': return m.kind === 'request' ? m.method : undefined;
    case 'request_uri': return m.kind === 'request' ? m.uriText : undefined;
    case 'request_uri_scheme': return m.kind === 'request' ? m.uri.scheme : undefined;
    case 'request_uri_user': return m.kind === 'request' ? sip(m.uri).user : undefined;
    case 'request_uri_password': return m.kind === 'request' ? sip(m.uri).password : undefined;
    case 'request_uri_host': return m.kind === 'request' ? sip(m.uri).host : undefined;
    case 'request_uri_user_unescaped': return m.kind === 'request' ? unescapeUriPart(sip(m.uri).user ?? '') : undefined;
    case 'status_code': return m.kind === 'response' ? m.status : undefined;
    case 'reason_phrase': return m.kind === 'response' ? m.reason : undefined;
    case 'call_id': return m.callId;
    case 'cseq': return { seq: m.cseq.seq, method: m.cseq.method };
    case 'max_forwards': return m.maxForwards;
    case 'via_count': return m.via.length;
    case 'top_via': return viaView(m.via[0], w);
    case 'second_via': return viaView(m.via[1], w);
    case 'bottom_via': return viaView(m.via[m.via.length - 1], w);
    case 'via_transports': return m.via.map((v) => v.transport);
    case 'content_length': return m.contentLength;
    case 'body_length': return m.body.length;
    case 'body': return m.body.toString('utf8');
    case 'to_tag': return m.toTag;
    case 'from_tag': return m.fromTag;
    case 'from_display_name': return m.from.displayName;
    case 'to_display_name': return m.to.displayName;
    case 'from_uri': return formatUri(m.from.uri);
    case 'to_uri': return formatUri(m.to.uri);
    case 'from_params': return Object.fromEntries([...m.from.params].filter(([k]) => k !== 'tag'));
    case 'to_params': return Object.fromEntries([...m.to.params].filter(([k]) => k !== 'tag'));
    case 'from_uri_user_unescaped': return unescapeUriPart(sip(m.from.uri).user ?? '');
    case 'to_uri_user_unescaped': return unescapeUriPart(sip(m.to.uri).user ?? '');
    case 'subject': return m.subject;
    case 'contact': return contactView(contacts(m)[0] as NameAddr, w);
    case 'contact_count': return contacts(m).length;
    case 'contacts': return contacts(m).map(formatNameAddr);
    case 'contact_uri': return formatUri((contacts(m)[0] as NameAddr).uri);
    case 'contact_uri_users_unescaped': return contacts(m).map((c) => unescapeUriPart(sip(c.uri).user ?? ''));
    case 'route': return m.route.map(formatNameAddr);
    case 'record_route': return m.recordRoute.map(formatNameAddr);
    case 'content_type': return m.headers.get('Content-Type');
    case 'accept': return m.headers.getAll('Accept');
    case 'require': return m.require;
    case 'proxy_require': return m.proxyRequire;
    case 'authorization': return { scheme: m.authorization[0]?.scheme, raw: m.headers.get('Authorization') };
    case 'unknown_headers': return Object.fromEntries(Object.keys(w).map((k) => [k, m.headers.get(k)]));
    default: return undefined;
  }
}

/** Keys checked elsewhere (trailing_octets, body_parts) or with no API counterpart. */
export const SPECIAL = new Set(['trailing_octets', 'body_parts']);

/** Expected URIs and name-addrs normalised through our own formatter (case of param names, §19.1.4). */
function normalizeWant(key: string, value: unknown): unknown {
  if (['from_uri', 'to_uri', 'contact_uri'].includes(key) && typeof value === 'string') return normUri(value);
  if (['route', 'record_route', 'contacts'].includes(key) && Array.isArray(value)) {
    return value.map((v) => formatNameAddr(parseNameAddr(String(v))));
  }
  if ((key === 'from_params' || key === 'to_params') && typeof value === 'object' && value !== null) {
    // header parameter names are case-insensitive; our Params hold them lower-cased
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k.toLowerCase(), v]));
  }
  if (key === 'contact' && typeof value === 'object' && value !== null && 'uri' in value) {
    return { ...value, uri: normUri(String((value as Exp).uri)) };
  }
  return value;
}

/** Compares every `expect` key; returns the keys compared. */
export function expectValues(m: SipMessage, want: Exp): string[] {
  const checked: string[] = [];
  for (const [key, value] of Object.entries(want)) {
    if (SPECIAL.has(key)) continue;
    const got = view(m, key, value);
    expect(got, `expect.${key}`).not.toBeUndefined();
    expect(got, `expect.${key}`).toEqual(normalizeWant(key, value));
    checked.push(key);
  }
  return checked;
}
