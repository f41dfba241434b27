import { describe, expect, it } from 'vitest';
import { SourceGuard, normalizeAddress } from '../../../../main/sip/transport/source-guard.ts';
import { hostOfServer, trustRegisteredPath } from '../../../../main/services/registered-path.ts';
import type { DnsResolver } from '../../../../main/sip/transport/dns-resolver.ts';
import { requestText, responseText } from './sip-text.ts';

const req = Buffer.from(requestText('SIP/2.0/UDP 192.0.2.9;branch=z9hG4bKx', { method: 'MESSAGE' }));
const res = Buffer.from(responseText('SIP/2.0/UDP 192.0.2.9;branch=z9hG4bKx'));
const udp = (address: string) => ({ protocol: 'udp' as const, address, port: 5060 });
const tcp = (address: string) => ({ protocol: 'tcp' as const, address, port: 5060 });

describe('SourceGuard (issue 10: only the registered path speaks to us)', () => {
  it('drops and counts UDP requests from an address off the registered path, passes the proxy', () => {
    const guard = new SourceGuard({ trusted: ['198.51.100.1'] });
    expect(guard.admit(req, udp('203.0.113.7'))).toBe(false);
    expect(guard.admit(req, { ...udp('203.0.113.7'), port: 5061 })).toBe(false);
    expect(guard.admit(req, udp('198.51.100.1'))).toBe(true);
    expect(guard.counters()).toEqual({ droppedRequests: 2, droppedSources: 2 });
  });

  it('lets responses through from anywhere (the transaction layer matches them)', () => {
    const guard = new SourceGuard();
    expect(guard.admit(res, udp('203.0.113.7'))).toBe(true);
    expect(guard.counters().droppedRequests).toBe(0);
  });

  it('on TCP/TLS accepts only connections we opened to a trusted address', () => {
    const guard = new SourceGuard({ trusted: ['198.51.100.1'] });
    expect(guard.admit(req, tcp('198.51.100.1'), true)).toBe(true);
    expect(guard.admit(req, tcp('198.51.100.1'), false)).toBe(false);
    expect(guard.admit(req, tcp('203.0.113.7'), true)).toBe(false);
    expect(guard.counters().droppedRequests).toBe(2);
  });

  it('allowDirect (the peer-to-peer account setting) hears everyone', () => {
    const guard = new SourceGuard({ allowDirect: true });
    expect(guard.admit(req, udp('203.0.113.7'))).toBe(true);
    expect(guard.admit(req, tcp('203.0.113.7'), false)).toBe(true);
  });

  it('compares addresses in one form: brackets, case and IPv4-mapped IPv6; names are never trusted', () => {
    expect(normalizeAddress('[2001:DB8::1]')).toBe('2001:db8::1');
    expect(normalizeAddress('::ffff:127.0.0.1')).toBe('127.0.0.1');
    const guard = new SourceGuard({ trusted: ['[2001:DB8::1]', 'pbx.example.test', '::ffff:10.0.0.1'] });
    expect(guard.trustedAddresses()).toEqual(['2001:db8::1', '10.0.0.1']);
    expect(guard.admit(req, udp('2001:db8::1'))).toBe(true);
    expect(guard.admit(req, udp('10.0.0.1'))).toBe(true);
  });

  it('remembers a bounded number of distinct dropped sources', () => {
    const guard = new SourceGuard();
    for (let i = 0; i < 3000; i++) guard.admit(req, { protocol: 'udp', address: '203.0.113.7', port: 1024 + i });
    expect(guard.counters()).toEqual({ droppedRequests: 3000, droppedSources: 1024 });
  });
});

describe('registered path resolution', () => {
  it('takes the host out of registrar and proxy forms', () => {
    expect(hostOfServer('sip:pbx.example.test:5070;transport=tcp;lr')).toBe('pbx.example.test');
    expect(hostOfServer('pbx.example.test')).toBe('pbx.example.test');
    expect(hostOfServer('sips:[2001:db8::5]:5061')).toBe('2001:db8::5');
    expect(hostOfServer('sip:proxy@10.1.2.3:5060')).toBe('10.1.2.3');
  });

  it('trusts every A/AAAA address of the servers and of their SRV targets', async () => {
    const resolver: DnsResolver = {
      resolveSrv: async (name) => (name === '_sip._udp.pbx.invalid' ? [{ name: 'edge.pbx.invalid', port: 5060, priority: 1, weight: 1 }] : []),
      resolve4: async (host) => (host === 'pbx.invalid' ? ['192.0.2.10', '192.0.2.11'] : host === 'edge.pbx.invalid' ? ['192.0.2.20'] : []),
      resolve6: async (host) => (host === 'pbx.invalid' ? ['2001:db8::10'] : []),
    };
    const guard = new SourceGuard();
    await trustRegisteredPath(guard, ['pbx.invalid', 'sip:198.51.100.4:5060;lr'], resolver);
    expect(new Set(guard.trustedAddresses())).toEqual(new Set(['192.0.2.10', '192.0.2.11', '2001:db8::10', '192.0.2.20', '198.51.100.4']));
  });
});
