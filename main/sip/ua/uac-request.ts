/**
 * Building a request as a UAC (RFC 3261 §8.1.1) and its route handling (§12.2.1.1, §16.12).
 *
 * `buildRequest` fills To, From (with a tag), Call-ID, CSeq, Max-Forwards, Route, Contact and
 * the body. Via is left to the transport (§8.1.1.7, §18.1.1): `addVia` puts the top Via with a
 * fresh branch and `;rport` (RFC 3581 §3) once the transport, host and port are known.
 */
import { randomHex } from './random-token.ts';
import { BRANCH_MAGIC_COOKIE, SipRequest, formatNameAddr, isSipUri, newBranch, parseNameAddr, parseUri } from '../message/index.ts';
import type { HeaderInput, NameAddr, Params, SipUri, Uri } from '../message/index.ts';

/** The magic cookie every RFC 3261 branch starts with (§8.1.1.7). */
export const BRANCH_COOKIE = BRANCH_MAGIC_COOKIE;
export { newBranch };

export interface AddressSpec {
  readonly uri: Uri | string;
  readonly displayName?: string | null;
}

export interface BuildRequestOptions {
  readonly method: string;
  /** the remote target (§12.2.1.1) or, outside a dialog, the address we send to (§8.1.1.1) */
  readonly requestUri: Uri | string;
  readonly from: AddressSpec;
  /** `tag` only inside a dialog (§8.1.1.2: none outside one) */
  readonly to: AddressSpec & { readonly tag?: string | null };
  /** default: a new random Call-ID (§8.1.1.4) */
  readonly callId?: string;
  /** host part of a generated Call-ID ("hex@host"); none by default */
  readonly callIdHost?: string;
  readonly cseq: number;
  /** From tag; default a new random tag (§8.1.1.3, §19.3) */
  readonly localTag?: string;
  /** §8.1.1.6: SHOULD be 70 */
  readonly maxForwards?: number;
  /** route set, top first (outbound proxy or dialog route set) */
  readonly routeSet?: readonly (NameAddr | string)[];
  /** Contact (§8.1.1.8): required in INVITE/SUBSCRIBE/REFER, not in MESSAGE */
  readonly contact?: NameAddr | AddressSpec | string;
  readonly body?: string | Buffer;
  /** required when there is a body (§20.15) */
  readonly contentType?: string;
  readonly extraHeaders?: HeaderInput;
}

/** §8.1.1.4: Call-ID, 128 random bits in hex, optionally "@host". */
export function newCallId(host?: string): string {
  const id = randomHex(16);
  return host === undefined ? id : `${id}@${host}`;
}

/** §19.3: a tag has at least 32 bits of randomness; we use 64. */
export function newTag(): string {
  return randomHex(8);
}


function toUri(u: Uri | string): Uri {
  return typeof u === 'string' ? parseUri(u) : u;
}

function nameAddrOf(spec: AddressSpec, tag: string | null): NameAddr {
  const params: Params = new Map();
  if (tag !== null) params.set('tag', tag);
  return { displayName: spec.displayName ?? null, uri: toUri(spec.uri), params };
}

function isNameAddr(v: NameAddr | AddressSpec): v is NameAddr {
  return 'params' in v;
}

function routeOf(r: NameAddr | string): NameAddr {
  if (typeof r !== 'string') return r;
  return r.trim().startsWith('<') || r.includes(' ') ? parseNameAddr(r) : { displayName: null, uri: parseUri(r), params: new Map() };
}

/** §19.1.1 table: "method" and headers (?...) are not allowed in a Request-URI. */
function asRequestUri(uri: Uri): Uri {
  if (!isSipUri(uri)) return uri;
  if (!uri.params.has('method') && uri.headers.size === 0) return uri;
  const params: Params = new Map(uri.params);
  params.delete('method');
  const stripped: SipUri = { ...uri, params, headers: new Map() };
  return stripped;
}

export interface RoutedTarget {
  readonly requestUri: Uri;
  readonly route: readonly NameAddr[];
}

