/**
 * The account's registered path for the source check (issue 10, main/sip/transport/source-guard.ts): every
 * resolved address (A/AAAA, and the SRV targets' addresses) of the registrar and the outbound proxy. The
 * addresses a REGISTER is actually sent to are added by the transport layer as it sends.
 */
import { promises as dns } from 'node:dns';
import { isIP } from 'node:net';
import { nodeDnsResolver, stripBrackets, type DnsResolver, type SourceGuard } from '../sip/transport/index.ts';

/** host part of `sip:host:port;params`, `host:port` or `[v6]:port` */
export function hostOfServer(server: string): string {
  const rest = server.trim().replace(/^sips?:/i, '').replace(/^[^@]*@/, '').split(';')[0] ?? '';
  if (rest.startsWith('[')) return stripBrackets(rest.slice(0, rest.indexOf(']') + 1));
  return rest.replace(/:\d+$/, '');
}

async function addressesOf(host: string, resolver: DnsResolver): Promise<string[]> {
  if (host === '') return [];
  if (isIP(host) !== 0) return [host];
  const out: string[] = [];
  const names = [host];
  for (const proto of ['_sip._udp', '_sip._tcp', '_sips._tcp']) {
    const srv = await resolver.resolveSrv(`${proto}.${host}`).catch(() => []);
    for (const r of srv) names.push(r.name);
  }
  for (const name of names) {
    // the system resolver (hosts file included) first, then the DNS A/AAAA answers
    const looked = await dns.lookup(name, { all: true }).catch(() => []);
    for (const a of looked) out.push(a.address);
    out.push(...(await resolver.resolve4(name).catch(() => [])), ...(await resolver.resolve6(name).catch(() => [])));
  }
  return out;
}

/** resolves the servers and trusts every address found; failures leave only what REGISTER will teach */
export async function trustRegisteredPath(guard: SourceGuard, servers: readonly string[], resolver: DnsResolver = nodeDnsResolver): Promise<void> {
  for (const server of servers) {
    for (const address of await addressesOf(hostOfServer(server), resolver)) guard.trust(address);
  }
}
