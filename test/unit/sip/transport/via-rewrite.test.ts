import { describe, expect, it } from 'vitest';
import { parseVia } from '../../../../main/sip/message/index.ts';
import { prepareRequestVia, readTopVia, responseDestination, stampReceivedVia } from '../../../../main/sip/transport/via-rewrite.ts';
import { request } from './sip-text.ts';

const udpSource = { protocol: 'udp' as const, address: '192.0.2.7', port: 40123 };

describe('request received (RFC 3261 §18.2.1, RFC 3581 §4)', () => {
  it('MUST add received when the sent-by address differs from the source address', () => {
    const req = request('SIP/2.0/UDP 10.0.0.1:5060;branch=z9hG4bKa');
    expect(stampReceivedVia(req, udpSource)).toBe(true);
    const via = readTopVia(req);
    expect(via?.received).toBe('192.0.2.7');
    expect(via?.rport).toBeUndefined();
  });

  it('MUST add received when sent-by is a domain name', () => {
    const req = request('SIP/2.0/UDP pc33.example.com;branch=z9hG4bKa');
    stampReceivedVia(req, udpSource);
    expect(readTopVia(req)?.received).toBe('192.0.2.7');
  });

  it('does not add received when sent-by is the source address and there is no rport', () => {
    const req = request('SIP/2.0/UDP 192.0.2.7:5060;branch=z9hG4bKa');
    stampReceivedVia(req, udpSource);
    expect(req.headers.get('Via')).toBe('SIP/2.0/UDP 192.0.2.7:5060;branch=z9hG4bKa');
  });

  it('MUST fill an empty rport with the source port and add received even when the address matches (RFC 3581 §4)', () => {
    const req = request('SIP/2.0/UDP 192.0.2.7:5060;rport;branch=z9hG4bKa');
    stampReceivedVia(req, udpSource);
    const via = readTopVia(req);
    expect(via?.rport).toBe(40123);
    expect(via?.received).toBe('192.0.2.7');
    expect(via?.branch).toBe('z9hG4bKa');
    expect(req.headers.get('Via')).toBe('SIP/2.0/UDP 192.0.2.7:5060;rport=40123;branch=z9hG4bKa;received=192.0.2.7');
  });

  it('reads the top Via the message already parsed, and a stamped Via is what the message reads after (issue 18)', () => {
    const same = request('SIP/2.0/UDP 192.0.2.7:5060;branch=z9hG4bKa');
    const before = same.topVia;
    stampReceivedVia(same, udpSource);
    expect(same.topVia).toBe(before);
    const stamped = request('SIP/2.0/UDP 10.0.0.1:5060;branch=z9hG4bKa');
    const old = stamped.topVia;
    stampReceivedVia(stamped, udpSource);
    expect(stamped.topVia).not.toBe(old);
    expect(stamped.topVia?.received).toBe('192.0.2.7');
    // the Via is parsed once per message: stamping reads the message's own (cached) top Via
    let reads = 0;
    const req = request('SIP/2.0/UDP 10.0.0.1:5060;branch=z9hG4bKa');
    const counted = {
      headers: req.headers,
      get topVia() {
        reads++;
        return req.topVia;
      },
    };
    expect(stampReceivedVia(counted, udpSource)).toBe(true);
    expect(reads).toBe(1);
  });

  it('changes only the top Via value when several are in one header field', () => {
    const req = request('SIP/2.0/UDP 10.0.0.1;rport;branch=z9hG4bKa, SIP/2.0/UDP 10.0.0.2;branch=z9hG4bKb');
    stampReceivedVia(req, udpSource);
    const all = req.headers.getAll('Via');
    expect(all).toHaveLength(2);
    expect(all[1]).toBe('SIP/2.0/UDP 10.0.0.2;branch=z9hG4bKb');
    expect(readTopVia(req)?.rport).toBe(40123);
  });

  it('compares IPv6 sent-by without brackets against the source address', () => {
    const req = request('SIP/2.0/UDP [::1]:5060;branch=z9hG4bKa');
    stampReceivedVia(req, { protocol: 'udp', address: '::1', port: 5060 });
    expect(readTopVia(req)?.received).toBeNull();
  });
});

describe('request sent (RFC 3261 §18.1.1, RFC 3581 §3)', () => {
  it('MUST set the top Via transport to the one used, fill sent-by and add an empty rport', () => {
    const req = request('SIP/2.0/UDP placeholder.invalid;branch=z9hG4bKx');
    prepareRequestVia(req, 'tcp', { host: '127.0.0.1', port: 34567 }, { fillSentBy: true, rport: true });
    expect(req.headers.get('Via')).toBe('SIP/2.0/TCP 127.0.0.1:34567;branch=z9hG4bKx;rport');
  });

  it('keeps the sent-by the UA wrote when fillSentBy is off, and an rport already present', () => {
    const req = request('SIP/2.0/UDP 198.51.100.1:5070;rport;branch=z9hG4bKx');
    prepareRequestVia(req, 'udp', { host: '127.0.0.1', port: 5060 }, { fillSentBy: false, rport: true });
    expect(req.headers.get('Via')).toBe('SIP/2.0/UDP 198.51.100.1:5070;rport;branch=z9hG4bKx');
  });
});

describe('response destination (RFC 3261 §18.2.2, RFC 3581 §4)', () => {
  it('UDP with rport: MUST go to received and the rport port', () => {
    const via = parseVia('SIP/2.0/UDP 10.0.0.1:5060;rport=40123;received=192.0.2.7;branch=z9hG4bKa');
    expect(responseDestination(via, udpSource)).toEqual({ protocol: 'udp', address: '192.0.2.7', port: 40123 });
  });

  it('UDP without rport: received address and the sent-by port', () => {
    const via = parseVia('SIP/2.0/UDP 10.0.0.1:5070;received=192.0.2.7;branch=z9hG4bKa');
    expect(responseDestination(via, udpSource)).toEqual({ protocol: 'udp', address: '192.0.2.7', port: 5070 });
  });

  it('UDP with neither: the sent-by host and the default port 5060', () => {
    const via = parseVia('SIP/2.0/UDP 192.0.2.7;branch=z9hG4bKa');
    expect(responseDestination(via, udpSource)).toEqual({ protocol: 'udp', address: '192.0.2.7', port: 5060 });
  });

  it('UDP with maddr: that address and the sent-by port', () => {
    const via = parseVia('SIP/2.0/UDP 192.0.2.7:5080;maddr=239.1.1.1;branch=z9hG4bKa');
    expect(responseDestination(via, udpSource)).toEqual({ protocol: 'udp', address: '239.1.1.1', port: 5080 });
  });

  it('TCP: MUST go back on the connection the request came in on', () => {
    const via = parseVia('SIP/2.0/TCP 10.0.0.1:5060;received=192.0.2.7;branch=z9hG4bKa');
    const dest = responseDestination(via, { protocol: 'tcp', address: '192.0.2.7', port: 51000, connectionId: 'tcp-4' });
    expect(dest).toEqual({ protocol: 'tcp', address: '192.0.2.7', port: 5060, connectionId: 'tcp-4' });
  });

  it('TLS with an IPv6 sent-by: brackets removed, default port 5061', () => {
    const via = parseVia('SIP/2.0/TLS [2001:db8::9];branch=z9hG4bKa');
    const dest = responseDestination(via, { protocol: 'tls', address: '2001:db8::9', port: 51000, connectionId: 'tls-1' });
    expect(dest).toEqual({ protocol: 'tls', address: '2001:db8::9', port: 5061, connectionId: 'tls-1' });
  });
});
