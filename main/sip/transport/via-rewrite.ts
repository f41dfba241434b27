/**
 * The Via work of the transport layer:
 *  - requests we send: transport token and sent-by of the top Via, `rport` (RFC 3261 §18.1.1, RFC 3581 §3);
 *  - requests we receive: `received` and `rport` values (RFC 3261 §18.2.1, RFC 3581 §4);
 *  - where a response goes (RFC 3261 §18.2.2, RFC 3581 §4): `responseDestination`.
 */
import { formatVia, parseVia } from '../message/index.ts';
import type { HeaderList, Via } from '../message/index.ts';
import { defaultPort, protocolFromViaTransport, sameAddress, stripBrackets, viaTransport } from './address.ts';
import type { Endpoint, TransportProtocol } from './types.ts';

interface HasHeaders {
  readonly headers: HeaderList;
}

/** The top Via value of a message, parsed; null when there is none or it is malformed. */
export function readTopVia(message: HasHeaders): Via | null {
  const first = message.headers.getAll('Via')[0];
  if (first === undefined) return null;
  try {
    return parseVia(first);
  } catch {
    return null;
  }
}

/** Replaces the top Via value, keeping any other values and the header order (§7.3.1). */
export function replaceTopVia(message: HasHeaders, via: Via): void {
  message.headers.shift('Via');
  message.headers.prepend('Via', formatVia(via));
}

/** A Via with some fields changed; params stay in order, the shortcuts follow them. */
export function rebuildVia(
  via: Via,
  change: { transport?: string; host?: string; port?: number | null; params?: ReadonlyMap<string, string | null> },
): Via {
  const params = new Map(via.params);
  for (const [k, v] of change.params ?? []) params.set(k, v);
  const rportRaw = params.get('rport');
  return {
    protocol: via.protocol,
    transport: change.transport ?? via.transport,
    host: change.host ?? via.host,
    port: change.port === undefined ? via.port : change.port,
    params,
    branch: params.get('branch') ?? null,
    received: params.get('received') ?? null,
    rport: rportRaw === undefined ? undefined : rportRaw === null ? null : Number(rportRaw),
  };
}

export interface OutgoingViaOptions {
  /** §18.1.1: the client transport inserts sent-by; false keeps what the UA wrote (e.g. a NAT address) */
  readonly fillSentBy: boolean;
  /** RFC 3581 §3: ask for the source port in responses */
  readonly rport: boolean;
}

/**
 * §18.1.1 for a request about to leave on `protocol` from `local`: the top Via transport MUST match the
 * transport actually used (it changes e.g. when §18.1.1 moves a large request to TCP); sent-by is the
 * local address; `rport` without a value is added (RFC 3581 §3). Returns false when there is no Via.
 */
export function prepareRequestVia(
  request: HasHeaders,
  protocol: TransportProtocol,
  local: { readonly host: string; readonly port: number },
  options: OutgoingViaOptions,
): boolean {
  const via = readTopVia(request);
  if (via === null) return false;
  const transport = viaTransport(protocol);
  const wantsRport = options.rport && via.rport === undefined;
  const sentByDiffers = options.fillSentBy && (via.host !== local.host || via.port !== local.port);
  if (via.transport === transport && !wantsRport && !sentByDiffers) return true;
  const params = new Map<string, string | null>();
  if (wantsRport) params.set('rport', null);
  replaceTopVia(
    request,
    rebuildVia(via, {
      transport,
      ...(options.fillSentBy ? { host: local.host, port: local.port } : {}),
      params,
    }),
  );
  return true;
}

/**
 * §18.2.1: "the server transport MUST examine the Via header field value at the top ... If the host
 * portion of the sent-by parameter contains a domain name, or if it contains an IP address that differs
 * from the packet source address, the server MUST add a received parameter to that Via".
 * RFC 3581 §4: with an empty `rport` the server fills in the source port and MUST add `received` even if
 * the address is the same as sent-by. Returns false when the top Via is missing or unreadable.
 */
export function stampReceivedVia(request: HasHeaders & { readonly topVia: Via | null }, source: Endpoint): boolean {
  // the message's own parsed top Via (cached: the transaction layer reads the same value next, issue 18)
  let via: Via | null;
  try {
    via = request.topVia;
  } catch {
    return false;
  }
  if (via === null) return false;
  const params = new Map<string, string | null>();
  const emptyRport = via.rport === null;
  if (emptyRport) params.set('rport', String(source.port));
  if (emptyRport || !sameAddress(via.host, source.address)) params.set('received', source.address);
  if (params.size === 0) return true;
  replaceTopVia(request, rebuildVia(via, { params }));
  return true;
}

/**
 * Where a response to a request with this top Via goes (§18.2.2, RFC 3581 §4). `source` is where the
 * request came from (with its connectionId for streams).
 *  - reliable transport: the connection the request came on (the transport layer falls back to opening a
 *    connection to `received` (or sent-by host) and the sent-by port when that connection is gone);
 *  - maddr: that address, the sent-by port (default 5060);
 *  - rport with a value: `received` and that port (RFC 3581 §4);
 *  - otherwise `received` (or the sent-by host) and the sent-by port (default 5060).
 */
export function responseDestination(via: Via, source: Endpoint): Endpoint {
  const protocol = protocolFromViaTransport(via.transport) ?? source.protocol;
  const sentByPort = via.port ?? defaultPort(protocol);
  const host = stripBrackets(via.received ?? via.host);
  if (protocol !== 'udp') {
    return {
      protocol,
      address: host,
      port: sentByPort,
      ...(source.connectionId !== undefined ? { connectionId: source.connectionId } : {}),
      ...(source.serverName !== undefined ? { serverName: source.serverName } : {}),
    };
  }
  const maddr = via.params.get('maddr');
  if (typeof maddr === 'string' && maddr !== '') return { protocol, address: stripBrackets(maddr), port: sentByPort };
  if (typeof via.rport === 'number') return { protocol, address: host, port: via.rport };
  return { protocol, address: host, port: sentByPort };
}
