import { createSocket } from 'node:dgram';
import { afterEach, describe, expect, it } from 'vitest';
import { systemClock } from '../../../../main/sip/transaction/index.ts';
import { icmpReason, UdpReachability } from '../../../../main/sip/transport/udp-reachability.ts';
import { SipTransportLayer } from '../../../../main/sip/transport/index.ts';
import type { TransportErrorEvent } from '../../../../main/sip/transport/index.ts';

/** a UDP port on 127.0.0.1 that nothing listens on (bound, read, closed) */
async function closedPort(): Promise<number> {
  const s = createSocket('udp4');
  await new Promise<void>((r) => s.bind(0, '127.0.0.1', () => r()));
  const port = s.address().port;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

describe('UdpReachability: ICMP errors for UDP destinations (RFC 3261 §18.4) on Linux loopback', () => {
  const cleanup: (() => void | Promise<void>)[] = [];
  afterEach(async () => {
    for (const c of cleanup.splice(0)) await c();
  });

  it('reports a port nothing listens on as ICMP port unreachable (connected-socket ECONNREFUSED)', async () => {
    const port = await closedPort();
    const seen = new Promise<{ address: string; port: number; reason: string }>((resolve) => {
      const r = new UdpReachability({ clock: systemClock, waitMs: 30_000 }, (address, p, reason) => resolve({ address, port: p, reason }));
      cleanup.push(() => r.close());
      expect(r.probe('127.0.0.1', port)).toBe(true);
      // a second probe right away is suppressed (one datagram per burst of requests)
      expect(r.probe('127.0.0.1', port)).toBe(false);
    });
    expect(await seen).toEqual({ address: '127.0.0.1', port, reason: icmpReason('ECONNREFUSED') });
  });

  it('reports nothing for a port that listens (the CRLF keep-alive reaches it)', async () => {
    const server = createSocket('udp4');
    await new Promise<void>((r) => server.bind(0, '127.0.0.1', () => r()));
    cleanup.push(() => new Promise<void>((r) => server.close(() => r())));
    const got = new Promise<Buffer>((resolve) => server.once('message', resolve));
    const errors: string[] = [];
    const r = new UdpReachability({ clock: systemClock, waitMs: 30_000 }, (_a, _p, reason) => errors.push(reason));
    cleanup.push(() => r.close());
    r.probe('127.0.0.1', server.address().port);
    expect((await got).toString('latin1')).toBe('\r\n\r\n');
    // a later probe to a dead port proves the socket would have reported an error by now
    const dead = await closedPort();
    await new Promise<void>((resolve) => {
      const r2 = new UdpReachability({ clock: systemClock, waitMs: 30_000 }, () => resolve());
      cleanup.push(() => r2.close());
      r2.probe('127.0.0.1', dead);
    });
    expect(errors).toEqual([]);
  });

  it('the transport layer (icmpProbe on) fails a request to a dead UDP port through onError, long before Timer F', async () => {
    const layer = await SipTransportLayer.create({ icmpProbe: true, listen: [{ protocol: 'udp', address: '127.0.0.1', port: 0 }] });
    cleanup.push(() => layer.close());
    const port = await closedPort();
    const error = new Promise<TransportErrorEvent>((resolve) => layer.onError(resolve));
    const { parseMessage } = await import('../../../../main/sip/message/index.ts');
    const request = parseMessage(
      Buffer.from(
        `OPTIONS sip:x@127.0.0.1:${String(port)} SIP/2.0\r\nVia: SIP/2.0/UDP 127.0.0.1;branch=z9hG4bK1\r\nFrom: <sip:a@x>;tag=1\r\nTo: <sip:x@x>\r\nCall-ID: c1\r\nCSeq: 1 OPTIONS\r\nMax-Forwards: 70\r\nContent-Length: 0\r\n\r\n`,
      ),
      { datagram: true },
    );
    await layer.send(request, { protocol: 'udp', address: '127.0.0.1', port });
    expect(await error).toEqual({ endpoint: { protocol: 'udp', address: '127.0.0.1', port }, reason: icmpReason('ECONNREFUSED') });
  });

  it('names the errno codes an ICMP error surfaces as', () => {
    expect(icmpReason('EHOSTUNREACH')).toBe('ICMP host unreachable');
    expect(icmpReason('ENETUNREACH')).toBe('ICMP network unreachable');
    expect(icmpReason('EPERM')).toBeNull();
  });
});
