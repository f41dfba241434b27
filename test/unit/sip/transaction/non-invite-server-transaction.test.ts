import { describe, expect, it } from 'vitest';
import { parseMessage, serializeMessage, type SipRequest } from '../../../../main/sip/message/index.ts';
import { stampReceivedVia } from '../../../../main/sip/transport/via-rewrite.ts';
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

  describe('Completed over UDP keeps bytes, not parsed messages (issue 18)', () => {
    /** a LoopTransport that also takes pre-serialized responses, recording their bytes */
    class BytesTransport extends LoopTransport {
      readonly bytes: Array<{ readonly at: number; readonly bytes: Buffer; readonly destination: Endpoint }> = [];
      readonly #clock: FakeClock;
      constructor(clock: FakeClock) {
        super({ clock });
        this.#clock = clock;
      }
      sendSerializedResponse(bytes: Buffer, destination: Endpoint): Promise<Endpoint> {
        this.bytes.push({ at: this.#clock.now(), bytes, destination });
        return Promise.resolve(destination);
      }
    }

    function bytesSetup(branch?: string) {
      const clock = new FakeClock();
      const transport = new BytesTransport(clock);
      const user = new RecordingServerUser(clock);
      const request = makeRequest('MESSAGE', branch === undefined ? {} : { branch });
      const tx = new NonInviteServerTransaction({ request, source: UDP_PEER, transport, clock, user });
      tx.start();
      return { clock, transport, user, request, tx };
    }

    it('sends the final once serialized and the same octets on every retransmission, to the same place', () => {
      const { clock, transport, request, tx } = bytesSetup();
      const response = responseTo(request, 200);
      const expected = serializeMessage(response);
      tx.respond(response);
      clock.advance(500);
      tx.receiveRequest(request);
      tx.receiveRequest(request);
      expect(transport.sent).toHaveLength(0);
      expect(transport.bytes.map((b) => [b.at, b.bytes.equals(expected), b.destination])).toEqual([
        [0, true, UDP_PEER],
        [500, true, UDP_PEER],
        [500, true, UDP_PEER],
      ]);
    });

    it('no longer holds the parsed request and response; both read back equal from the kept bytes', () => {
      const { request, tx } = bytesSetup();
      const response = responseTo(request, 200);
      tx.respond(response);
      expect(tx.request).not.toBe(request);
      expect(serializeMessage(tx.request).equals(serializeMessage(request))).toBe(true);
      expect(tx.lastResponse).not.toBe(response);
      expect(tx.lastResponse?.status).toBe(200);
      expect(tx.lastResponse?.toTag).toBe('to-1');
      expect(serializeMessage(tx.lastResponse!).equals(serializeMessage(response))).toBe(true);
    });

    it('keeps the octets the request arrived in when it has them; read back, its Via is stamped again (§18.2.1)', () => {
      const clock = new FakeClock();
      const transport = new BytesTransport(clock);
      const arrived = makeRequest('MESSAGE', { sentBy: 'client.example.com:5060' });
      const raw = serializeMessage(arrived);
      const source: Endpoint = { protocol: 'udp', address: '198.51.100.7', port: 5060 };
      // what the transport delivers: the parsed request with received= added (RFC 3261 §18.2.1)
      const request = parseMessage(raw, { datagram: true }) as SipRequest;
      stampReceivedVia(request, source);
      const tx = new NonInviteServerTransaction({ request, source, raw, transport, clock });
      tx.respond(responseTo(request, 200));
      expect(tx.request).not.toBe(request);
      expect(tx.request.topVia?.received).toBe('198.51.100.7');
      expect(serializeMessage(tx.request).equals(serializeMessage(request))).toBe(true);
    });

    it('an RFC 2543 transaction (no z9hG4bK branch) keeps its request parsed for §17.2.3 matching', () => {
      const { transport, request, tx } = bytesSetup('legacy-1');
      const response = responseTo(request, 200);
      tx.respond(response);
      tx.receiveRequest(request);
      expect(tx.request).toBe(request);
      expect(tx.lastResponse).toBe(response);
      expect(transport.sent.map((s) => s.message)).toEqual([response, response]);
      expect(transport.bytes).toHaveLength(0);
    });

    it('a failed send of the kept bytes still informs the TU and ends the transaction', async () => {
      const { clock, user, request } = bytesSetup();
      // a transport without sendSerializedResponse: the kept bytes are parsed back and go through send()
      const transport = new LoopTransport({ clock });
      transport.failSends(() => 'EHOSTUNREACH');
      const failing = new NonInviteServerTransaction({ request, source: UDP_PEER, transport, clock, user });
      failing.respond(responseTo(request, 200));
      await settle();
      expect(failing.state).toBe('Terminated');
      expect(user.events.map((e) => e.kind)).toEqual(['transport-error', 'terminated']);
      expect(transport.sent.map((s) => s.message.kind === 'response' && s.message.status)).toEqual([200]);
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
