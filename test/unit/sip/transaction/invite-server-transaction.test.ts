import { describe, expect, it } from 'vitest';
import type { SipRequest } from '../../../../main/sip/message/index.ts';
import { InviteServerTransaction } from '../../../../main/sip/transaction/invite-server-transaction.ts';
import type { Endpoint } from '../../../../main/sip/transport/types.ts';
import { FakeClock } from '../../../support/fake-clock.ts';
import { LoopTransport } from '../../../support/loop-transport.ts';
import { makeRequest, RecordingServerUser, responseTo, settle, TCP_PEER, UDP_PEER } from './fixtures.ts';

function setup(source: Endpoint = UDP_PEER, tryingDelay?: number) {
  const clock = new FakeClock();
  const transport = new LoopTransport({ clock });
  const user = new RecordingServerUser(clock);
  const request = makeRequest('INVITE', { transport: source.protocol === 'udp' ? 'UDP' : 'TCP' });
  const tx = new InviteServerTransaction({ request, source, transport, clock, user, tryingDelay });
  tx.start();
  return { clock, transport, user, request, tx };
}

const sent = (t: LoopTransport): Array<[number, number]> =>
  t.sent.map((s) => [s.at, s.message.kind === 'response' ? s.message.status : -1]);
const ack = (req: SipRequest): SipRequest => makeRequest('ACK', { cseqMethod: 'ACK', toTag: 'to-1', branch: req.topVia?.branch ?? '' });

