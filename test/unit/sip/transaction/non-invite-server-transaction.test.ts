import { describe, expect, it } from 'vitest';
import { NonInviteServerTransaction } from '../../../../main/sip/transaction/non-invite-server-transaction.ts';
import type { Endpoint } from '../../../../main/sip/transport/types.ts';
import { FakeClock } from '../../../support/fake-clock.ts';
import { LoopTransport } from '../../../support/loop-transport.ts';
import { makeRequest, RecordingServerUser, responseTo, settle, TCP_PEER, UDP_PEER } from './fixtures.ts';

function setup(source: Endpoint = UDP_PEER, rport = false) {
  const clock = new FakeClock();
  const transport = new LoopTransport({ clock });
  const user = new RecordingServerUser(clock);
  const request = makeRequest('MESSAGE', { transport: source.protocol === 'udp' ? 'UDP' : 'TCP', rport });
  const tx = new NonInviteServerTransaction({ request, source, transport, clock, user });
  tx.start();
  return { clock, transport, user, request, tx };
}

const sent = (t: LoopTransport): Array<[number, number]> =>
  t.sent.map((s) => [s.at, s.message.kind === 'response' ? s.message.status : -1]);

describe('NonInviteServerTransaction (RFC 3261 §17.2.2)', () => {
  describe('Trying', () => {
    it('MUST discard request retransmissions while the TU has not answered (pjsip UAS test 4)', () => {
      const { transport, request, tx } = setup();
      tx.receiveRequest(request);
      tx.receiveRequest(request);
      expect(transport.sent).toHaveLength(0);
      expect(tx.state).toBe('Trying');
    });
  });

  describe('Proceeding', () => {
    it('a provisional from the TU MUST move to Proceeding; retransmissions resend the last provisional', () => {
      const { clock, transport, request, tx } = setup();
      tx.respond(responseTo(request, 100));
      expect(tx.state).toBe('Proceeding');
      tx.respond(responseTo(request, 182));
      clock.advance(500);
      tx.receiveRequest(request);
      expect(sent(transport)).toEqual([[0, 100], [0, 182], [500, 182]]);
    });
  });

  describe('Completed', () => {
    it('MUST resend the final response on every retransmission and end on Timer J = 64*T1 over UDP', () => {
      const { clock, transport, user, request, tx } = setup();
      clock.advance(10);
      tx.respond(responseTo(request, 200));
      expect(tx.state).toBe('Completed');
      clock.advance(1000);
      tx.receiveRequest(request);
      tx.receiveRequest(request);
      // "Any other final responses passed by the TU ... MUST be discarded while in the 'Completed' state."
      tx.respond(responseTo(request, 500));
      clock.advance(30_999);
      expect(tx.state).toBe('Completed');
      clock.advance(1);
      expect(tx.state).toBe('Terminated');
      expect(sent(transport)).toEqual([[10, 200], [1010, 200], [1010, 200]]);
      expect(user.events).toEqual([{ at: 32_010, kind: 'terminated' }]);
    });

    it('goes Proceeding → Completed with a final after a provisional (pjsip UAS test 6)', () => {
      const { request, tx } = setup();
      tx.respond(responseTo(request, 100));
      tx.respond(responseTo(request, 404));
      expect(tx.state).toBe('Completed');
      expect(tx.lastResponse?.status).toBe(404);
    });

    it('Timer J is zero over TCP: Terminated as soon as the final is sent (pjsip UAS test 1)', () => {
      const { clock, transport, user, request, tx } = setup(TCP_PEER);
      tx.respond(responseTo(request, 202));
      expect(tx.state).toBe('Terminated');
      expect(transport.sent[0]?.destination).toEqual(TCP_PEER);
      expect(user.events).toEqual([{ at: 0, kind: 'terminated' }]);
      expect(clock.pending()).toEqual([]);
    });
  });

  describe('response destination (§18.2.2, RFC 3581)', () => {
    it('UDP without rport: received address, sent-by port', () => {
      const { transport, request, tx } = setup({ protocol: 'udp', address: '198.51.100.7', port: 40000 });
      tx.respond(responseTo(request, 200));
      expect(transport.sent[0]?.destination).toEqual({ protocol: 'udp', address: '198.51.100.7', port: 5060 });
    });

    it('UDP with rport: the source address and port', () => {
      const source: Endpoint = { protocol: 'udp', address: '198.51.100.7', port: 40000 };
      const { transport, request, tx } = setup(source, true);
      tx.respond(responseTo(request, 200));
      expect(transport.sent[0]?.destination).toEqual(source);
    });
  });

  describe('transport errors (§17.2.2)', () => {
    it.each([
      ['Trying', 0],
      ['Proceeding', 1],
      ['Completed', 2],
    ] as const)('in %s: SHOULD inform the TU and MUST enter Terminated', (state, steps) => {
      const { user, request, tx } = setup();
      if (steps >= 1) tx.respond(responseTo(request, 100));
      if (steps >= 2) tx.respond(responseTo(request, 200));
      expect(tx.state).toBe(state);
      tx.transportError('connection reset');
      expect(tx.state).toBe('Terminated');
      expect(user.events).toEqual([
        { at: 0, kind: 'transport-error', reason: 'connection reset' },
        { at: 0, kind: 'terminated' },
      ]);
    });

    it('a failed send of the final response informs the TU', async () => {
      const { transport, user, request, tx } = setup();
      transport.failSends(() => 'EMSGSIZE');
      tx.respond(responseTo(request, 200));
      await settle();
      expect(user.events.map((e) => e.kind)).toEqual(['transport-error', 'terminated']);
      expect(tx.state).toBe('Terminated');
    });
  });

  it('refuses INVITE and ACK (programmer fault)', () => {
    const clock = new FakeClock();
    const transport = new LoopTransport({ clock });
    for (const method of ['INVITE', 'ACK']) {
      expect(() => new NonInviteServerTransaction({ request: makeRequest(method), source: UDP_PEER, transport, clock })).toThrow(
        /not a non-INVITE/,
      );
    }
  });
});
