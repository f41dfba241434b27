/**
 * RFC 4028 session timers and RFC 3311 UPDATE on the fake clock: negotiation (§7, §9), 422 and the
 * Min-SE retry (§7.3), refresh by UPDATE or re-INVITE at half the interval and BYE on expiry (§10).
 */
import { describe, expect, it } from 'vitest';
import { InviteSession, refreshSchedule, uasDecide, parseSessionExpires } from '../../../../main/sip/dialog/index.ts';
import type { SipRequest } from '../../../../main/sip/message/index.ts';
import { answer, Channel, incomingInvite, REMOTE_SDP, sdpWith } from './fake-ua.ts';
import { call, options, rig, type Rig } from './session-rig.ts';

const SEC = 1000;
/** lets the promise chain of a resolved response run */
const flush = () => new Promise<void>((resolve) => setImmediate(resolve));

/** bob's in-dialog request to us (UPDATE, re-INVITE, BYE) on the session's dialog */
function fromBob<M>(s: InviteSession<M>, method: string, cseq: number, opts: { body?: string; headers?: string[] } = {}): SipRequest {
  const dialog = s.dialog;
  if (dialog === null) throw new Error('no dialog');
  const req = incomingInvite({ method, body: opts.body ?? '', callId: dialog.id.callId, cseq, toTag: dialog.id.localTag, headers: opts.headers ?? [] });
  req.headers.set('From', `<sip:bob@example.test>;tag=${dialog.id.remoteTag}`);
  return req;
}

/** UAC: INVITE answered 200 with the given extra headers */
function connected(r: Rig, headers: [string, string][]) {
  const s = call(r);
  const inv = r.ua.invites.at(-1);
  if (inv === undefined) throw new Error('no INVITE');
  inv.handlers.onFinal(answer(inv.request, 200, { body: REMOTE_SDP, headers }));
  expect(s.state).toBe('confirmed');
  return s;
}

describe('RFC 4028 negotiation (pure)', () => {
  it('Session-Expires parses the interval and refresher, compact form x included', () => {
    const req = incomingInvite({ headers: ['x: 600;refresher=UAS;foo=1'] });
    expect(parseSessionExpires(req)).toEqual({ interval: 600, refresher: 'uas' });
    expect(parseSessionExpires(incomingInvite())).toBeNull();
  });

  it('§9: a UAS MUST answer 422 with its Min-SE when a timer-capable UAC asks for less than the minimum', () => {
    expect(uasDecide(incomingInvite({ headers: ['Supported: timer', 'Session-Expires: 60'] }))).toEqual({ kind: 'too-small', minSe: 90 });
  });

  it('§9: refresher from the request; elected uac when absent; uas when the UAC does not support timers (no Require)', () => {
    expect(uasDecide(incomingInvite({ headers: ['Supported: timer', 'Session-Expires: 300;refresher=uas'] }))).toEqual({
      kind: 'timer', interval: 300, weRefresh: true, headers: [['Session-Expires', '300;refresher=uas'], ['Require', 'timer']],
    });
    expect(uasDecide(incomingInvite({ headers: ['Supported: timer', 'Session-Expires: 300'] }))).toMatchObject({ weRefresh: false, headers: [['Session-Expires', '300;refresher=uac'], ['Require', 'timer']] });
    // a proxy inserted Session-Expires for a UAC that cannot refresh; too small is raised, never refused
    expect(uasDecide(incomingInvite({ headers: ['Session-Expires: 30', 'Min-SE: 30'] }))).toEqual({
      kind: 'timer', interval: 90, weRefresh: true, headers: [['Session-Expires', '90;refresher=uas']],
    });
  });

  it('§10: the refresher refreshes at half the interval; the other side sends BYE at interval − min(32 s, interval/3)', () => {
    expect(refreshSchedule(1800, true)).toEqual({ refreshAt: 900 * SEC, expireAt: 1800 * SEC });
    expect(refreshSchedule(1800, false)).toEqual({ refreshAt: null, expireAt: 1768 * SEC });
    expect(refreshSchedule(90, false)).toEqual({ refreshAt: null, expireAt: 60 * SEC });
  });
});

