/** CRLF keep-alive over real sockets, timers on the fake clock (RFC 5626 §3.5.1, §4.4.1). */
import { createSocket } from 'node:dgram';
import { connect, createServer, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { parseMessage } from '../../main/sip/message/index.ts';
import { startKeepAlive } from '../../main/sip/transport/keep-alive.ts';
import { SipTransportLayer, type TransportLayerOptions } from '../../main/sip/transport/transport-layer.ts';
import type { WireTraceEvent } from '../../main/sip/transport/trace.ts';
import { FakeClock } from '../support/fake-clock.ts';
import { requestText } from '../unit/sip/transport/sip-text.ts';
import { collect, nextError, portOf, until } from '../unit/sip/transport/transport-test-kit.ts';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});
async function layer(options: TransportLayerOptions = {}): Promise<SipTransportLayer> {
  const l = await SipTransportLayer.create(options);
  cleanups.push(() => l.close());
  return l;
}
const options = () => parseMessage(Buffer.from(requestText('SIP/2.0/TCP x.invalid;branch=z9hG4bKka')));

describe('CRLF keep-alive over TCP (RFC 5626 §3.5.1)', () => {
  it('MUST answer a CRLFCRLF ping with a CRLF pong', async () => {
    const server = await layer({ listen: [{ protocol: 'tcp', address: '127.0.0.1', port: 0 }] });
    const trace = collect<WireTraceEvent>((l) => server.onTrace(l));
    const socket = connect(portOf(server, 'tcp'), '127.0.0.1');
    cleanups.push(() => void socket.destroy());
    const received: Buffer[] = [];
    socket.on('data', (d: Buffer) => received.push(d));
    socket.write('\r\n\r\n');
    await until(() => Buffer.concat(received).length >= 2, 'pong');
    expect(Buffer.concat(received).toString()).toBe('\r\n');
    expect(trace.map((t) => `${t.direction} ${t.kind} ${JSON.stringify(t.raw.toString())}`)).toEqual([
      'in keepalive "\\r\\n\\r\\n"',
      'out keepalive "\\r\\n"',
    ]);
  });

  it('pings every interval on the injected clock; pongs keep the flow alive and the connection open', async () => {
    const clock = new FakeClock();
    const server = await layer({ listen: [{ protocol: 'tcp', address: '127.0.0.1', port: 0 }] });
    const client = await layer({ clock, idleTimeoutMs: 60_000 });
    const errors = collect((l) => client.onError(l));
    const trace = collect<WireTraceEvent>((l) => client.onTrace(l));
    const used = await client.send(options(), { protocol: 'tcp', address: '127.0.0.1', port: portOf(server, 'tcp') });
    const stop = startKeepAlive(client, used, 30_000);
    for (let round = 1; round <= 3; round++) {
      clock.advance(30_000);
      await until(() => trace.filter((t) => t.direction === 'in' && t.kind === 'keepalive').length === round, `pong ${round}`);
    }
    clock.advance(30_000); // well past the idle time and the pong timeout: still open, no error
    expect(errors).toEqual([]);
    expect(client.connections.all()).toHaveLength(1);
    stop();
    clock.advance(60_000);
    expect(client.connections.all()).toHaveLength(0);
  });

  it('a missing pong is reported as an error and the flow closed (RFC 5626 §4.4.1: 10 s)', async () => {
    const clock = new FakeClock();
    const got: Buffer[] = [];
    const silent = createServer((s: Socket) => s.on('data', (d: Buffer) => got.push(d)));
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', () => r()));
    cleanups.push(() => new Promise<void>((r) => silent.close(() => r())));
    const address = silent.address();
    if (address === null || typeof address === 'string') throw new Error('no address');
    const client = await layer({ clock });
    const used = await client.send(options(), { protocol: 'tcp', address: '127.0.0.1', port: address.port });
    startKeepAlive(client, used, 25_000);
    clock.advance(25_000);
    await until(() => Buffer.concat(got).toString().endsWith('\r\n\r\n'), 'the ping at the peer');
    const failure = nextError(client);
    clock.advance(9_999);
    expect(client.connections.all()).toHaveLength(1);
    clock.advance(1);
    const event = await failure;
    expect(event.endpoint.connectionId).toBe(used.connectionId);
    expect(event.reason).toBe('keep-alive: no pong within 10000 ms');
    expect(client.connections.all()).toHaveLength(0);
  });
});

describe('CRLF keep-alive over UDP', () => {
  it('sends CRLFCRLF to the endpoint every interval', async () => {
    const clock = new FakeClock();
    const peer = createSocket('udp4');
    await new Promise<void>((r) => peer.bind(0, '127.0.0.1', () => r()));
    cleanups.push(() => void peer.close());
    const got: string[] = [];
    peer.on('message', (m) => got.push(m.toString()));
    const client = await layer({ clock, listen: [{ protocol: 'udp', address: '127.0.0.1', port: 0 }] });
    const stop = startKeepAlive(client, { protocol: 'udp', address: '127.0.0.1', port: peer.address().port }, 15_000);
    clock.advance(14_999);
    clock.advance(1);
    await until(() => got.length === 1, 'first ping');
    clock.advance(15_000);
    await until(() => got.length === 2, 'second ping');
    stop();
    clock.advance(60_000);
    // proof the path is alive: a new keep-alive on the same socket to the same peer arrives; a ping from
    // the stopped one (4 were due in those 60 s) would have been sent before it
    const again = startKeepAlive(client, { protocol: 'udp', address: '127.0.0.1', port: peer.address().port }, 1_000);
    clock.advance(1_000);
    await until(() => got.length >= 3, 'the new keep-alive');
    again();
    expect(got).toEqual(['\r\n\r\n', '\r\n\r\n', '\r\n\r\n']);
  });
});
