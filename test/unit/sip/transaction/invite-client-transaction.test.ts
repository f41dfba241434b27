import { describe, expect, it } from 'vitest';
import { serializeMessage, type SipRequest } from '../../../../main/sip/message/index.ts';
import { InviteClientTransaction } from '../../../../main/sip/transaction/invite-client-transaction.ts';
import type { Endpoint } from '../../../../main/sip/transport/types.ts';
import { FakeClock } from '../../../support/fake-clock.ts';
import { LoopTransport } from '../../../support/loop-transport.ts';
import { makeRequest, RecordingClientUser, responseTo, settle, TCP_PEER, UDP_PEER } from './fixtures.ts';

function setup(destination: Endpoint = UDP_PEER) {
  const clock = new FakeClock();
  const transport = new LoopTransport({ clock });
  const user = new RecordingClientUser(clock);
  const request = makeRequest('INVITE', { route: '<sip:proxy.example.com;lr>' });
  const tx = new InviteClientTransaction({ request, destination, user, transport, clock });
  return { clock, transport, user, request, tx };
}

const sent = (t: LoopTransport): Array<[number, string]> =>
  t.sent.map((s) => [s.at, s.message.kind === 'request' ? s.message.method : String(s.message.status)]);

describe('InviteClientTransaction (RFC 3261 §17.1.1, RFC 6026 §8.4)', () => {
  describe('Calling over UDP', () => {
    it('MUST retransmit with Timer A doubling 0.5, 1, 2, 4, 8, 16 s (no cap) until Timer B (64*T1) → 408', () => {
      const { clock, transport, user, tx } = setup();
      tx.start();
      expect(tx.state).toBe('Calling');
      clock.advance(31_999);
      expect(transport.sent.map((s) => s.at)).toEqual([0, 500, 1500, 3500, 7500, 15500, 31500]);
      expect(user.events).toEqual([]);
      clock.advance(1);
      expect(user.events).toEqual([
        { at: 32_000, kind: 'timeout', status: 408 },
        { at: 32_000, kind: 'terminated' },
      ]);
      expect(tx.state).toBe('Terminated');
      // "The client transaction MUST NOT generate an ACK."
      clock.advance(100_000);
      expect(sent(transport).every(([, m]) => m === 'INVITE')).toBe(true);
      expect(transport.sent).toHaveLength(7);
    });
  });

  describe('Calling over TCP', () => {
    it('SHOULD NOT start Timer A on a reliable transport; Timer B still fires at 64*T1', () => {
      const { clock, transport, user, tx } = setup(TCP_PEER);
      tx.start();
      clock.advance(32_000);
      expect(transport.sent.map((s) => s.at)).toEqual([0]);
      expect(user.events[0]).toEqual({ at: 32_000, kind: 'timeout', status: 408 });
    });
  });

  describe('Proceeding', () => {
    it('a provisional MUST stop retransmissions and reach the TU; Timer B no longer applies', () => {
      const { clock, transport, user, request, tx } = setup();
      tx.start();
      clock.advance(700);
      tx.receiveResponse(responseTo(request, 180));
      tx.receiveResponse(responseTo(request, 183));
      expect(tx.state).toBe('Proceeding');
      clock.advance(120_000);
      expect(transport.sent.map((s) => s.at)).toEqual([0, 500]);
      expect(user.events).toEqual([
        { at: 700, kind: 'response', status: 180 },
        { at: 700, kind: 'response', status: 183 },
      ]);
    });
  });

  describe('Completed (300-699)', () => {
    it('MUST generate the ACK (same branch, To from the response), pass the response up and wait Timer D = 32 s', () => {
      const { clock, transport, user, request, tx } = setup();
      tx.start();
      clock.advance(100);
      tx.receiveResponse(responseTo(request, 180));
      clock.advance(900);
      const busy = responseTo(request, 486, 'callee-tag');
      tx.receiveResponse(busy);
      expect(tx.state).toBe('Completed');
      expect(sent(transport)).toEqual([[0, 'INVITE'], [1000, 'ACK']]);
      const ack = transport.sent[1]?.message as SipRequest;
      expect(ack).toBe(tx.ack);
      expect(ack.uriText).toBe(request.uriText);
      expect(ack.via).toHaveLength(1);
      expect(ack.topVia?.branch).toBe(request.topVia?.branch);
      expect(ack.cseq).toEqual({ seq: 1, method: 'ACK' });
      expect(ack.callId).toBe(request.callId);
      expect(ack.fromTag).toBe('from-1');
      expect(ack.toTag).toBe('callee-tag');
      expect(ack.headers.getAll('route')).toEqual(['<sip:proxy.example.com;lr>']);
      expect(ack.maxForwards).toBe(70);
      expect(serializeMessage(ack).toString()).toMatch(/^ACK sip:bob@example.com SIP\/2.0\r\n/);

      // a retransmitted final MUST re-send the ACK and MUST NOT reach the TU
      clock.advance(2000);
      tx.receiveResponse(responseTo(request, 486, 'callee-tag'));
      expect(sent(transport)).toEqual([[0, 'INVITE'], [1000, 'ACK'], [3000, 'ACK']]);
      expect(user.events.filter((e) => e.kind === 'response').map((e) => e.at)).toEqual([100, 1000]);

      clock.advance(29_999); // D runs from 1000
      expect(tx.state).toBe('Completed');
      clock.advance(1);
      expect(tx.state).toBe('Terminated');
      expect(user.events.at(-1)).toEqual({ at: 33_000, kind: 'terminated' });
    });

    it('sends the ACK even over TCP, and Timer D is zero there (Terminated at once)', () => {
      const { transport, user, request, tx } = setup(TCP_PEER);
      tx.start();
      tx.receiveResponse(responseTo(request, 603));
      expect(sent(transport)).toEqual([[0, 'INVITE'], [0, 'ACK']]);
      expect(tx.state).toBe('Terminated');
      expect(user.events).toEqual([
        { at: 0, kind: 'response', status: 603 },
        { at: 0, kind: 'terminated' },
      ]);
    });
  });

  describe('Accepted (RFC 6026)', () => {
    it('MUST pass the 2xx and every 2xx retransmission to the TU, send no ACK itself, and end on Timer M', () => {
      const { clock, transport, user, request, tx } = setup();
      tx.start();
      clock.advance(600);
      tx.receiveResponse(responseTo(request, 200, 'a'));
      expect(tx.state).toBe('Accepted');
      clock.advance(1000);
      tx.receiveResponse(responseTo(request, 200, 'a'));
      tx.receiveResponse(responseTo(request, 200, 'forked-b'));
      tx.receiveResponse(responseTo(request, 486)); // not a 2xx: dropped
      expect(user.events.map((e) => (e.kind === 'response' ? `${e.at}:${e.status}` : e.kind))).toEqual([
        '600:200',
        '1600:200',
        '1600:200',
      ]);
      expect(sent(transport)).toEqual([[0, 'INVITE'], [500, 'INVITE']]);
      clock.advance(30_999); // M = 64*T1 from 600
      expect(tx.state).toBe('Accepted');
      clock.advance(1);
      expect(tx.state).toBe('Terminated');
      expect(user.events.at(-1)).toEqual({ at: 32_600, kind: 'terminated' });
    });
  });

  describe('transport errors (§17.1.4)', () => {
    it('in Calling: 503 to the TU and Terminated', async () => {
      const { clock, transport, user, tx } = setup();
      tx.start();
      clock.advance(1500);
      transport.failSends(() => 'EHOSTUNREACH');
      clock.advance(2000);
      await settle();
      expect(user.events[0]).toEqual({ at: 3500, kind: 'transport-error', status: 503, reason: 'EHOSTUNREACH' });
      expect(tx.state).toBe('Terminated');
    });

    it('in Proceeding (connection lost while ringing): 503 to the TU', () => {
      const { user, request, tx } = setup(TCP_PEER);
      tx.start();
      tx.receiveResponse(responseTo(request, 180));
      tx.transportError('connection reset');
      expect(user.events.map((e) => e.kind)).toEqual(['response', 'transport-error', 'terminated']);
      expect(user.responses[1]?.status).toBe(503);
    });

    it('in Accepted: ignored, the TU has its 2xx', () => {
      const { user, request, tx } = setup();
      tx.start();
      tx.receiveResponse(responseTo(request, 200));
      tx.transportError('gone');
      expect(tx.state).toBe('Accepted');
      expect(user.events).toHaveLength(1);
    });
  });

  it('refuses a non-INVITE request (programmer fault)', () => {
    const clock = new FakeClock();
    const transport = new LoopTransport({ clock });
    expect(
      () =>
        new InviteClientTransaction({
          request: makeRequest('BYE'),
          destination: UDP_PEER,
          user: new RecordingClientUser(clock),
          transport,
          clock,
        }),
    ).toThrow(/needs an INVITE/);
  });
});
