/**
 * Locating SIP servers, RFC 3263 §4 (client side): from a SIP/SIPS URI (the Request-URI, or the outbound
 * proxy URI when one is configured — a loose-routing `;lr` proxy is resolved instead of the Request-URI,
 * RFC 3261 §8.1.2) to an ordered list of endpoints to try one after another (failover, §4.3).
 *
 *  - numeric host: that address; the port from the URI or the default (5060, 5061 for TLS).
 *  - transport parameter: that transport (`sips` + `transport=tcp` means TLS, §4.1).
 *  - explicit port: A/AAAA of the host, no SRV (§4.2).
 *  - NAPTR is NOT queried (allowed: §4.1 lets a client that has no NAPTR records go on with SRV).
 *  - SRV `_sip._udp`, `_sip._tcp` (or `_sips._tcp` for SIPS / TLS), each ordered by RFC 2782
 *    priority/weight; each SRV target expands to its A (then AAAA) addresses.
 *  - no SRV records: A/AAAA of the host with the default port; UDP for sip, TLS for sips (§4.1, §4.2).
 * Every endpoint carries `serverName` = the URI host: TLS verifies the certificate against the SIP domain
 * (RFC 5922 §4), not against the SRV target name.
 */
import { orderSrvRecords, type RandomSource } from './srv-order.ts';
import type { DnsResolver } from './dns-resolver.ts';
import { defaultPort, isNumericHost, stripBrackets } from './address.ts';
import type { Endpoint, TransportProtocol } from './types.ts';

/** The parts of a SIP URI resolution reads (a SipUri from the message layer fits). */
export interface TargetUri {
  readonly scheme: string;
  readonly host: string;
  readonly port: number | null;
  readonly params: ReadonlyMap<string, string | null>;
}

export interface ResolveOptions {
  readonly resolver: DnsResolver;
  /** outbound proxy (with `;lr`): resolved instead of the Request-URI */
  readonly outboundProxy?: TargetUri;
  /** transports this client may use, in order of preference (default udp, tcp, tls) */
  readonly transports?: readonly TransportProtocol[];
  /** order addresses of one name: IPv4 first (default) or IPv6 first */
  readonly preferIPv6?: boolean;
  readonly random?: RandomSource;
}

export class TargetResolutionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TargetResolutionError';
  }
}

const SRV_PREFIX: Record<TransportProtocol, string> = { udp: '_sip._udp.', tcp: '_sip._tcp.', tls: '_sips._tcp.' };

function explicitProtocol(uri: TargetUri, secure: boolean): TransportProtocol | null {
  const param = uri.params.get('transport');
  if (param === undefined || param === null) return null;
  switch (param.toLowerCase()) {
    case 'udp':
      if (secure) throw new TargetResolutionError(`a SIPS URI cannot use transport=udp (${uri.host})`);
      return 'udp';
    case 'tcp':
      return secure ? 'tls' : 'tcp';
    case 'tls':
      return 'tls';
    default:
      throw new TargetResolutionError(`unsupported transport "${param}" for ${uri.host}`);
  }
}

/** Resolves the next hop for a request to `requestUri` into the ordered endpoints to try. */
export async function resolveTargets(requestUri: TargetUri, options: ResolveOptions): Promise<Endpoint[]> {
  const uri = options.outboundProxy ?? requestUri;
  const secure = uri.scheme.toLowerCase() === 'sips' || requestUri.scheme.toLowerCase() === 'sips';
  const supported = options.transports ?? ['udp', 'tcp', 'tls'];
  // RFC 3263 §4: maddr, when present, replaces the host
  const maddr = uri.params.get('maddr');
  const host = stripBrackets(typeof maddr === 'string' && maddr !== '' ? maddr : uri.host);
  const serverName = host;
  const explicit = explicitProtocol(uri, secure);
  if (explicit !== null && !supported.includes(explicit)) {
    throw new TargetResolutionError(`transport ${explicit} for ${uri.host} is not enabled`);
  }
  const fallbackProtocol = (): TransportProtocol => {
    if (explicit !== null) return explicit;
    if (secure) return 'tls';
    const first = supported.find((p) => p !== 'tls');
    if (first === undefined) throw new TargetResolutionError(`no transport enabled for sip:${uri.host}`);
    return first;
  };
  const make = (protocol: TransportProtocol, address: string, port: number): Endpoint => ({ protocol, address, port, serverName });

  // §4.1/§4.2: numeric address: no DNS at all
  if (isNumericHost(host)) {
    const protocol = fallbackProtocol();
    return [make(protocol, host, uri.port ?? defaultPort(protocol))];
  }

  const lookupErrors: string[] = [];
  const addressesOf = async (name: string): Promise<string[]> => {
    const ask = async (q: Promise<readonly string[]>): Promise<readonly string[]> => {
      try {
        return await q;
      } catch (err) {
        lookupErrors.push(`${name}: ${err instanceof Error ? err.message : String(err)}`);
        return [];
      }
    };
    const [v4, v6] = await Promise.all([ask(options.resolver.resolve4(name)), ask(options.resolver.resolve6(name))]);
    return options.preferIPv6 ? [...v6, ...v4] : [...v4, ...v6];
  };

  let result: Endpoint[] = [];
  if (uri.port === null) {
    const candidates: TransportProtocol[] =
      explicit !== null ? [explicit] : secure ? ['tls'] : supported.filter((p) => p !== 'tls');
    for (const protocol of candidates) {
      let records;
      try {
        records = await options.resolver.resolveSrv(SRV_PREFIX[protocol] + host);
      } catch (err) {
        lookupErrors.push(`${SRV_PREFIX[protocol]}${host}: ${err instanceof Error ? err.message : String(err)}`);
        continue;
      }
      for (const record of orderSrvRecords(records, options.random)) {
        for (const address of await addressesOf(record.name)) result.push(make(protocol, address, record.port));
      }
    }
  }
  if (result.length === 0) {
    // §4.2: no SRV records (or an explicit port): A/AAAA of the host itself
    const protocol = fallbackProtocol();
    const port = uri.port ?? defaultPort(protocol);
    result = (await addressesOf(host)).map((address) => make(protocol, address, port));
  }
  const seen = new Set<string>();
  result = result.filter((e) => {
    const key = `${e.protocol}|${e.address}|${e.port}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
  if (result.length === 0) {
    const detail = lookupErrors.length > 0 ? ` (${lookupErrors.join('; ')})` : '';
    throw new TargetResolutionError(`cannot resolve ${host}: no SRV, A or AAAA records${detail}`);
  }
  return result;
}

/** §18.1.1 helper: the first TCP target of a resolved list (for a request too large for UDP), if any. */
export function tcpTargetOf(targets: readonly Endpoint[]): Endpoint | undefined {
  return targets.find((t) => t.protocol === 'tcp');
}