/**
 * §12.2.1.1 (and §8.1.1.1 for a pre-existing route set such as an outbound proxy):
 * - empty route set: Request-URI = remote target, no Route;
 * - first route has `lr` (loose routing, §16.12): Request-URI = remote target, Route = the set;
 * - otherwise (strict router, RFC 2543): Request-URI = first route (parameters not allowed in a
 *   Request-URI removed), Route = the rest of the set, then the remote target last.
 */
export function applyRouteSet(remoteTarget: Uri, routeSet: readonly NameAddr[]): RoutedTarget {
  const first = routeSet[0];
  if (first === undefined) return { requestUri: remoteTarget, route: [] };
  if (isSipUri(first.uri) && first.uri.params.has('lr')) return { requestUri: remoteTarget, route: routeSet };
  const target: NameAddr = { displayName: null, uri: remoteTarget, params: new Map() };
  return { requestUri: asRequestUri(first.uri), route: [...routeSet.slice(1), target] };
}

export function buildRequest(opts: BuildRequestOptions): SipRequest {
  if (!Number.isInteger(opts.cseq) || opts.cseq < 0 || opts.cseq >= 2 ** 31) {
    // §8.1.1.5: the sequence number MUST be expressible as a 32-bit unsigned integer and less than 2**31
    throw new RangeError(`bad CSeq ${opts.cseq}`);
  }
  if (opts.body !== undefined && opts.body.length > 0 && opts.contentType === undefined) {
    throw new Error('buildRequest: a body needs a contentType (§20.15)');
  }
  const routes = (opts.routeSet ?? []).map(routeOf);
  const routed = applyRouteSet(toUri(opts.requestUri), routes);
  const headers: [string, string][] = [['Max-Forwards', String(opts.maxForwards ?? 70)]];
  for (const r of routed.route) headers.push(['Route', formatNameAddr(r)]);
  headers.push(['To', formatNameAddr(nameAddrOf(opts.to, opts.to.tag ?? null))]);
  headers.push(['From', formatNameAddr(nameAddrOf(opts.from, opts.localTag ?? newTag()))]);
  headers.push(['Call-ID', opts.callId ?? newCallId(opts.callIdHost)]);
  headers.push(['CSeq', `${opts.cseq} ${opts.method}`]);
  const contact = opts.contact;
  if (contact !== undefined) {
    const value =
      typeof contact === 'string' ? contact : formatNameAddr(isNameAddr(contact) ? contact : nameAddrOf(contact, null));
    headers.push(['Contact', value]);
  }
  for (const h of opts.extraHeaders ?? []) {
    if (Array.isArray(h)) headers.push([String(h[0]), String(h[1])]);
    else {
      const f = h as { name: string; value: string };
      headers.push([f.name, f.value]);
    }
  }
  if (opts.contentType !== undefined && opts.body !== undefined) headers.push(['Content-Type', opts.contentType]);
  return new SipRequest({
    method: opts.method,
    uri: routed.requestUri,
    headers,
    ...(opts.body !== undefined ? { body: opts.body } : {}),
  });
}

export interface ViaSpec {
  /** UDP, TCP, TLS, WS, WSS */
  readonly transport: string;
  /** sent-by host: the address or name we are reachable at */
  readonly host: string;
  readonly port?: number | null;
  /** default newBranch() */
  readonly branch?: string;
  /** add `;rport` (RFC 3581 §3); default true */
  readonly rport?: boolean;
}

/** Adds the top Via (§8.1.1.7, §18.1.1) and returns its branch. */
export function addVia(request: SipRequest, via: ViaSpec): string {
  const branch = via.branch ?? newBranch();
  const port = via.port === undefined || via.port === null ? '' : `:${via.port}`;
  const host = via.host.includes(':') && !via.host.startsWith('[') ? `[${via.host}]` : via.host;
  const rport = via.rport ?? true ? ';rport' : '';
  request.headers.prepend('Via', `SIP/2.0/${via.transport.toUpperCase()} ${host}${port};branch=${branch}${rport}`);
  return branch;
}
