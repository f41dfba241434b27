import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { CallDto } from '#shared/domain/call.ts';
import type { MessageDto } from '#shared/domain/chat.ts';
import type { AccountId, CallId } from '#shared/domain/ids.ts';
import { EventBus } from '../../../../main/ipc/event-bus.ts';
import { ServiceError } from '../../../../main/ipc/service-error.ts';
import type { NegotiationResult, SessionDescription } from '../../../../main/media/index.ts';
import { CallsService, createCallHandlers, endReasonOf } from '../../../../main/services/calls/index.ts';
import type { CallAccount, CallMedia } from '../../../../main/services/calls/index.ts';
import type { PagerRequest } from '../../../../main/services/chats/pager.ts';
import { DialogLayer } from '../../../../main/sip/dialog/index.ts';
import { createResponse } from '../../../../main/sip/message/index.ts';
import { openStorage, type Storage } from '../../../../main/storage/storage.ts';
import { FakeClock } from '../../../support/fake-clock.ts';
import { answer, Channel, FakeUa, incomingInvite, REMOTE_SDP, sdpWith } from '../../sip/dialog/fake-ua.ts';

class FakeMedia implements CallMedia {
  readonly localPort = 30000;
  readonly started: { local: SessionDescription; remote: SessionDescription }[] = [];
  muted = false;
  held = false;
  onInactive: () => void = () => {};
  readonly heldLog: boolean[] = [];
  digits = '';
  closed = false;
  start(local: SessionDescription, remote: SessionDescription): NegotiationResult {
    this.started.push({ local, remote });
    return { ok: false, status: 488, reason: 'not used' };
  }
  pushFrame(): void {}
  setMuted(m: boolean): void {
    this.muted = m;
  }
  setHeld(h: boolean): void {
    this.held = h;
    this.heldLog.push(h);
  }
  sendDtmf(d: string): boolean {
    this.digits += d;
    return true;
  }
  stats() {
    return { packetsSent: 0, bytesSent: 0, packetsReceived: 0, bytesReceived: 0, packetsLost: 0, jitter: 0, jitterMs: 0, packetsDiscarded: 0, framesPlayed: 0, framesConcealed: 0, lateDropped: 0, duplicatesDropped: 0, framesDroppedFromQueue: 0 };
  }
  async close(): Promise<void> {
    this.closed = true;
  }
}

const ACCOUNT = 'acc-alice' as AccountId;
let storage: Storage;
let ua: FakeUa;
let layer: DialogLayer;
let calls: CallsService;
let changes: CallDto[];
let messages: MessageDto[];
let medias: FakeMedia[];
let pagerSent: PagerRequest[];
let errors: string[];
let account: CallAccount;
const blocked = new Set<string>();

beforeEach(async () => {
  blocked.clear();
  storage = await openStorage(':memory:');
  await storage.saveAccount({
    id: ACCOUNT, aor: 'sip:alice@example.test', displayName: 'Alice', authUser: 'alice', passwordSecret: null, registrar: 'example.test',
    outboundProxy: null, transport: 'udp', port: null, cpim: false, pinnedCertificate: null, enabled: true, createdAt: 1_000,
  });
  ua = new FakeUa();
  layer = new DialogLayer({ onIncomingInvite: (r, ch) => void calls.incoming(account, r, ch) });
  account = { id: ACCOUNT, aor: 'sip:alice@example.test', displayName: 'Alice', ua, layer, contact: () => '<sip:alice@127.0.0.1:5060>', mediaAddress: '127.0.0.1' };
  const bus = new EventBus();
  changes = [];
  messages = [];
  medias = [];
  pagerSent = [];
  errors = [];
  bus.on('calls:call-changed', (c) => changes.push(c));
  bus.on('chats:message-changed', (m) => messages.push(m));
  bus.on('chats:message-received', (m) => messages.push(m));
  let n = 0;
  calls = new CallsService({
    clock: new FakeClock(),
    emit: bus.emit,
    accounts: { resolve: () => account },
    openMedia: async (o) => {
      const m = new FakeMedia();
      m.onInactive = o.onInactive;
      medias.push(m);
      return m;
    },
    audio: { open: () => ({ play: () => {}, close: () => {} }) },
    messages: storage,
    pager: {
      send: async (r) => {
        pagerSent.push(r);
        return { kind: 'response', status: 200, reason: 'OK', accept: null };
      },
      isCongestionControlled: () => false,
    },
    now: () => 5_000 + n,
    onError: (m) => errors.push(m),
    newId: () => `call-${++n}`,
    isBlocked: (peer) => blocked.has(peer),
  });
});

