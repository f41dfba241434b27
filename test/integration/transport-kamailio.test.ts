/**
 * Interop with a real Kamailio (test/support/kamailio.ts, config in test/fixtures/kamailio/):
 * `OPTIONS sip:example.test` over UDP, TCP and TLS (its self-signed certificate pinned) is answered
 * `200 Keepalive`. Kamailio missing = failure, never a skip.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseMessage, type SipRequest } from '../../main/sip/message/index.ts';
import { newBranch } from '../../main/sip/message/index.ts';
import { startKeepAlive } from '../../main/sip/transport/keep-alive.ts';
import type { WireTraceEvent } from '../../main/sip/transport/trace.ts';
import { SipTransportLayer } from '../../main/sip/transport/transport-layer.ts';
import type { Endpoint } from '../../main/sip/transport/types.ts';
import { startKamailio, type RunningKamailio } from '../support/kamailio.ts';
import { requirePeer } from '../support/peers.ts';
import { requestText } from '../unit/sip/transport/sip-text.ts';
import { collect, nextMessage, until } from '../unit/sip/transport/transport-test-kit.ts';

let kamailio: RunningKamailio;
let sipPort = 0;
let layer: SipTransportLayer;

beforeAll(async () => {
  requirePeer('kamailio');
  let lastError: unknown;
  for (let attempt = 0; attempt < 3; attempt++) {
    // a random pair of ports in 2xxxx: other test runs may hold some
    sipPort = 20_000 + 2 * Math.floor(Math.random() * 4_999);
    try {
      kamailio = await startKamailio({ sipPort, tlsPort: sipPort + 1 });
      break;
    } catch (err) {
      lastError = err;
    }
  }
  if (!kamailio) throw lastError instanceof Error ? lastError : new Error(String(lastError));
  layer = await SipTransportLayer.create({
    listen: [{ protocol: 'udp', address: '127.0.0.1', port: 0 }],
    // the user pinned this PBX's self-signed certificate for example.test
    tlsTrust: (d) => (d.serverName === 'example.test' ? { ca: [kamailio.certPem] } : undefined),
  });
});

afterAll(async () => {
  await layer?.close();
  await kamailio?.stop();
});

const options = (transport: string): SipRequest =>
  parseMessage(Buffer.from(requestText(`SIP/2.0/${transport} x.invalid;branch=${newBranch()}`, { callId: `${newBranch()}@interop` }))) as SipRequest;

describe('Kamailio interop: OPTIONS sip:example.test', () => {
  it.each([
    ['udp', 0],
    ['tcp', 0],
    ['tls', 1],
  ] as const)('over %s is answered 200 Keepalive', async (protocol, portOffset) => {
    const dest: Endpoint = { protocol, address: '127.0.0.1', port: sipPort + portOffset, serverName: 'example.test' };
    const request = options(protocol.toUpperCase());
    const answered = nextMessage(layer, 10_000);
    const used = await layer.send(request, dest);
    const inbound = await answered;
    const response = inbound.message;
    expect(response.kind).toBe('response');
    if (response.kind !== 'response') return;
    expect(`${response.status} ${response.reason}`).toBe('200 Keepalive');
    expect(response.callId).toBe(request.callId);
    // Kamailio filled the rport we asked for (RFC 3581) and returned it over the same flow
    expect(typeof response.topVia?.rport).toBe('number');
    if (protocol !== 'udp') expect(inbound.source.connectionId).toBe(used.connectionId);
  });
});

describe('Kamailio interop: CRLF keep-alive (RFC 5626 §3.5.1)', () => {
  it.each([
    ['tcp', 0],
    ['tls', 1],
  ] as const)('over %s Kamailio answers our CRLFCRLF ping with a CRLF pong', async (protocol, portOffset) => {
    const dest: Endpoint = { protocol, address: '127.0.0.1', port: sipPort + portOffset, serverName: 'example.test' };
    const answered = nextMessage(layer, 10_000);
    const used = await layer.send(options(protocol.toUpperCase()), dest);
    await answered;
    const trace = collect<WireTraceEvent>((l) => layer.onTrace(l));
    const errors = collect((l) => layer.onError(l));
    const stop = startKeepAlive(layer, used, 20);
    try {
      await until(() => trace.some((t) => t.direction === 'in' && t.kind === 'keepalive' && t.remote.connectionId === used.connectionId), 'pong', 5000);
    } finally {
      stop();
    }
    expect(trace.find((t) => t.direction === 'out')?.raw.toString()).toBe('\r\n\r\n');
    expect(trace.find((t) => t.direction === 'in')?.raw.toString()).toBe('\r\n');
    expect(errors).toEqual([]);
  });
});
