import { describe, expect, it } from 'vitest';
import { NonInviteClientTransaction } from '../../../../main/sip/transaction/non-invite-client-transaction.ts';
import type { Endpoint } from '../../../../main/sip/transport/types.ts';
import { FakeClock } from '../../../support/fake-clock.ts';
import { LoopTransport } from '../../../support/loop-transport.ts';
import { makeRequest, RecordingClientUser, responseTo, settle, TCP_PEER, UDP_PEER } from './fixtures.ts';

function setup(destination: Endpoint = UDP_PEER) {
  const clock = new FakeClock();
  const transport = new LoopTransport({ clock });
  const user = new RecordingClientUser(clock);
  const request = makeRequest('OPTIONS');
  const tx = new NonInviteClientTransaction({ request, destination, user, transport, clock });
  return { clock, transport, user, request, tx };
}

const sendTimes = (t: LoopTransport): number[] => t.sent.map((s) => s.at);

describe('NonInviteClientTransaction (RFC 3261 §17.1.2)', () => {
  describe('Trying over UDP', () => {
    it('MUST retransmit with Timer E at 0.5, 1, 2, 4, 4, 4 s intervals until Timer F (64*T1) fires', () => {
      const { clock, transport, user, tx } = setup();
      tx.start();
      expect(tx.state).toBe('Trying');
      clock.advance(31_999);
      expect(sendTimes(transport)).toEqual([0, 500, 1500, 3500, 7500, 11500, 15500, 19500, 23500, 27500, 31500]);
      expect(user.events).toEqual([]);
      clock.advance(1);
      // §17.1.2.2 Timer F → TU informed (408, §8.1.3.1) → Terminated
      expect(user.events).toEqual([
        { at: 32_000, kind: 'timeout', status: 408 },
        { at: 32_000, kind: 'terminated' },
      ]);
      expect(tx.state).toBe('Terminated');
      expect(clock.pending()).toEqual([]);
      clock.advance(60_000);
      expect(transport.sent).toHaveLength(11);
    });

    it('retransmits the very same request (same branch, same CSeq)', () => {
      const { clock, transport, request, tx } = setup();
      tx.start();
      clock.advance(1500);
      expect(transport.sent.map((s) => s.message)).toEqual([request, request, request]);
      expect(transport.sent.every((s) => s.destination === UDP_PEER)).toBe(true);
    });

    it('synthesized 408 carries the request Call-ID, CSeq and Via (§8.1.3.1)', () => {
      const { clock, user, request, tx } = setup();
      tx.start();
      clock.advance(32_000);
      const [timeout] = user.responses;
      expect(timeout?.status).toBe(408);
      expect(timeout?.callId).toBe(request.callId);
      expect(timeout?.cseq).toEqual({ seq: 1, method: 'OPTIONS' });
      expect(timeout?.topVia?.branch).toBe(tx.branch);
    });
  });

  describe('Trying over TCP', () => {
    it('MUST NOT retransmit on a reliable transport, and Timer F still fires at 64*T1', () => {
      const { clock, transport, user, tx } = setup(TCP_PEER);
      tx.start();
      clock.advance(31_999);
      expect(sendTimes(transport)).toEqual([0]);
      clock.advance(1);
      expect(user.events[0]).toEqual({ at: 32_000, kind: 'timeout', status: 408 });
    });
  });

  describe('Proceeding', () => {
    it('MUST pass provisionals to the TU and reset Timer E to T2 after a provisional', () => {
      const { clock, transport, user, request, tx } = setup();
      tx.start();
      clock.advance(600);
      tx.receiveResponse(responseTo(request, 100));
      expect(tx.state).toBe('Proceeding');
      expect(user.events).toEqual([{ at: 600, kind: 'response', status: 100 }]);
      clock.advance(31_399);
      // E already armed for 1500 fires there; from then on every T2 (§17.1.2.2)
      expect(sendTimes(transport)).toEqual([0, 500, 1500, 5500, 9500, 13500, 17500, 21500, 25500, 29500]);
      clock.advance(1);
      expect(user.events.at(-2)).toEqual({ at: 32_000, kind: 'timeout', status: 408 });
    });

    it('keeps firing Timer E at T2 once in Proceeding (provisional at 2 s)', () => {
      const { clock, transport, request, tx } = setup();
      tx.start();
      clock.advance(2000);
      tx.receiveResponse(responseTo(request, 180));
      clock.advance(12_000);
      expect(sendTimes(transport)).toEqual([0, 500, 1500, 3500, 7500, 11500]);
    });
  });

  describe('Completed', () => {
    it('MUST pass a final response to the TU, stop retransmitting and wait Timer K = T4 over UDP', () => {
      const { clock, transport, user, request, tx } = setup();
      tx.start();
      clock.advance(1000);
      tx.receiveResponse(responseTo(request, 202));
      expect(tx.state).toBe('Completed');
      expect(user.events).toEqual([{ at: 1000, kind: 'response', status: 202 }]);
      // a retransmitted final response is absorbed
      tx.receiveResponse(responseTo(request, 202));
      clock.advance(4999);
      expect(tx.state).toBe('Completed');
      clock.advance(1);
      expect(tx.state).toBe('Terminated');
      expect(user.events).toEqual([
        { at: 1000, kind: 'response', status: 202 },
        { at: 6000, kind: 'terminated' },
      ]);
      expect(sendTimes(transport)).toEqual([0, 500]);
    });

    it('goes from Proceeding to Completed on a final response (pjsip UAC test 7)', () => {
      const { clock, user, request, tx } = setup();
      tx.start();
      tx.receiveResponse(responseTo(request, 100));
      clock.advance(700);
      tx.receiveResponse(responseTo(request, 404));
      expect(tx.state).toBe('Completed');
      expect(user.events.map((e) => (e.kind === 'response' ? e.status : e.kind))).toEqual([100, 404]);
    });

    it('Timer K is zero on a reliable transport: Terminated at once', () => {
      const { clock, user, request, tx } = setup(TCP_PEER);
      tx.start();
      clock.advance(10);
      tx.receiveResponse(responseTo(request, 200));
      expect(tx.state).toBe('Terminated');
      expect(user.events).toEqual([
        { at: 10, kind: 'response', status: 200 },
        { at: 10, kind: 'terminated' },
      ]);
      expect(clock.pending()).toEqual([]);
    });
  });

  describe('transport errors (§17.1.4)', () => {
    it('a send failure after 3 retransmissions SHOULD reach the TU as 503 and terminate', async () => {
      const { clock, transport, user, tx } = setup();
      tx.start();
      clock.advance(3500);
      expect(transport.sent).toHaveLength(4);
      transport.failSends(() => 'ICMP port unreachable');
      clock.advance(4000);
      await settle();
      expect(user.events).toEqual([
        { at: 7500, kind: 'transport-error', status: 503, reason: 'ICMP port unreachable' },
        { at: 7500, kind: 'terminated' },
      ]);
      expect(tx.state).toBe('Terminated');
      clock.advance(60_000);
      expect(transport.sent).toHaveLength(5);
    });

    it('a failure of the first send (connection refused) is a 503', async () => {
      const { transport, user, tx } = setup(TCP_PEER);
      transport.failSends(() => 'ECONNREFUSED');
      tx.start();
      await settle();
      expect(user.events[0]).toMatchObject({ kind: 'transport-error', status: 503, reason: 'ECONNREFUSED' });
    });

    it('is ignored once Completed: the TU already has its final response', () => {
      const { user, request, tx } = setup();
      tx.start();
      tx.receiveResponse(responseTo(request, 200));
      tx.transportError('connection reset');
      expect(user.events).toEqual([{ at: 0, kind: 'response', status: 200 }]);
    });

    it('remembers the endpoint the transport used (connectionId) for later sends', async () => {
      const { tx } = setup({ protocol: 'tcp', address: '192.0.2.10', port: 5060 });
      tx.start();
      await settle();
      expect(tx.endpoint.connectionId).toBe('loop-1');
    });
  });

  describe('programmer faults', () => {
    it('refuses INVITE and ACK, a request without a z9hG4bK branch, and a second start()', () => {
      const clock = new FakeClock();
      const transport = new LoopTransport({ clock });
      const user = new RecordingClientUser(clock);
      const build = (method: string, branch?: string) => () =>
        new NonInviteClientTransaction({ request: makeRequest(method, { branch }), destination: UDP_PEER, user, transport, clock });
      expect(build('INVITE')).toThrow(/not a non-INVITE/);
      expect(build('ACK')).toThrow(/not a non-INVITE/);
      expect(build('OPTIONS', 'old-style-branch')).toThrow(/z9hG4bK/);
      const tx = build('OPTIONS')();
      tx.start();
      expect(() => tx.start()).toThrow(/twice/);
    });

    it('dispose() stops retransmissions without telling the TU (pjsip UAC test 5)', () => {
      const { clock, transport, user, tx } = setup();
      tx.start();
      clock.advance(1500);
      tx.dispose();
      clock.advance(60_000);
      expect(transport.sent).toHaveLength(3);
      expect(user.events).toEqual([]);
      expect(tx.state).toBe('Terminated');
    });
  });
});
