import { describe, expect, it } from 'vitest';
import { serializeMessage, SipRequest, type SipResponse } from '../../../../main/sip/message/index.ts';
import { newBranch as createBranch } from '../../../../main/sip/message/index.ts';
import type { ServerTransaction } from '../../../../main/sip/transaction/transaction-types.ts';
import { TransactionLayer } from '../../../../main/sip/transaction/transaction-layer.ts';
import type { TransactionLayerUser } from '../../../../main/sip/transaction/transaction-user.ts';
import type { Endpoint, InboundMessage } from '../../../../main/sip/transport/types.ts';
import { FakeClock } from '../../../support/fake-clock.ts';
import { LoopTransport } from '../../../support/loop-transport.ts';
import { makeRequest, RecordingClientUser, responseTo, settle, TCP_PEER, UDP_PEER } from './fixtures.ts';

class RecordingLayerUser implements TransactionLayerUser {
  readonly requests: Array<{ request: SipRequest; tx: ServerTransaction; inbound: InboundMessage }> = [];
  readonly acks: SipRequest[] = [];
  readonly strays: SipResponse[] = [];
  answer: ((request: SipRequest, tx: ServerTransaction) => void) | undefined;

  onRequest(request: SipRequest, tx: ServerTransaction, inbound: InboundMessage): void {
    this.requests.push({ request, tx, inbound });
    this.answer?.(request, tx);
  }

  onAck(ack: SipRequest): void {
    this.acks.push(ack);
  }

  onStrayResponse(response: SipResponse): void {
    this.strays.push(response);
  }
}

function setup() {
  const clock = new FakeClock();
  const transport = new LoopTransport({ clock });
  const user = new RecordingLayerUser();
  const layer = new TransactionLayer({ transport, clock, user });
  return { clock, transport, user, layer };
}

/** As it arrives from the network: serialized and parsed again. */
const wire = (m: SipRequest | SipResponse): string => serializeMessage(m).toString();
const statuses = (t: LoopTransport): Array<[number, number | string]> =>
  t.sent.map((s) => [s.at, s.message.kind === 'response' ? s.message.status : s.message.method]);

