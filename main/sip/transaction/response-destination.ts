/**
 * Where a server transaction sends its responses, RFC 3261 §18.2.2 with RFC 3581 §4 (rport).
 */
import type { SipRequest } from '../message/index.ts';
import type { Endpoint } from '../transport/types.ts';

function defaultPort(protocol: Endpoint['protocol']): number {
  return protocol === 'tls' ? 5061 : 5060;
}

/**
 * §18.2.2: "If the 'sent-protocol' is a reliable transport protocol such as TCP or SCTP, or TLS over
 * those, the response MUST be sent using the existing connection to the source of the original request".
 * Over UDP: with rport, to the source address and port (RFC 3581 §4); otherwise "to the address
 * indicated by the 'received' parameter, using the port indicated in the 'sent-by' value, or using port
 * 5060 if none is specified explicitly". `received` is the packet's source address by construction.
 * (maddr/multicast responses are not supported: a messenger never receives multicast requests.)
 */
export function responseDestination(request: SipRequest, source: Endpoint): Endpoint {
  if (source.protocol !== 'udp') return source;
  const via = request.topVia;
  if (via === null || via.rport !== undefined) return source;
  return { protocol: 'udp', address: source.address, port: via.port ?? defaultPort('udp') };
}

/**
 * §18.2.2: "If that connection is no longer open, the server SHOULD open a connection to the IP address
 * in the 'received' parameter, if present, using the port in the 'sent-by' value, or the default port".
 * Returns undefined when there is no other place to try (UDP, or the fallback is where we just failed).
 */
export function responseFallbackDestination(request: SipRequest, failed: Endpoint): Endpoint | undefined {
  return responseFallbackFor(request.topVia?.port, failed);
}

/** responseFallbackDestination from the request's top Via port alone (what a transaction keeps of it) */
export function responseFallbackFor(viaPort: number | null | undefined, failed: Endpoint): Endpoint | undefined {
  if (failed.protocol === 'udp') return undefined;
  const port = viaPort ?? defaultPort(failed.protocol);
  if (failed.connectionId === undefined && failed.port === port) return undefined;
  const fallback: Endpoint = { protocol: failed.protocol, address: failed.address, port };
  return failed.serverName === undefined ? fallback : { ...fallback, serverName: failed.serverName };
}