afterEach(async () => {
  await storage.close();
});

/** generous: a busy 2-core machine; each wait ends on the event it names */
const WAIT = { timeout: 10_000 };

async function connectedCall(): Promise<CallId> {
  const call = await calls.place(null, 'bob@example.test');
  const inv = ua.invites[0];
  if (inv === undefined) throw new Error('no INVITE');
  inv.handlers.onProvisional(answer(inv.request, 180));
  inv.handlers.onFinal(answer(inv.request, 200, { body: REMOTE_SDP, recordRoute: ['<sip:10.0.0.1;lr>'] }));
  return call.id;
}

describe('CallsService: call states as CallDto (calls:call-changed)', () => {
  it('outgoing: dialing → ringing → connected → held → connected → ended "hung up"; media started and closed', async () => {
    const id = await connectedCall();
    expect(ua.invites[0]?.request.uriText).toBe('sip:bob@example.test');
    expect(changes.map((c) => c.state)).toEqual(['dialing', 'ringing', 'connected']);
    expect(calls.get(id).connectedAt).not.toBeNull();
    expect(medias[0]?.started).toHaveLength(1);
    // FakeMedia refuses the pair: the service reports it instead of throwing
    expect(errors[0]).toMatch(/media for call call-1: not used/);
    const held = calls.setHeld(id, true);
    const re = ua.invites[1];
    re?.handlers.onFinal(answer(re.request, 200, { body: REMOTE_SDP.replace('a=sendrecv', 'a=recvonly') }));
    expect(await held).toMatchObject({ state: 'held', onHold: true });
    calls.hangUp(id);
    expect(calls.get(id)).toMatchObject({ state: 'ended', endReason: 'hung up' });
    await vi.waitFor(() => expect(medias[0]?.closed).toBe(true), WAIT);
  });

  it('a call ends with exactly one `ended` event, carrying its reason', async () => {
    const id = await connectedCall();
    changes.length = 0;
    calls.hangUp(id);
    expect(changes.map((c) => [c.state, c.endReason])).toEqual([['ended', 'hung up']]);
    const other = await calls.place(null, 'carol@example.test');
    changes.length = 0;
    const inv = ua.invites[1];
    inv?.handlers.onFinal(answer(inv.request, 486));
    expect(changes.filter((c) => c.id === other.id).map((c) => [c.state, c.endReason])).toEqual([['ended', 'busy (486)']]);
  });

  it('hold silences the microphone before the re-INVITE goes out; resume restores it after the 200', async () => {
    const id = await connectedCall();
    const media = medias[0];
    const held = calls.setHeld(id, true);
    // RFC 3264 §8.4: already silent while the re-INVITE is pending
    expect(media?.held).toBe(true);
    expect(ua.invites[1]?.request.body.toString()).toContain('a=sendonly');
    const re = ua.invites[1];
    re?.handlers.onFinal(answer(re.request, 200, { body: REMOTE_SDP.replace('a=sendrecv', 'a=recvonly') }));
    await held;
    expect(media?.held).toBe(true);
    const resumed = calls.setHeld(id, false);
    // the microphone stays off until the other side accepts the resume
    expect(media?.held).toBe(true);
    const back = ua.invites[2];
    back?.handlers.onFinal(answer(back.request, 200, { body: REMOTE_SDP }));
    expect(await resumed).toMatchObject({ state: 'connected', onHold: false });
    expect(media?.held).toBe(false);
  });

  it('no RTP/RTCP for the inactivity timeout: BYE and one `ended` event reading "connection lost"', async () => {
    const id = await connectedCall();
    changes.length = 0;
    medias[0]?.onInactive();
    expect(ua.methods()).toContain('BYE');
    expect(calls.get(id)).toMatchObject({ state: 'ended', endReason: 'connection lost' });
    expect(changes.map((c) => [c.state, c.endReason])).toEqual([['ended', 'connection lost']]);
  });

  it('a refused hold (488) gives the microphone back', async () => {
    const id = await connectedCall();
    const held = calls.setHeld(id, true);
    const re = ua.invites[1];
    re?.handlers.onFinal(answer(re.request, 488));
    await expect(held).rejects.toThrow(/did not accept the hold/);
    expect(medias[0]?.heldLog).toEqual([true, false]);
    expect(calls.get(id)).toMatchObject({ state: 'connected', onHold: false });
  });

  it('incoming from a blocked address: 403 at once; nothing rings, no media, no call recorded (issue 10)', async () => {
    blocked.add('sip:bob@example.test');
    const ch = new Channel();
    layer.receiveRequest(incomingInvite(), ch);
    await vi.waitFor(() => expect(ch.statuses).toEqual([403]), WAIT);
    expect(calls.list()).toEqual([]);
    expect(changes).toEqual([]);
    expect(medias).toEqual([]);
    // unblocked, the same caller rings again
    blocked.clear();
    const ch2 = new Channel();
    layer.receiveRequest(incomingInvite({ callId: 'again' }), ch2);
    await vi.waitFor(() => expect(ch2.statuses).toEqual([180]), WAIT);
  });

  it('incoming: rings with 180, answer sends 200, decline sends 603 and reads "declined (603)"', async () => {
    const ch = new Channel();
    layer.receiveRequest(incomingInvite(), ch);
    await vi.waitFor(() => expect(ch.statuses).toEqual([180]), WAIT);
    const incoming = calls.list()[0];
    expect(incoming).toMatchObject({ direction: 'in', state: 'incoming', peer: 'sip:bob@example.test', peerName: 'Bob' });
    expect(ch.statuses).toEqual([180]);
    calls.answer(incoming?.id as CallId);
    expect(ch.statuses).toEqual([180, 200]);
    expect(calls.get(incoming?.id as CallId).state).toBe('connected');

    const ch2 = new Channel();
    layer.receiveRequest(incomingInvite({ callId: 'second' }), ch2);
    await vi.waitFor(() => expect(ch2.statuses).toEqual([180]), WAIT);
    const second = calls.list()[1];
    calls.decline(second?.id as CallId);
    expect(ch2.statuses).toEqual([180, 603]);
    expect(calls.get(second?.id as CallId).endReason).toBe('declined (603)');
  });

  it('an incoming offer we cannot take is answered 488 and listed as ended with the reason', async () => {
    const ch = new Channel();
    const body = REMOTE_SDP.replace('RTP/AVP 8 0 101', 'RTP/AVP 18').replace(/a=rtpmap:[08] .*\r\n/g, '');
    layer.receiveRequest(incomingInvite({ body }), ch);
    await vi.waitFor(() => expect(ch.statuses).toEqual([488]), WAIT);
    expect(calls.list()[0]).toMatchObject({ state: 'ended', endReason: 'no common audio format (488)' });
  });

  it('mute, DTMF and errors for unknown calls or wrong states go through ServiceError', async () => {
    const id = await connectedCall();
    expect(calls.setMuted(id, true).muted).toBe(true);
    expect(medias[0]?.muted).toBe(true);
    calls.sendDtmf(id, '12#');
    expect(medias[0]?.digits).toBe('12#');
    expect(() => calls.sendDtmf(id, 'x')).toThrow(ServiceError);
    expect(() => calls.get('nope' as CallId)).toThrow(ServiceError);
    expect(() => calls.answer(id)).toThrow(/can no longer be answered/);
  });

  it('end reasons are plain words with the status', () => {
    expect(endReasonOf({ by: 'remote', status: 486, reason: 'Busy Here' })).toBe('busy (486)');
    expect(endReasonOf({ by: 'local', status: 487, reason: 'cancelled' })).toBe('cancelled');
    expect(endReasonOf({ by: 'remote', status: 404, reason: 'Not Found' })).toBe('not found (404)');
    expect(endReasonOf({ by: 'remote', status: null, reason: 'the other side hung up' })).toBe('the other side hung up');
  });

  it('every calls:* channel has a handler', () => {
    expect(Object.keys(createCallHandlers(calls)).sort()).toEqual([
      'calls:answer', 'calls:decline', 'calls:hang-up', 'calls:list', 'calls:place', 'calls:send-dtmf', 'calls:send-message', 'calls:set-held', 'calls:set-muted',
    ]);
  });
});

