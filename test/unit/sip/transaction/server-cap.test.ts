/**
 * The cap on live server transactions (issue 10; RFC 3261 §21.5.4, §20.33): above it a new request from
 * the registered path gets a stateless 503 with Retry-After, one from anyone else gets nothing; both are
 * counted, and the cap frees up as transactions end (Timer J, on the fake clock).
 */
import { describe, expect, it } from 'vitest';
import { serializeMessage, type SipRequest } from '../../../../main/sip/message/index.ts';
import { TransactionLayer } from '../../../../main/sip/transaction/transaction-layer.ts';
import type { ServerTransaction } from '../../../../main/sip/transaction/transaction-types.ts';
import type { Endpoint } from '../../../../main/sip/transport/types.ts';
import { FakeClock } from '../../../support/fake-clock.ts';
import { LoopTransport } from '../../../support/loop-transport.ts';
import { makeRequest, responseTo } from './fixtures.ts';

const PROXY: Endpoint = { protocol: 'udp', address: '192.0.2.10', port: 5060 };
const STRANGER: Endpoint = { protocol: 'udp', address: '198.51.100.7', port: 5060 };

function setup(max = 3, answer = false) {
  const clock = new FakeClock();
  const transport = new LoopTransport({ clock });
  const requests: Array<{ request: SipRequest; tx: ServerTransaction }> = [];
  const layer = new TransactionLayer({
    transport,
    clock,
    timers: { t1: 500 },
    serverCap: { max, retryAfterSeconds: 7, fromRegisteredPath: (s) => s.address === PROXY.address },
    user: {
      onRequest: (request, tx) => {
        requests.push({ request, tx });
        if (answer) tx.respond(responseTo(request, 200));
      },
      onAck: () => undefined,
    },
  });
  return { clock, transport, layer, requests };
}

const message = (n: number, method = 'MESSAGE'): string =>
  serializeMessage(makeRequest(method, { branch: `z9hG4bK-cap-${String(n)}`, callId: `cap-${String(n)}` })).toString();
const responses = (t: LoopTransport) => t.sent.flatMap((s) => (s.message.kind === 'response' ? [s.message] : []));

describe('server transaction cap (issue 10, RFC 3261 §21.5.4)', () => {
  it('requests the TU has not answered fill the cap; above it the registered path gets 503 with Retry-After and reaches no TU', () => {
    const { transport, layer, requests } = setup(3);
    for (let n = 0; n < 5; n++) transport.inject(message(n), PROXY);
    expect(requests).toHaveLength(3);
    expect(layer.serverTransactionCount).toBe(3);
    const answers = responses(transport);
    expect(answers.map((r) => r.status)).toEqual([503, 503]);
    const refused = answers[0]!;
    expect(refused.headers.get('Retry-After')).toBe('7');
    // the 503 answers the request it refuses (§8.2.6.2: Via, Call-ID, CSeq copied)
    expect(refused.callId).toBe('cap-3');
    expect(layer.serverCap.counters()).toEqual({ refused: 2, dropped: 0, shed: 0 });
  });

  it('above the cap a request from off the registered path is dropped without any response', () => {
    const { transport, layer, requests } = setup(2);
    transport.inject(message(0), PROXY);
    transport.inject(message(1), STRANGER);
    transport.inject(message(2), STRANGER);
    transport.inject(message(3), STRANGER);
    expect(transport.sent).toHaveLength(0);
    expect(requests).toHaveLength(2);
    expect(layer.serverCap.counters()).toEqual({ refused: 0, dropped: 2, shed: 0 });
  });

  it('answered transactions never fill the cap: the oldest Completed one gives way before Timer J (§17.2.2)', () => {
    const { transport, layer, requests } = setup(3, true);
    for (let n = 0; n < 100; n++) transport.inject(message(n), PROXY);
    expect(requests).toHaveLength(100);
    expect(layer.serverTransactionCount).toBe(3);
    expect(responses(transport).every((r) => r.status === 200)).toBe(true);
    expect(layer.serverCap.counters()).toEqual({ refused: 0, dropped: 0, shed: 97 });
    // the newest keep absorbing their retransmissions (§17.2.3) ...
    transport.inject(message(99), PROXY);
    expect(requests).toHaveLength(100);
    // ... while a late retransmission of a shed one reaches the TU again (storage knows it as a duplicate)
    transport.inject(message(0), PROXY);
    expect(requests).toHaveLength(101);
  });

  it('a retransmission of an admitted request is absorbed by its transaction at the cap (§17.2.3)', () => {
    const { transport, layer, requests } = setup(1);
    transport.inject(message(0), PROXY);
    transport.inject(message(0), PROXY);
    expect(requests).toHaveLength(1);
    expect(transport.sent).toHaveLength(0);
    expect(layer.serverCap.counters().refused).toBe(0);
  });

  it('room comes back as the TU answers, and when Timer J = 64*T1 ends the transactions', () => {
    const { clock, transport, layer, requests } = setup(2);
    transport.inject(message(0), PROXY);
    transport.inject(message(1), PROXY);
    transport.inject(message(2), PROXY);
    expect(requests).toHaveLength(2);
    for (const { request, tx } of requests) tx.respond(responseTo(request, 200));
    transport.inject(message(3), PROXY);
    expect(requests).toHaveLength(3);
    expect(layer.serverCap.counters()).toEqual({ refused: 1, dropped: 0, shed: 1 });
    requests[2]!.tx.respond(responseTo(requests[2]!.request, 200));
    clock.advance(64 * 500);
    expect(layer.serverTransactionCount).toBe(0);
  });

  it('INVITE server transactions are not shed: at the cap a new INVITE gets 503, and an ACK is never answered', () => {
    const { transport, layer, requests } = setup(1, true);
    transport.inject(message(0, 'INVITE'), PROXY);
    transport.inject(message(1, 'INVITE'), PROXY);
    expect(requests).toHaveLength(1);
    expect(responses(transport).map((r) => r.status)).toEqual([200, 503]);
    const before = transport.sent.length;
    transport.inject(serializeMessage(makeRequest('ACK', { branch: 'z9hG4bK-ack', callId: 'ack-1' })).toString(), PROXY);
    expect(transport.sent.length).toBe(before);
    expect(layer.serverCap.counters()).toEqual({ refused: 1, dropped: 0, shed: 0 });
  });

  it('the default cap is 2048 and answers everyone 503 when no source check is configured', () => {
    const clock = new FakeClock();
    const transport = new LoopTransport({ clock });
    const layer = new TransactionLayer({ transport, clock, user: { onRequest: () => undefined, onAck: () => undefined } });
    expect(layer.serverCap.max).toBe(2048);
    for (let n = 0; n < 2049; n++) transport.inject(message(n), STRANGER);
    expect(layer.serverTransactionCount).toBe(2048);
    expect(layer.serverCap.counters()).toEqual({ refused: 1, dropped: 0, shed: 0 });
    layer.dispose();
  });
});
