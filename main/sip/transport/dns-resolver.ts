/**
 * The DNS questions RFC 3263 needs, as an interface so tests answer them without a DNS server.
 * `nodeDnsResolver` asks the system resolver through node:dns.
 */
import { promises as dns } from 'node:dns';
import type { SrvRecord } from './srv-order.ts';

export interface DnsResolver {
  /** SRV records of e.g. `_sip._udp.example.com`; [] when there are none */
  resolveSrv(name: string): Promise<readonly SrvRecord[]>;
  /** A records; [] when there are none */
  resolve4(host: string): Promise<readonly string[]>;
  /** AAAA records; [] when there are none */
  resolve6(host: string): Promise<readonly string[]>;
}

/** "no such record" answers are an empty list; other failures (timeouts, SERVFAIL) reject. */
const NO_DATA = new Set(['ENODATA', 'ENOTFOUND', 'NXDOMAIN', 'ENONAME']);

async function orEmpty<T>(query: Promise<T[]>): Promise<T[]> {
  try {
    return await query;
  } catch (err) {
    const code = (err as { code?: unknown }).code;
    if (typeof code === 'string' && NO_DATA.has(code)) return [];
    throw err;
  }
}

export function createNodeDnsResolver(resolver: dns.Resolver = new dns.Resolver()): DnsResolver {
  return {
    resolveSrv: (name) => orEmpty(resolver.resolveSrv(name)),
    resolve4: (host) => orEmpty(resolver.resolve4(host)),
    resolve6: (host) => orEmpty(resolver.resolve6(host)),
  };
}

export const nodeDnsResolver: DnsResolver = createNodeDnsResolver();