describe('TransactionLayer (RFC 3261 §17)', () => {
  describe('server side', () => {
    it('passes a new request to the TU once; retransmissions are absorbed and get the last response', () => {
      const { clock, transport, user } = setup();
      const message = makeRequest('MESSAGE');
      transport.inject(wire(message), UDP_PEER);
      transport.inject(wire(message), UDP_PEER);
      expect(user.requests).toHaveLength(1);
      const tx = user.requests[0]?.tx;
      expect(tx?.kind).toBe('non-invite-server');
      clock.advance(20);
      tx?.respond(responseTo(user.requests[0]!.request, 200));
      clock.advance(480);
      transport.inject(wire(message), UDP_PEER);
      expect(statuses(transport)).toEqual([[20, 200], [500, 200]]);
      expect(user.requests).toHaveLength(1);
    });

    it('INVITE: 100 Trying after 200 ms, non-2xx final, the ACK (same branch) matches the INVITE transaction', () => {
      const { clock, transport, user, layer } = setup();
      const invite = makeRequest('INVITE');
      transport.inject(wire(invite), UDP_PEER);
      clock.advance(200);
      const tx = user.requests[0]?.tx;
      expect(tx?.kind).toBe('invite-server');
      tx?.respond(responseTo(user.requests[0]!.request, 486, 'uas-tag'));
      transport.inject(wire(makeRequest('ACK', { toTag: 'uas-tag' })), UDP_PEER);
      expect(tx?.state).toBe('Confirmed');
      expect(user.acks).toEqual([]);
      clock.advance(10_000);
      expect(statuses(transport)).toEqual([[200, 100], [200, 486]]);
      expect(layer.serverTransactionCount).toBe(0);
    });

    it('an ACK for a 2xx (new branch) matches no transaction and goes to the TU (§17.2.3, §13.3.1.4)', () => {
      const { transport, user } = setup();
      user.answer = (req, tx) => tx.respond(responseTo(req, 200, 'uas'));
      transport.inject(wire(makeRequest('INVITE')), UDP_PEER);
      transport.inject(wire(makeRequest('ACK', { branch: 'z9hG4bK-ack-2xx', toTag: 'uas' })), UDP_PEER);
      expect(user.acks.map((a) => a.topVia?.branch)).toEqual(['z9hG4bK-ack-2xx']);
      expect(user.requests).toHaveLength(1);
    });

    it('an ACK reaching an INVITE transaction in Accepted is passed to the TU (RFC 6026 §8.7)', () => {
      const { transport, user } = setup();
      user.answer = (req, tx) => tx.respond(responseTo(req, 200, 'uas'));
      transport.inject(wire(makeRequest('INVITE')), UDP_PEER);
      transport.inject(wire(makeRequest('ACK', { toTag: 'uas' })), UDP_PEER);
      expect(user.acks).toHaveLength(1);
    });

    it('CANCEL (same branch) is its own transaction and finds the INVITE it cancels (§9.2)', () => {
      const { transport, user, layer } = setup();
      transport.inject(wire(makeRequest('INVITE')), UDP_PEER);
      transport.inject(wire(makeRequest('CANCEL')), UDP_PEER);
      expect(user.requests.map((r) => [r.request.method, r.tx.kind])).toEqual([
        ['INVITE', 'invite-server'],
        ['CANCEL', 'non-invite-server'],
      ]);
      const cancel = user.requests[1]!.request;
      expect(layer.findInviteServerTransaction(cancel)).toBe(user.requests[0]?.tx);
      expect(layer.findInviteServerTransaction(makeRequest('CANCEL', { branch: 'z9hG4bK-other' }))).toBeUndefined();
      // a retransmitted CANCEL matches the CANCEL transaction
      transport.inject(wire(makeRequest('CANCEL')), UDP_PEER);
      expect(user.requests).toHaveLength(2);
    });

    it('a different branch, method or sent-by is a different transaction (§17.2.3)', () => {
      const { transport, user } = setup();
      transport.inject(wire(makeRequest('OPTIONS')), UDP_PEER);
      transport.inject(wire(makeRequest('OPTIONS', { branch: 'z9hG4bK-test-2' })), UDP_PEER);
      transport.inject(wire(makeRequest('MESSAGE')), UDP_PEER);
      transport.inject(wire(makeRequest('OPTIONS', { sentBy: '192.0.2.99:5060' })), UDP_PEER);
      expect(user.requests).toHaveLength(4);
    });

    describe('RFC 2543 fallback (branch without z9hG4bK)', () => {
      it('matches INVITE retransmissions and the ACK carrying the To tag of our response', () => {
        const { transport, user, layer } = setup();
        const invite = makeRequest('INVITE', { branch: '' });
        user.answer = (req, tx) => tx.respond(responseTo(req, 404, 'uas-2543'));
        transport.inject(wire(invite), UDP_PEER);
        transport.inject(wire(invite), UDP_PEER);
        expect(user.requests).toHaveLength(1);
        expect(statuses(transport)).toEqual([[0, 404], [0, 404]]);
        // an ACK with another To tag is not for this transaction
        transport.inject(wire(makeRequest('ACK', { branch: '', toTag: 'someone-else' })), UDP_PEER);
        expect(user.acks).toHaveLength(1);
        transport.inject(wire(makeRequest('ACK', { branch: '', toTag: 'uas-2543' })), UDP_PEER);
        expect(user.requests[0]?.tx.state).toBe('Confirmed');
        expect(user.acks).toHaveLength(1);
        expect(layer.serverTransactionCount).toBe(1);
      });

      it('a different CSeq or Call-ID is a new transaction; CANCEL finds its INVITE', () => {
        const { transport, user, layer } = setup();
        transport.inject(wire(makeRequest('INVITE', { branch: '' })), UDP_PEER);
        transport.inject(wire(makeRequest('INVITE', { branch: '', cseq: 2 })), UDP_PEER);
        transport.inject(wire(makeRequest('INVITE', { branch: '', callId: 'other@x' })), UDP_PEER);
        expect(user.requests).toHaveLength(3);
        expect(layer.findInviteServerTransaction(makeRequest('CANCEL', { branch: '' }))).toBe(user.requests[0]?.tx);
      });
    });

    it('drops a request whose headers name no transaction, without throwing', () => {
      const { transport, user } = setup();
      const noVia = new SipRequest({
        method: 'OPTIONS',
        uri: 'sip:bob@example.com',
        headers: [['From', '<sip:a@x>;tag=1'], ['To', '<sip:b@x>'], ['Call-ID', 'c'], ['CSeq', '1 OPTIONS']],
      });
      const badCseq = new SipRequest({
        method: 'OPTIONS',
        uri: 'sip:bob@example.com',
        headers: [['Via', 'SIP/2.0/UDP h;branch=z9hG4bK1'], ['From', '<sip:a@x>;tag=1'], ['To', '<sip:b@x>'], ['Call-ID', 'c'], ['CSeq', 'x']],
      });
      expect(() => transport.inject(noVia, UDP_PEER)).not.toThrow();
      expect(() => transport.inject(badCseq, UDP_PEER)).not.toThrow();
      expect(user.requests).toHaveLength(0);
    });
  });

  describe('client side', () => {
    it('dispatches responses by branch + CSeq method (§17.1.3): INVITE and its CANCEL share a branch', () => {
      const { transport, layer } = setup();
      const invite = makeRequest('INVITE', { branch: createBranch() });
      const branch = invite.topVia?.branch ?? '';
      const inviteUser = new RecordingClientUser(new FakeClock());
      const cancelUser = new RecordingClientUser(new FakeClock());
      layer.sendRequest(invite, UDP_PEER, inviteUser);
      const cancel = makeRequest('CANCEL', { branch });
      layer.sendRequest(cancel, UDP_PEER, cancelUser);
      transport.inject(wire(responseTo(invite, 180)), UDP_PEER);
      transport.inject(wire(responseTo(cancel, 200)), UDP_PEER);
      transport.inject(wire(responseTo(invite, 487)), UDP_PEER);
      expect(inviteUser.responses.map((r) => r.status)).toEqual([180, 487]);
      expect(cancelUser.responses.map((r) => r.status)).toEqual([200]);
      // the ACK for the 487 left with the INVITE's branch
      const ack = transport.sent.find((s) => s.message.kind === 'request' && s.message.method === 'ACK');
      expect(ack?.message.topVia?.branch).toBe(branch);
    });

    it('a response matching no client transaction is a stray for the TU', () => {
      const { transport, user } = setup();
      transport.inject(wire(responseTo(makeRequest('INVITE', { branch: 'z9hG4bK-gone' }), 200)), UDP_PEER);
      expect(user.strays.map((r) => r.status)).toEqual([200]);
    });

    it('2xx retransmissions: to the TU while Accepted, stray after Timer M (RFC 6026 §8.4)', () => {
      const { clock, transport, user, layer } = setup();
      const tu = new RecordingClientUser(clock);
      const invite = makeRequest('INVITE', { branch: createBranch() });
      layer.sendInvite(invite, UDP_PEER, tu);
      transport.inject(wire(responseTo(invite, 200)), UDP_PEER);
      clock.advance(4000);
      transport.inject(wire(responseTo(invite, 200)), UDP_PEER);
      expect(tu.responses.map((r) => r.status)).toEqual([200, 200]);
      clock.advance(28_000);
      expect(layer.clientTransactionCount).toBe(0);
      transport.inject(wire(responseTo(invite, 200)), UDP_PEER);
      expect(user.strays).toHaveLength(1);
    });

    it('Timer F: the TU gets a 408 at 32 s and the transaction is removed', () => {
      const { clock, layer } = setup();
      const tu = new RecordingClientUser(clock);
      layer.sendRequest(makeRequest('REGISTER', { branch: createBranch() }), UDP_PEER, tu);
      expect(layer.clientTransactionCount).toBe(1);
      clock.advance(32_000);
      expect(tu.events.map((e) => [e.at, e.kind])).toEqual([[32_000, 'timeout'], [32_000, 'terminated']]);
      expect(layer.clientTransactionCount).toBe(0);
    });

    it('a broken connection reported by the transport reaches the transactions on it as 503 (§17.1.4)', async () => {
      const { clock, transport, layer } = setup();
      const onConn = new RecordingClientUser(clock);
      const elsewhere = new RecordingClientUser(clock);
      const tcp: Endpoint = { protocol: 'tcp', address: '192.0.2.10', port: 5060 };
      layer.sendRequest(makeRequest('MESSAGE', { branch: createBranch(), transport: 'TCP' }), tcp, onConn);
      layer.sendRequest(makeRequest('MESSAGE', { branch: createBranch() }), UDP_PEER, elsewhere);
      await settle(); // the transport reports the connection it used (loop-1)
      transport.emitError({ ...tcp, connectionId: 'loop-1' }, 'connection reset by peer');
      expect(onConn.events.map((e) => e.kind)).toEqual(['transport-error', 'terminated']);
      expect(onConn.responses[0]?.status).toBe(503);
      expect(elsewhere.events).toEqual([]);
      expect(layer.clientTransactionCount).toBe(1);
    });

    it('also tells server transactions on a broken connection (§17.2.4)', () => {
      const { transport, user } = setup();
      transport.inject(wire(makeRequest('MESSAGE', { transport: 'TCP' })), TCP_PEER);
      transport.emitError(TCP_PEER, 'closed');
      expect(user.requests[0]?.tx.state).toBe('Terminated');
    });

    it('refuses ACK as a client transaction and a duplicate branch + method (programmer faults)', () => {
      const { layer, clock } = setup();
      const tu = new RecordingClientUser(clock);
      expect(() => layer.sendRequest(makeRequest('ACK'), UDP_PEER, tu)).toThrow(/sendStateless/);
      layer.sendRequest(makeRequest('OPTIONS'), UDP_PEER, tu);
      expect(() => layer.sendRequest(makeRequest('OPTIONS'), UDP_PEER, tu)).toThrow(/already exists/);
    });

    it('sendStateless passes an ACK for a 2xx straight to the transport', async () => {
      const { transport, layer } = setup();
      const ack = makeRequest('ACK', { branch: createBranch(), toTag: 'x' });
      await expect(layer.sendStateless(ack, UDP_PEER)).resolves.toEqual(UDP_PEER);
      expect(transport.sent.map((s) => s.message)).toEqual([ack]);
    });
  });

  it('honours configured T1 and an immediate 100 Trying', () => {
    const clock = new FakeClock();
    const transport = new LoopTransport({ clock });
    const user = new RecordingLayerUser();
    const layer = new TransactionLayer({ transport, clock, user, timers: { t1: 100 }, inviteTryingDelay: 0 });
    expect(layer.timers).toEqual({ t1: 100, t2: 4000, t4: 5000 });
    transport.inject(wire(makeRequest('INVITE')), UDP_PEER);
    expect(statuses(transport)).toEqual([[0, 100]]);
    const tu = new RecordingClientUser(clock);
    layer.sendRequest(makeRequest('OPTIONS', { branch: createBranch() }), UDP_PEER, tu);
    clock.advance(6400);
    // E doubles from T1 = 100 ms (T2 stays 4 s): 0.1, 0.2, 0.4, 0.8, 1.6, 3.2 s; F = 64*T1 = 6.4 s
    expect(transport.sent.filter((s) => s.message.kind === 'request').map((s) => s.at)).toEqual([
      0, 100, 300, 700, 1500, 3100, 6300,
    ]);
    expect(tu.events[0]).toEqual({ at: 6400, kind: 'timeout', status: 408 });
  });

  it('dispose() unsubscribes from the transport and stops every timer', () => {
    const { clock, transport, user, layer } = setup();
    layer.sendRequest(makeRequest('OPTIONS', { branch: createBranch() }), UDP_PEER, new RecordingClientUser(clock));
    transport.inject(wire(makeRequest('INVITE')), UDP_PEER);
    layer.dispose();
    expect(clock.pending()).toEqual([]);
    transport.inject(wire(makeRequest('MESSAGE')), UDP_PEER);
    expect(user.requests).toHaveLength(1);
    expect(layer.clientTransactionCount + layer.serverTransactionCount).toBe(0);
  });
});
