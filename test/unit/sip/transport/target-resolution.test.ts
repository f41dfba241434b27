import { describe, expect, it } from 'vitest';
import { parseUri, type SipUri } from '../../../../main/sip/message/index.ts';
import type { DnsResolver } from '../../../../main/sip/transport/dns-resolver.ts';
import type { SrvRecord } from '../../../../main/sip/transport/srv-order.ts';
import { resolveTargets, tcpTargetOf, TargetResolutionError } from '../../../../main/sip/transport/target-resolution.ts';

/** A resolver answering from tables, recording every question. */
function fakeResolver(zone: { srv?: Record<string, SrvRecord[]>; a?: Record<string, string[]>; aaaa?: Record<string, string[]>; failing?: string[] }) {
  const asked: string[] = [];
  const answer = <T>(kind: string, table: Record<string, T[]> | undefined, name: string): Promise<T[]> => {
    asked.push(`${kind} ${name}`);
    if (zone.failing?.includes(name)) return Promise.reject(Object.assign(new Error('SERVFAIL'), { code: 'ESERVFAIL' }));
    return Promise.resolve(table?.[name] ?? []);
  };
  const resolver: DnsResolver = {
    resolveSrv: (n) => answer('SRV', zone.srv, n),
    resolve4: (n) => answer('A', zone.a, n),
    resolve6: (n) => answer('AAAA', zone.aaaa, n),
  };
  return { resolver, asked };
}

const uri = (text: string): SipUri => parseUri(text) as SipUri;
const srv = (name: string, port: number, priority: number, weight: number): SrvRecord => ({ name, port, priority, weight });