describe('InviteSession with session timers as UAC (RFC 4028 §7)', () => {
  it('the INVITE MUST carry Supported: timer, Session-Expires and Min-SE (no refresher: the UAS elects)', () => {
    const r = rig();
    call(r);
    const inv = r.ua.invites[0]?.request;
    expect(inv?.supported).toContain('timer');
    expect(inv?.headers.get('Session-Expires')).toBe('1800');
    expect(inv?.headers.get('Min-SE')).toBe('90');
    expect(inv?.allow).toContain('UPDATE');
  });

  it('§7.3: a 422 MUST be retried with its Min-SE: same Call-ID and From tag, next CSeq, same offer; then the call connects', () => {
    const r = rig();
    const s = call(r);
    const first = r.ua.invites[0];
    if (first === undefined) throw new Error('no INVITE');
    first.handlers.onFinal(answer(first.request, 422, { headers: [['Min-SE', '3600']] }));
    expect(r.ends).toEqual([]);
    expect(s.state).toBe('calling');
    const second = r.ua.invites[1]?.request;
    expect(second?.callId).toBe(first.request.callId);
    expect(second?.fromTag).toBe(first.request.fromTag);
    expect(second?.cseq).toEqual({ seq: 2, method: 'INVITE' });
    expect(second?.headers.get('Session-Expires')).toBe('3600');
    expect(second?.headers.get('Min-SE')).toBe('3600');
    expect(second?.body.toString()).toBe(first.request.body.toString());
    // a late response to the first INVITE changes nothing
    first.handlers.onFinal(answer(first.request, 500));
    expect(r.ends).toEqual([]);
    const inv = r.ua.invites[1];
    if (inv === undefined) throw new Error('no retry');
    inv.handlers.onFinal(answer(inv.request, 200, { body: REMOTE_SDP, headers: [['Session-Expires', '3600;refresher=uac'], ['Require', 'timer']] }));
    expect(s.state).toBe('confirmed');
    expect(s.timers.interval).toBe(3600);
    expect(s.timers.weRefresh).toBe(true);
  });

  it('§7.3: a fourth 422 in a row ends the call with 422 (a broken peer cannot loop us)', () => {
    const r = rig();
    call(r);
    for (let i = 0; i < 4; i++) {
      const inv = r.ua.invites.at(-1);
      if (inv === undefined) throw new Error('no INVITE');
      inv.handlers.onFinal(answer(inv.request, 422, { headers: [['Min-SE', String(2000 + 100 * i)]] }));
    }
    expect(r.ua.invites).toHaveLength(4);
    expect(r.ends).toMatchObject([{ status: 422 }]);
  });

  it('§7.3: a 422 whose Min-SE is not above what we asked for ends the call with 422', () => {
    const r = rig();
    call(r);
    const inv = r.ua.invites[0];
    inv?.handlers.onFinal(answer(inv.request, 422, { headers: [['Min-SE', '300']] }));
    expect(r.ua.invites).toHaveLength(1);
    expect(r.ends).toMatchObject([{ by: 'remote', status: 422 }]);
  });

  it('§10: refresher=uac and UPDATE in their Allow: UPDATE at exactly half the interval, no body, refresher=uac; its 2xx restarts the timer', async () => {
    const r = rig();
    const s = connected(r, [['Session-Expires', '300;refresher=uac'], ['Require', 'timer'], ['Allow', 'INVITE, ACK, BYE, CANCEL, UPDATE']]);
    r.clock.advance(150 * SEC - 1);
    expect(r.ua.methods()).toEqual([]);
    r.clock.advance(1);
    expect(r.ua.methods()).toEqual(['UPDATE']);
    const update = r.ua.requests[0];
    expect(update?.request.body.length).toBe(0);
    expect(update?.request.headers.get('Session-Expires')).toBe('300;refresher=uac');
    expect(update?.request.supported).toContain('timer');
    expect(update?.request.cseq).toEqual({ seq: 2, method: 'UPDATE' });
    expect(update?.request.headers.get('Contact')).toBe('<sip:alice@127.0.0.1:5060>');
    update?.resolve(answer(update.request, 200, { headers: [['Session-Expires', '300;refresher=uac']] }));
    await flush();
    // the next refresh 150 s after this 2xx; nothing expires at the old instant
    r.clock.advance(150 * SEC);
    expect(r.ua.methods()).toEqual(['UPDATE', 'UPDATE']);
    expect(s.state).toBe('confirmed');
  });

  it('§10: a refresher whose refresh gets no 2xx MUST send BYE when the session expires ("connection lost")', async () => {
    const r = rig();
    const s = connected(r, [['Session-Expires', '300;refresher=uac'], ['Allow', 'INVITE, UPDATE, BYE']]);
    r.clock.advance(150 * SEC);
    const update = r.ua.requests[0];
    update?.resolve(answer(update.request, 500));
    await flush();
    r.clock.advance(150 * SEC - 1);
    expect(s.state).toBe('confirmed');
    r.clock.advance(1);
    expect(r.ua.methods()).toEqual(['UPDATE', 'BYE']);
    expect(r.ends).toEqual([{ by: 'network', status: null, reason: 'connection lost (the session was not refreshed)' }]);
  });

  it('§10: a 481 to our refresh ends the dialog at once', async () => {
    const r = rig();
    connected(r, [['Session-Expires', '300'], ['Allow', 'INVITE, UPDATE, BYE']]);
    r.clock.advance(150 * SEC);
    const update = r.ua.requests[0];
    update?.resolve(answer(update.request, 481));
    await flush();
    expect(r.ends).toMatchObject([{ by: 'network', status: 481 }]);
  });

  it('§10: without UPDATE in their Allow the refresh is a re-INVITE with the current SDP and the timer headers', () => {
    const r = rig();
    const s = connected(r, [['Session-Expires', '120;refresher=uac'], ['Allow', 'INVITE, ACK, BYE, CANCEL']]);
    r.clock.advance(60 * SEC);
    const reinvite = r.ua.invites[1];
    expect(reinvite?.request.method).toBe('INVITE');
    expect(reinvite?.request.headers.get('Session-Expires')).toBe('120;refresher=uac');
    expect(reinvite?.request.body.toString()).toContain('a=sendrecv');
    if (reinvite === undefined) throw new Error('no re-INVITE');
    reinvite.handlers.onFinal(answer(reinvite.request, 200, { body: REMOTE_SDP, headers: [['Session-Expires', '120;refresher=uac']] }));
    expect(r.ua.acks.at(-1)?.cseq).toEqual({ seq: 2, method: 'ACK' });
    r.clock.advance(60 * SEC);
    expect(r.ua.invites).toHaveLength(3);
    expect(s.state).toBe('confirmed');
  });

  it('§10: refresher=uas: we never refresh; without their refresh we send BYE at interval − min(32, interval/3); their UPDATE restarts it', () => {
    const r = rig();
    const s = connected(r, [['Session-Expires', '300;refresher=uas'], ['Require', 'timer']]);
    r.clock.advance(200 * SEC);
    // their refresh (RFC 3311 UPDATE, no body): 200 with Session-Expires and Require: timer, never 405
    const ch = new Channel();
    r.layer.receiveRequest(fromBob(s, 'UPDATE', 5, { headers: ['Supported: timer', 'Session-Expires: 300;refresher=uac'] }), ch);
    expect(ch.statuses).toEqual([200]);
    expect(ch.responses[0]?.headers.get('Session-Expires')).toBe('300;refresher=uac');
    expect(ch.responses[0]?.require).toContain('timer');
    expect(ch.responses[0]?.headers.get('Contact')).toBe('<sip:alice@127.0.0.1:5060>');
    r.clock.advance(268 * SEC - 1);
    expect(r.ua.methods()).toEqual([]);
    r.clock.advance(1);
    expect(r.ua.methods()).toEqual(['BYE']);
    expect(r.ends).toMatchObject([{ by: 'network', reason: 'connection lost (the session was not refreshed)' }]);
  });

  it('§7.2: a 2xx without Session-Expires means no session timer: nothing is sent however long the call lasts', () => {
    const r = rig();
    const s = connected(r, []);
    r.clock.advance(24 * 3600 * SEC);
    expect(r.ua.methods()).toEqual([]);
    expect(s.timers.interval).toBeNull();
    expect(s.state).toBe('confirmed');
  });
});