describe('CallsService: in-call messages (RFC 3428 §4)', () => {
  it('a message goes as MESSAGE in the dialog, stored with the call and dialog ids, delivered on 200', async () => {
    const id = await connectedCall();
    const msg = await calls.sendMessage(id, 'hello in call');
    expect(msg).toMatchObject({ state: 'sending', callId: id, direction: 'out' });
    const sent = ua.requests[0];
    expect(sent?.request.method).toBe('MESSAGE');
    expect(sent?.request.toTag).toBe('bobtag');
    sent?.resolve(createResponse(sent.request, 200));
    await vi.waitFor(() => expect(messages.at(-1)).toMatchObject({ id: msg.id, state: 'delivered', sentOutOfDialog: false, callId: id }), WAIT);
    // the same conversation as the contact's pager messages
    const conv = await storage.getConversation(msg.conversationId);
    expect(conv?.peer).toBe('sip:bob@example.test');
  });

  it('405 MUST re-send out of dialog (pager mode) and mark it sentOutOfDialog', async () => {
    const id = await connectedCall();
    const msg = await calls.sendMessage(id, 'fallback please');
    const sent = ua.requests[0];
    sent?.resolve(createResponse(sent.request, 405));
    await vi.waitFor(() => expect(messages.at(-1)).toMatchObject({ id: msg.id, state: 'delivered', sentOutOfDialog: true }), WAIT);
    expect(pagerSent).toHaveLength(1);
    expect(pagerSent[0]).toMatchObject({ target: 'sip:bob@example.test', dialog: null });
    expect(pagerSent[0]?.body.toString()).toBe('fallback please');
    expect(messages.at(-1)).toMatchObject({ id: msg.id, state: 'delivered', sentOutOfDialog: true });
  });

  it('a message waiting when the call ends MUST be marked failed saying it was never sent', async () => {
    const id = await connectedCall();
    await calls.sendMessage(id, 'first');
    const second = await calls.sendMessage(id, 'second');
    calls.hangUp(id);
    await vi.waitFor(
      () => expect(messages.filter((m) => m.id === second.id).at(-1)).toMatchObject({ state: 'failed', reason: 'not sent: the call ended (hung up)' }),
      WAIT,
    );
    await expect(calls.sendMessage(id, 'late')).rejects.toThrow(ServiceError);
  });

  it('remote hold (their re-INVITE says sendonly) is shown as remoteHold on the CallDto; their resume clears it', async () => {
    const ch = new Channel();
    layer.receiveRequest(incomingInvite(), ch);
    await vi.waitFor(() => expect(ch.statuses).toEqual([180]), WAIT);
    const id = calls.list()[0]?.id as CallId;
    calls.answer(id);
    const toTag = calls.session(id)?.dialog?.id.localTag ?? '';
    layer.receiveAck(incomingInvite({ method: 'ACK', body: '', toTag }));
    expect(calls.get(id)).toMatchObject({ state: 'connected', remoteHold: false });
    const hold = new Channel();
    // each new offer carries the next o= version (RFC 3264 §8)
    layer.receiveRequest(incomingInvite({ cseq: 2, toTag, body: sdpWith({ direction: 'sendonly' }).replace('o=bob 1 1', 'o=bob 1 2') }), hold);
    expect(hold.statuses).toEqual([200]);
    expect(calls.get(id)).toMatchObject({ state: 'connected', onHold: false, remoteHold: true });
    expect(changes.at(-1)?.remoteHold).toBe(true);
    layer.receiveAck(incomingInvite({ method: 'ACK', cseq: 2, body: '', toTag }));
    const resume = new Channel();
    layer.receiveRequest(incomingInvite({ cseq: 3, toTag, body: sdpWith({ direction: 'sendrecv' }).replace('o=bob 1 1', 'o=bob 1 3') }), resume);
    expect(resume.statuses).toEqual([200]);
    expect(calls.get(id).remoteHold).toBe(false);
  });

  it('an incoming in-dialog MESSAGE is stored with the call id and answered 200', async () => {
    const ch = new Channel();
    layer.receiveRequest(incomingInvite(), ch);
    await vi.waitFor(() => expect(ch.statuses).toEqual([180]), WAIT);
    const call = calls.list()[0];
    calls.answer(call?.id as CallId);
    const msg = incomingInvite({ method: 'MESSAGE', cseq: 2, toTag: calls.session(call?.id as CallId)?.dialog?.id.localTag ?? '', body: '' });
    msg.headers.set('Content-Type', 'text/plain;charset=UTF-8');
    msg.body = Buffer.from('hi from bob');
    const mch = new Channel();
    layer.receiveRequest(msg, mch);
    // the answer waits for the storage worker to keep the message ("answered 200" implies "stored")
    await vi.waitFor(() => expect(mch.statuses).toEqual([200]), { timeout: 5_000 });
    expect(messages.at(-1)).toMatchObject({ direction: 'in', body: 'hi from bob', callId: call?.id, state: 'received' });
  });

  it('the same in-dialog MESSAGE twice (a retransmission, RFC 3261 §17.2.3) is answered 200 both times and stored once', async () => {
    const ch = new Channel();
    layer.receiveRequest(incomingInvite(), ch);
    await vi.waitFor(() => expect(ch.statuses).toEqual([180]), WAIT);
    const call = calls.list()[0];
    calls.answer(call?.id as CallId);
    const localTag = calls.session(call?.id as CallId)?.dialog?.id.localTag ?? '';
    const inDialog = (cseq: number, text: string) => {
      const msg = incomingInvite({ method: 'MESSAGE', cseq, toTag: localTag, body: '' });
      msg.headers.set('Content-Type', 'text/plain;charset=UTF-8');
      msg.body = Buffer.from(text);
      return msg;
    };
    const first = new Channel();
    layer.receiveRequest(inDialog(2, 'once only'), first);
    await vi.waitFor(() => expect(first.statuses).toEqual([200]), WAIT);
    const again = new Channel();
    layer.receiveRequest(inDialog(2, 'once only'), again);
    await vi.waitFor(() => expect(again.statuses).toEqual([200]), WAIT);
    // proof the service is alive and did not just drop the copy: the next CSeq is stored after it
    const next = new Channel();
    layer.receiveRequest(inDialog(3, 'the next one'), next);
    await vi.waitFor(() => expect(next.statuses).toEqual([200]), WAIT);
    const received = messages.filter((m) => m.direction === 'in');
    expect(received.map((m) => m.body)).toEqual(['once only', 'the next one']);
    const page = await storage.pageMessages(received[0]?.conversationId as never, null, 10);
    expect(page.messages.filter((m) => m.body === 'once only')).toHaveLength(1);
  });
});