describe('InviteServerTransaction (RFC 3261 §17.2.1, RFC 6026 §8.5-§8.7)', () => {
  describe('Proceeding', () => {
    it('MUST send 100 (Trying) when the TU is silent for 200 ms, without a To tag', () => {
      const { clock, transport } = setup();
      clock.advance(199);
      expect(transport.sent).toHaveLength(0);
      clock.advance(1);
      expect(sent(transport)).toEqual([[200, 100]]);
      expect(transport.sent[0]?.message.toTag).toBeNull();
    });

    it('sends no 100 when the TU answers within 200 ms; tryingDelay 0 sends it at once', () => {
      const quiet = setup();
      quiet.clock.advance(50);
      quiet.tx.respond(responseTo(quiet.request, 180));
      quiet.clock.advance(1000);
      expect(sent(quiet.transport)).toEqual([[50, 180]]);
      const eager = setup(UDP_PEER, 0);
      expect(sent(eager.transport)).toEqual([[0, 100]]);
    });

    it('MUST resend the most recent provisional on a request retransmission, without telling the TU', () => {
      const { clock, transport, request, tx, user } = setup();
      clock.advance(100);
      tx.receiveRequest(request); // before any provisional: the 100 is due now
      tx.respond(responseTo(request, 180));
      tx.respond(responseTo(request, 183));
      clock.advance(400);
      tx.receiveRequest(request);
      expect(sent(transport)).toEqual([[100, 100], [100, 180], [100, 183], [500, 183]]);
      expect(tx.state).toBe('Proceeding');
      expect(user.events).toEqual([]);
    });
  });

  describe('Completed (300-699)', () => {
    it('MUST retransmit the final response on Timer G (T1 doubling, capped at T2) until Timer H → TU told', () => {
      const { clock, transport, user, request, tx } = setup();
      tx.respond(responseTo(request, 486));
      expect(tx.state).toBe('Completed');
      clock.advance(31_999);
      expect(transport.sent.map((s) => s.at)).toEqual([0, 500, 1500, 3500, 7500, 11500, 15500, 19500, 23500, 27500, 31500]);
      expect(transport.sent.every((s) => s.message.kind === 'response' && s.message.status === 486)).toBe(true);
      clock.advance(1);
      // Timer H: "the ACK was never received ... MUST indicate to the TU that a transaction failure has occurred"
      expect(user.events).toEqual([
        { at: 32_000, kind: 'timeout' },
        { at: 32_000, kind: 'terminated' },
      ]);
      expect(tx.state).toBe('Terminated');
    });

    it('SHOULD resend the final response on an INVITE retransmission', () => {
      const { clock, transport, request, tx } = setup();
      tx.respond(responseTo(request, 404));
      clock.advance(200);
      tx.receiveRequest(request);
      expect(sent(transport)).toEqual([[0, 404], [200, 404]]);
    });

    it('discards later responses from the TU', () => {
      const { transport, request, tx } = setup();
      tx.respond(responseTo(request, 404));
      tx.respond(responseTo(request, 200));
      expect(sent(transport)).toEqual([[0, 404]]);
    });

    it('over TCP: no Timer G, Timer H still 64*T1', () => {
      const { clock, transport, user, request, tx } = setup(TCP_PEER);
      tx.respond(responseTo(request, 480));
      clock.advance(32_000);
      expect(sent(transport)).toEqual([[0, 480]]);
      expect(user.events[0]).toEqual({ at: 32_000, kind: 'timeout' });
    });
  });

  describe('Confirmed', () => {
    it('an ACK MUST stop Timer G; Timer I (T4) then terminates; ACK retransmissions are absorbed', () => {
      const { clock, transport, user, request, tx } = setup();
      tx.respond(responseTo(request, 486));
      clock.advance(1000);
      tx.receiveRequest(ack(request));
      expect(tx.state).toBe('Confirmed');
      clock.advance(1000);
      tx.receiveRequest(ack(request));
      tx.receiveRequest(request);
      clock.advance(3999);
      expect(tx.state).toBe('Confirmed');
      clock.advance(1);
      expect(tx.state).toBe('Terminated');
      expect(sent(transport)).toEqual([[0, 486], [500, 486]]);
      expect(user.events).toEqual([{ at: 6000, kind: 'terminated' }]);
    });

    it('Timer I is zero over TCP', () => {
      const { request, tx, clock } = setup(TCP_PEER);
      tx.respond(responseTo(request, 486));
      tx.receiveRequest(ack(request));
      expect(tx.state).toBe('Terminated');
      expect(clock.pending()).toEqual([]);
    });
  });

  describe('Accepted (RFC 6026)', () => {
    it('MUST NOT retransmit the 2xx itself, absorbs INVITE retransmissions, sends TU 2xx retransmissions, ends on Timer L', () => {
      const { clock, transport, user, request, tx } = setup();
      clock.advance(100);
      tx.respond(responseTo(request, 200));
      expect(tx.state).toBe('Accepted');
      clock.advance(400);
      tx.receiveRequest(request); // absorbed
      tx.respond(responseTo(request, 200)); // the TU's own retransmission (§13.3.1.4)
      tx.respond(responseTo(request, 500)); // not a 2xx: discarded
      clock.advance(31_599);
      expect(sent(transport)).toEqual([[100, 200], [500, 200]]);
      expect(tx.state).toBe('Accepted');
      clock.advance(1);
      expect(tx.state).toBe('Terminated');
      expect(user.events).toEqual([{ at: 32_100, kind: 'terminated' }]);
    });

    it('a transport error informs the TU and the transaction stays Accepted', async () => {
      const { transport, user, request, tx } = setup();
      transport.failSends(() => 'ENETUNREACH');
      tx.respond(responseTo(request, 200));
      await settle();
      expect(tx.state).toBe('Accepted');
      expect(user.events).toEqual([{ at: 0, kind: 'transport-error', reason: 'ENETUNREACH' }]);
    });
  });

  describe('transport errors (§17.2.4)', () => {
    it('in Completed: TU informed, Terminated', async () => {
      const { clock, transport, user, request, tx } = setup();
      tx.respond(responseTo(request, 486));
      transport.failSends(() => 'ENETUNREACH');
      clock.advance(500);
      await settle();
      expect(user.events).toEqual([
        { at: 500, kind: 'transport-error', reason: 'ENETUNREACH' },
        { at: 500, kind: 'terminated' },
      ]);
      expect(tx.state).toBe('Terminated');
    });

    it('over TCP a failed response is retried once at received address + sent-by port (§18.2.2)', async () => {
      const { transport, user, request, tx } = setup(TCP_PEER);
      transport.failSends((_m, dest) => (dest.connectionId === 'c-1' ? 'connection closed' : undefined));
      tx.respond(responseTo(request, 180));
      await settle();
      expect(transport.sent.map((s) => s.destination)).toEqual([
        TCP_PEER,
        { protocol: 'tcp', address: '192.0.2.10', port: 5060 },
      ]);
      expect(user.events).toEqual([]);
      expect(tx.endpoint.connectionId).toBe('loop-1');
    });

    it('when the fallback fails too, the TU is informed', async () => {
      const { transport, user, request, tx } = setup(TCP_PEER);
      transport.failSends(() => 'ECONNREFUSED');
      tx.respond(responseTo(request, 180));
      await settle();
      expect(transport.sent).toHaveLength(2);
      expect(user.events.map((e) => e.kind)).toEqual(['transport-error', 'terminated']);
    });
  });

  it('respond() with a status outside 100-699 is a programmer fault', () => {
    const { request, tx } = setup();
    expect(() => tx.respond(responseTo(request, 99))).toThrow(RangeError);
    expect(() => tx.respond(responseTo(request, 700))).toThrow(RangeError);
  });
});