describe('InviteSession with session timers as UAS (RFC 4028 §9) and UPDATE (RFC 3311)', () => {
  it('an INVITE asking for 60 s MUST be answered 422 with Min-SE: 90 and the call never rings', () => {
    const r = rig();
    const ch = new Channel();
    const s = InviteSession.incoming(options(r), incomingInvite({ headers: ['Supported: timer', 'Session-Expires: 60'] }), ch);
    expect(ch.statuses).toEqual([422]);
    expect(ch.responses[0]?.headers.get('Min-SE')).toBe('90');
    expect(s.state).toBe('terminated');
    expect(r.ends).toMatchObject([{ status: 422 }]);
  });

  it('our 200 MUST carry Session-Expires with the elected refresher and Require: timer; no refresh from them → BYE', () => {
    const r = rig();
    const ch = new Channel();
    const s = InviteSession.incoming(options(r), incomingInvite({ headers: ['Supported: timer', 'Session-Expires: 120', 'Min-SE: 90'] }), ch);
    s.accept();
    const ok = ch.responses.at(-1);
    expect(ok?.status).toBe(200);
    expect(ok?.headers.get('Session-Expires')).toBe('120;refresher=uac');
    expect(ok?.require).toContain('timer');
    expect(ok?.supported).toContain('timer');
    s.onAck(fromBob(s, 'ACK', 1));
    r.clock.advance(88 * SEC - 1);
    expect(r.ua.methods()).toEqual([]);
    r.clock.advance(1);
    expect(r.ua.methods()).toEqual(['BYE']);
  });

  it('a UAC without timer support: we elect ourselves (refresher=uas) and refresh at half the interval', () => {
    const r = rig();
    const ch = new Channel();
    const s = InviteSession.incoming(options(r), incomingInvite(), ch);
    s.accept();
    expect(ch.responses.at(-1)?.headers.get('Session-Expires')).toBe('1800;refresher=uas');
    expect(ch.responses.at(-1)?.require).toBeNull();
    s.onAck(fromBob(s, 'ACK', 1));
    r.clock.advance(900 * SEC);
    // their INVITE had no Allow: a re-INVITE refresh, in which we stay the refresher (refresher=uac for this transaction)
    expect(r.ua.invites).toHaveLength(1);
    expect(r.ua.invites[0]?.request.headers.get('Session-Expires')).toBe('1800;refresher=uac');
  });

  it('their re-INVITE below our minimum MUST get 422 and leave the session as it was', () => {
    const r = rig();
    const s = connected(r, []);
    const ch = new Channel();
    r.layer.receiveRequest(fromBob(s, 'INVITE', 3, { body: sdpWith({ direction: 'sendonly' }), headers: ['Supported: timer', 'Session-Expires: 30'] }), ch);
    expect(ch.statuses).toEqual([422]);
    expect(s.state).toBe('confirmed');
    expect(s.sdp.remoteHolds).toBe(false);
  });

  it('RFC 3311 §5.2: an UPDATE with an SDP offer is answered 200 with our answer and the media changes at once', () => {
    const r = rig();
    const s = connected(r, []);
    const before = r.media.length;
    const ch = new Channel();
    r.layer.receiveRequest(fromBob(s, 'UPDATE', 4, { body: sdpWith({ direction: 'sendonly' }) }), ch);
    expect(ch.statuses).toEqual([200]);
    expect(ch.responses[0]?.headers.get('Content-Type')).toBe('application/sdp');
    expect(ch.responses[0]?.body.toString()).toContain('a=recvonly');
    expect(r.media.length).toBe(before + 1);
    expect(s.sdp.remoteHolds).toBe(true);
  });

  it('RFC 3311 §5.2: an UPDATE offer while our re-INVITE offer is pending MUST get 491', () => {
    const r = rig();
    const s = connected(r, []);
    void s.setHold(true);
    const ch = new Channel();
    r.layer.receiveRequest(fromBob(s, 'UPDATE', 4, { body: REMOTE_SDP }), ch);
    expect(ch.statuses).toEqual([491]);
  });
});
