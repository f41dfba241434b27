/**
 * Where a UAC request goes (RFC 3261 §8.1.2, RFC 3263 §4) and on which transport (§18.1.1).
 *  - a first Route with `lr`: that URI; a first Route without `lr` (strict router): the Request-URI, which
 *    buildRequest already set to that route (§12.2.1.1);
 *  - otherwise the outbound proxy, when configured (a preloaded route, §8.1.2);
 *  - otherwise the Request-URI.
 * A URI without a `transport` parameter gets the account's transport, so "sip:pbx.example.com" on a TLS
 * account is looked up as TLS (SRV _sips._tcp) rather than UDP.
 */
import { isSipUri, parseNameAddr, serializeMessage } from '../message/index.ts';
import type { SipRequest, SipUri, Uri } from '../message/index.ts';
import { chooseTransportForSize, resolveTargets, tcpTargetOf, TargetResolutionError } from '../transport/index.ts';
import type { DnsResolver, Endpoint, TransportProtocol } from '../transport/index.ts';

/** The URI to resolve for `request`: first loose Route, else outbound proxy, else the Request-URI. */
export function nextHopUri(request: SipRequest, outboundProxy: SipUri | null): SipUri {
  const firstRoute = request.headers.getAll('Route')[0];
  if (firstRoute !== undefined) {
    const route = parseNameAddr(firstRoute).uri;
    if (isSipUri(route) && route.params.has('lr')) return route;
  } else if (outboundProxy !== null) {
    return outboundProxy;
  }
  return requireSipUri(request.uri);
}

export function requireSipUri(uri: Uri): SipUri {
  if (!isSipUri(uri)) throw new TargetResolutionError(`cannot route to a ${uri.scheme}: URI`);
  return uri;
}

/** The URI with the account's transport added when it names none (and is not sips:, which means TLS). */
export function withAccountTransport(uri: SipUri, protocol: TransportProtocol): SipUri {
  if (uri.params.has('transport') || uri.scheme === 'sips' || protocol === 'udp') return uri;
  const params = new Map(uri.params);
  params.set('transport', protocol);
  return { ...uri, params };
}

/** RFC 3263 §4: the endpoints to try, in order. UDP accounts may also use TCP (§18.1.1 size rule). */
export function resolveNextHop(uri: SipUri, protocol: TransportProtocol, resolver: DnsResolver): Promise<Endpoint[]> {
  const transports: TransportProtocol[] = protocol === 'udp' ? ['udp', 'tcp'] : [protocol];
  return resolveTargets(withAccountTransport(uri, protocol), { resolver, transports });
}

/** §18.1.1 / §18: every SIP element implements TCP, unless the hop's URI pins the transport to UDP. */
export function hopAllowsTcp(hop: SipUri): boolean {
  return hop.params.get('transport')?.toLowerCase() !== 'udp';
}

/**
 * §18.1.1: a request larger than 1300 bytes (path MTU unknown) goes over TCP when the next hop takes TCP.
 * Every SIP element implements TCP (§18), so TCP is assumed unless the URI said transport=udp.
 */
export function applySizeRule(request: SipRequest, target: Endpoint, targets: readonly Endpoint[], hop: SipUri): Endpoint {
  if (target.protocol !== 'udp') return target;
  const tcp = tcpTargetOf(targets) ?? (hopAllowsTcp(hop) ? { ...target, protocol: 'tcp' as const } : undefined);
  const size = serializeMessage(request).length;
  const chosen = chooseTransportForSize({ protocol: 'udp', size, targetSupportsTcp: tcp !== undefined });
  return chosen === 'tcp' && tcp !== undefined ? tcp : target;
}
