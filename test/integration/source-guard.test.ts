/**
 * Issue 10, the source check over real loopback sockets: requests from an address off the registered path
 * are dropped before the trace and the parser (unanswered, counted); the proxy a REGISTER went to is heard
 * over UDP and over the TCP connection the REGISTER used.
 */
import { createSocket } from 'node:dgram';
import { afterEach, describe, expect, it } from 'vitest';
import { newBranch, parseMessage, type SipRequest } from '../../main/sip/message/index.ts';
import { SipTransportLayer } from '../../main/sip/transport/transport-layer.ts';
import { SourceGuard } from '../../main/sip/transport/source-guard.ts';
import { SourceRateLimit } from '../../main/sip/transport/source-rate-limit.ts';
import { FakeClock } from '../support/fake-clock.ts';
import type { WireTraceEvent } from '../../main/sip/transport/trace.ts';
import type { InboundMessage } from '../../main/sip/transport/types.ts';
import { requestText } from '../unit/sip/transport/sip-text.ts';
import { collect, nextMessage, portOf, until } from '../unit/sip/transport/transport-test-kit.ts';

const APP = '127.0.0.1';
const PROXY = '127.0.0.3';
const ATTACKER = '127.0.0.2';
const layers: SipTransportLayer[] = [];
afterEach(async () => {
  await Promise.all(layers.splice(0).map((l) => l.close()));
});
async function layer(address: string, protocol: 'udp' | 'tcp', guard?: SourceGuard, rateLimit?: SourceRateLimit): Promise<SipTransportLayer> {
  const l = await SipTransportLayer.create({ listen: [{ protocol, address, port: 0 }], ...(guard ? { sourceGuard: guard } : {}), ...(rateLimit ? { rateLimit } : {}) });
  layers.push(l);
  return l;
}
const sipRequest = (method: string, callId: string): SipRequest =>
  parseMessage(Buffer.from(requestText(`SIP/2.0/UDP to-be-filled.invalid;branch=${newBranch()}`, { method, callId }))) as SipRequest;

describe('source check at the transport edge (issue 10)', () => {
  it('UDP: 2,000 datagrams from a non-proxy source are unheard and counted; the proxy the REGISTER went to is heard', async () => {
    const guard = new SourceGuard();
    const app = await layer(APP, 'udp', guard);
    const proxy = await layer(PROXY, 'udp');
    const appPort = portOf(app, 'udp');
    const heard = collect<InboundMessage>((l) => app.onMessage(l));
    const traced = collect<WireTraceEvent>((l) => app.onTrace(l));

    const attacker = createSocket('udp4');
    await new Promise<void>((resolve) => attacker.bind(0, ATTACKER, resolve));
    const answers: Buffer[] = [];
    attacker.on('message', (m) => answers.push(m));
    try {
      const count = 2000;
      // batches of 100, each waited for, so a busy machine's socket buffer never loses one
      for (let i = 0; i < count; i++) {
        const bytes = Buffer.from(requestText(`SIP/2.0/UDP ${ATTACKER};branch=${newBranch()}`, { method: i % 2 ? 'MESSAGE' : 'INVITE', callId: `flood-${i}` }));
        await new Promise<void>((resolve, reject) => attacker.send(bytes, appPort, APP, (e) => (e ? reject(e) : resolve())));
        if ((i + 1) % 100 === 0) await until(() => guard.counters().droppedRequests === i + 1, `${i + 1} forged datagrams counted`, 20_000);
      }
    } finally {
      attacker.close();
    }
    expect(heard).toHaveLength(0);
    expect(traced.filter((t) => t.direction === 'in')).toHaveLength(0);
    expect(answers).toHaveLength(0);

    // before any REGISTER the proxy is a stranger too; after one it is the registered path
    await app.send(sipRequest('REGISTER', 'reg-1'), { protocol: 'udp', address: PROXY, port: portOf(proxy, 'udp') });
    const arriving = nextMessage(app);
    await proxy.send(sipRequest('MESSAGE', 'from-proxy'), { protocol: 'udp', address: APP, port: appPort });
    expect((await arriving).message.callId).toBe('from-proxy');
    expect(guard.counters().droppedRequests).toBe(2000);
  });

  it('TCP: a request on the connection our REGISTER opened is heard; one from a stranger on UDP is not', async () => {
    const guard = new SourceGuard();
    const app = await layer(APP, 'udp', guard);
    const proxy = await layer(PROXY, 'tcp');
    const registerArrives = nextMessage(proxy);
    await app.send(sipRequest('REGISTER', 'reg-tcp'), { protocol: 'tcp', address: PROXY, port: portOf(proxy, 'tcp') });
    const register = await registerArrives;
    const arriving = nextMessage(app);
    await proxy.send(sipRequest('MESSAGE', 'over-flow'), register.source);
    expect((await arriving).message.callId).toBe('over-flow');
    expect(guard.isTrusted(PROXY)).toBe(true);
    expect(guard.isTrusted(ATTACKER)).toBe(false);
  });

  it('per-source rate limit: a flooder gets its burst heard, the rest is dropped before trace and parser; the proxy is not limited', async () => {
    // allowDirect: the source check lets everyone in, so only the rate limit stands between flood and parser
    const guard = new SourceGuard({ allowDirect: true, trusted: [PROXY] });
    // a clock that never moves: no refill during the test, so the counts are exact on any machine
    const rateLimit = new SourceRateLimit({ clock: new FakeClock(), untrusted: { perSecond: 20, burst: 40 } });
    const app = await layer(APP, 'udp', guard, rateLimit);
    const proxy = await layer(PROXY, 'udp');
    const appPort = portOf(app, 'udp');
    const heard = collect<InboundMessage>((l) => app.onMessage(l));
    const traced = collect<WireTraceEvent>((l) => app.onTrace(l));
    const attacker = createSocket('udp4');
    await new Promise<void>((resolve) => attacker.bind(0, ATTACKER, resolve));
    try {
      for (let i = 0; i < 1000; i++) {
        const bytes = Buffer.from(requestText(`SIP/2.0/UDP ${ATTACKER};branch=${newBranch()}`, { method: 'OPTIONS', callId: `rate-${i}` }));
        await new Promise<void>((resolve, reject) => attacker.send(bytes, appPort, APP, (e) => (e ? reject(e) : resolve())));
        if ((i + 1) % 100 === 0) await until(() => heard.length + rateLimit.counters().limitedMessages === i + 1, `${i + 1} datagrams seen`, 20_000);
      }
    } finally {
      attacker.close();
    }
    expect(heard).toHaveLength(40);
    expect(rateLimit.counters().limitedMessages).toBe(960);
    expect(traced.filter((t) => t.direction === 'in')).toHaveLength(40);
    // the proxy (registered path) is unlimited: 200 back to back are all heard
    for (let i = 0; i < 200; i++) await proxy.send(sipRequest('MESSAGE', `proxy-${i}`), { protocol: 'udp', address: APP, port: appPort });
    await until(() => heard.length === 240, '200 proxy messages heard', 20_000);
    expect(rateLimit.counters().limitedMessages).toBe(960);
  });
});