describe('RFC 3263 target resolution', () => {
  it('numeric address with no port: UDP on 5060, no DNS question (§4.1, §4.2)', async () => {
    const { resolver, asked } = fakeResolver({});
    expect(await resolveTargets(uri('sip:bob@192.0.2.4'), { resolver })).toEqual([{ protocol: 'udp', address: '192.0.2.4', port: 5060, serverName: '192.0.2.4' }]);
    expect(asked).toEqual([]);
  });

  it('numeric IPv6 with transport=tls and explicit port', async () => {
    const { resolver } = fakeResolver({});
    const out = await resolveTargets(uri('sip:[2001:db8::1]:5071;transport=tls'), { resolver });
    expect(out).toEqual([{ protocol: 'tls', address: '2001:db8::1', port: 5071, serverName: '2001:db8::1' }]);
  });

  it('sips URI with transport=tcp means TLS, default port 5061 (§4.1)', async () => {
    const { resolver } = fakeResolver({});
    expect(await resolveTargets(uri('sips:10.0.0.1;transport=tcp'), { resolver })).toEqual([{ protocol: 'tls', address: '10.0.0.1', port: 5061, serverName: '10.0.0.1' }]);
  });

  it('explicit port: A/AAAA of the host, no SRV query (§4.2)', async () => {
    const { resolver, asked } = fakeResolver({ a: { 'pbx.example.com': ['192.0.2.10'] }, aaaa: { 'pbx.example.com': ['2001:db8::10'] } });
    const out = await resolveTargets(uri('sip:pbx.example.com:5080;transport=tcp'), { resolver });
    expect(out).toEqual([
      { protocol: 'tcp', address: '192.0.2.10', port: 5080, serverName: 'pbx.example.com' },
      { protocol: 'tcp', address: '2001:db8::10', port: 5080, serverName: 'pbx.example.com' },
    ]);
    expect(asked.some((q) => q.startsWith('SRV'))).toBe(false);
  });

  it('SRV: orders by priority and lists every target for failover; serverName stays the SIP domain (RFC 5922)', async () => {
    const { resolver } = fakeResolver({
      srv: {
        '_sip._udp.example.com': [srv('backup.example.com', 5062, 20, 0), srv('main.example.com', 5060, 10, 0)],
        '_sip._tcp.example.com': [srv('main.example.com', 5060, 10, 0)],
      },
      a: { 'main.example.com': ['192.0.2.1'], 'backup.example.com': ['192.0.2.2'] },
    });
    const out = await resolveTargets(uri('sip:alice@example.com'), { resolver, random: () => 0 });
    expect(out).toEqual([
      { protocol: 'udp', address: '192.0.2.1', port: 5060, serverName: 'example.com' },
      { protocol: 'udp', address: '192.0.2.2', port: 5062, serverName: 'example.com' },
      { protocol: 'tcp', address: '192.0.2.1', port: 5060, serverName: 'example.com' },
    ]);
    // the §18.1.1 switch to TCP has a target
    expect(tcpTargetOf(out)).toEqual({ protocol: 'tcp', address: '192.0.2.1', port: 5060, serverName: 'example.com' });
  });

  it('SRV failover: a target without addresses is skipped, a failing SRV query does not stop the others', async () => {
    const { resolver } = fakeResolver({
      srv: { '_sip._tcp.example.com': [srv('gone.example.com', 5060, 1, 0), srv('up.example.com', 5070, 2, 0)] },
      a: { 'up.example.com': ['192.0.2.3'] },
      failing: ['_sip._udp.example.com'],
    });
    const out = await resolveTargets(uri('sip:example.com'), { resolver });
    expect(out).toEqual([{ protocol: 'tcp', address: '192.0.2.3', port: 5070, serverName: 'example.com' }]);
  });

  it('sips URI queries only _sips._tcp', async () => {
    const { resolver, asked } = fakeResolver({ srv: { '_sips._tcp.example.com': [srv('tls.example.com', 5061, 0, 0)] }, aaaa: { 'tls.example.com': ['2001:db8::5'] } });
    const out = await resolveTargets(uri('sips:example.com'), { resolver });
    expect(out).toEqual([{ protocol: 'tls', address: '2001:db8::5', port: 5061, serverName: 'example.com' }]);
    expect(asked.filter((q) => q.startsWith('SRV'))).toEqual(['SRV _sips._tcp.example.com']);
  });

  it('no SRV records: A/AAAA with the default port; UDP for sip (§4.2)', async () => {
    const { resolver } = fakeResolver({ a: { 'example.com': ['192.0.2.9'] }, aaaa: { 'example.com': ['2001:db8::9'] } });
    expect(await resolveTargets(uri('sip:example.com'), { resolver, preferIPv6: true })).toEqual([
      { protocol: 'udp', address: '2001:db8::9', port: 5060, serverName: 'example.com' },
      { protocol: 'udp', address: '192.0.2.9', port: 5060, serverName: 'example.com' },
    ]);
  });

  it('outbound proxy (;lr) is resolved instead of the Request-URI', async () => {
    const { resolver, asked } = fakeResolver({ a: { 'proxy.example.net': ['192.0.2.50'] } });
    const out = await resolveTargets(uri('sip:bob@example.com'), { resolver, outboundProxy: uri('sip:proxy.example.net:5060;lr;transport=tcp') });
    expect(out).toEqual([{ protocol: 'tcp', address: '192.0.2.50', port: 5060, serverName: 'proxy.example.net' }]);
    expect(asked.some((q) => q.includes('example.com') && !q.includes('example.net'))).toBe(false);
  });

  it('a TLS Request-URI (sips) keeps TLS to a sip: outbound proxy', async () => {
    const { resolver } = fakeResolver({});
    const out = await resolveTargets(uri('sips:bob@example.com'), { resolver, outboundProxy: uri('sip:192.0.2.50;lr') });
    expect(out).toEqual([{ protocol: 'tls', address: '192.0.2.50', port: 5061, serverName: '192.0.2.50' }]);
  });

  it('nothing found: rejects with a TargetResolutionError naming the host', async () => {
    const { resolver } = fakeResolver({});
    await expect(resolveTargets(uri('sip:nowhere.example'), { resolver })).rejects.toThrow(TargetResolutionError);
    await expect(resolveTargets(uri('sip:nowhere.example'), { resolver })).rejects.toThrow(/nowhere\.example/);
  });

  it('rejects transports it does not speak and sips over udp', async () => {
    const { resolver } = fakeResolver({});
    await expect(resolveTargets(uri('sip:10.0.0.1;transport=sctp'), { resolver })).rejects.toThrow(/unsupported transport/);
    await expect(resolveTargets(uri('sips:10.0.0.1;transport=udp'), { resolver })).rejects.toThrow(/SIPS/);
  });
});
