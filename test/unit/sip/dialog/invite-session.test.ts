import { describe, expect, it } from 'vitest';
import { InviteSession, twoXxInterval } from '../../../../main/sip/dialog/index.ts';
import { DEFAULT_TIMER_CONFIG } from '../../../../main/sip/transaction/index.ts';
import { answer, Channel, incomingInvite, REMOTE_SDP, sdpWith } from './fake-ua.ts';
import { call, connect, options, rig } from './session-rig.ts';

describe('InviteSession as UAC (RFC 3261 §13.2)', () => {
  it('the INVITE MUST carry an SDP offer with G.722, PCMU, PCMA, telephone-event and ptime 20, and a Contact', () => {
    const r = rig();
    call(r);
    const inv = r.ua.invites[0]?.request;
    expect(inv?.headers.get('Content-Type')).toBe('application/sdp');
    expect(inv?.headers.get('Contact')).toBe('<sip:alice@127.0.0.1:5060>');
    const sdp = inv?.body.toString() ?? '';
    expect(sdp).toContain('m=audio 30000 RTP/AVP 9 0 8 101');
    expect(sdp).toContain('a=rtpmap:9 G722/8000');
    expect(sdp).toContain('a=rtpmap:101 telephone-event/8000');
    expect(sdp).toContain('a=ptime:20');
  });

  it('1xx with a tag → early; 2xx → confirmed, ACK with the INVITE CSeq, media negotiated (PCMA chosen by the answer)', () => {
    const r = rig();
    const s = call(r);
    const inv = r.ua.invites[0];
    if (inv === undefined) throw new Error('no INVITE');
    inv.handlers.onProvisional(answer(inv.request, 180));
    expect(s.state).toBe('early');
    expect(s.dialog?.state).toBe('early');
    inv.handlers.onFinal(answer(inv.request, 200, { body: REMOTE_SDP, recordRoute: ['<sip:10.0.0.1;lr>'] }));
    expect(s.state).toBe('confirmed');
    expect(s.dialog?.state).toBe('confirmed');
    expect(r.ua.acks).toHaveLength(1);
    const ack = r.ua.acks[0];
    expect(ack?.cseq).toEqual({ seq: 1, method: 'ACK' });
    expect(ack?.toTag).toBe('bobtag');
    expect(ack?.headers.getAll('Route')).toEqual(['<sip:10.0.0.1;lr>']);
    expect(ack?.uriText).toBe('sip:bob@10.0.0.2:5070');
    expect(r.media[0]?.audio.codec.name).toBe('PCMA');
    expect(r.media[0]?.audio.remotePort).toBe(40000);
    expect(r.states).toEqual(['early', 'confirmed']);
  });

  it('MUST ACK every retransmission of the 2xx (§13.2.2.4) without renegotiating', () => {
    const r = rig();
    const s = call(r);
    const { inv, ok } = connect(r, s);
    inv.handlers.onFinal(ok);
    inv.handlers.onFinal(ok);
    expect(r.ua.acks).toHaveLength(3);
    expect(r.ua.acks[2]).toBe(r.ua.acks[0]);
    expect(r.media).toHaveLength(1);
  });

  it('hang-up in confirmed MUST send BYE with the next CSeq and end the session', () => {
    const r = rig();
    const s = call(r);
    connect(r, s);
    s.hangUp();
    expect(r.ua.methods()).toEqual(['BYE']);
    expect(r.ua.requests[0]?.request.cseq).toEqual({ seq: 2, method: 'BYE' });
    expect(s.state).toBe('terminated');
    expect(r.ends).toEqual([{ by: 'local', status: null, reason: 'hung up' }]);
    expect(r.layer.size).toBe(0);
  });

  it('hang-up before the answer MUST CANCEL; the 487 ends it as cancelled (§9.1)', () => {
    const r = rig();
    const s = call(r);
    const inv = r.ua.invites[0];
    if (inv === undefined) throw new Error('no INVITE');
    inv.handlers.onProvisional(answer(inv.request, 180));
    s.hangUp();
    expect(inv.cancelled).toBe(true);
    inv.handlers.onFinal(answer(inv.request, 487));
    expect(r.ends).toEqual([{ by: 'local', status: 487, reason: 'cancelled' }]);
  });

  it('a 2xx racing our CANCEL MUST be ACKed and the call ended with BYE', () => {
    const r = rig();
    const s = call(r);
    s.hangUp();
    const inv = r.ua.invites[0];
    if (inv === undefined) throw new Error('no INVITE');
    inv.handlers.onFinal(answer(inv.request, 200, { body: REMOTE_SDP }));
    expect(r.ua.acks).toHaveLength(1);
    expect(r.ua.methods()).toEqual(['BYE']);
    expect(s.state).toBe('terminated');
  });

  it('486 from the callee ends the call with that status (§13.2.2.3)', () => {
    const r = rig();
    call(r);
    const inv = r.ua.invites[0];
    inv?.handlers.onFinal(answer(inv.request, 486));
    expect(r.ends[0]).toMatchObject({ by: 'remote', status: 486 });
  });

  it('a 2xx whose SDP has no common codec MUST be ACKed, then BYE (no session)', () => {
    const r = rig();
    const s = call(r);
    const inv = r.ua.invites[0];
    inv?.handlers.onFinal(answer(inv.request, 200, { body: sdpWith({ media: 'm=audio 40000 RTP/AVP 18' }).replace(/a=rtpmap:[08] .*\r\n/g, '') }));
    expect(r.ua.acks).toHaveLength(1);
    expect(r.ua.methods()).toEqual(['BYE']);
    expect(s.state).toBe('terminated');
    expect(r.ends[0]?.status).toBe(488);
  });

  it('a BYE from the far end MUST be answered 200 and end the session (§15.1.2)', () => {
    const r = rig();
    const s = call(r);
    connect(r, s);
    const dialog = s.dialog;
    if (dialog === null) throw new Error('no dialog');
    const bye = incomingInvite({ method: 'BYE', body: '', callId: dialog.id.callId, cseq: 10, toTag: dialog.id.localTag });
    bye.headers.set('From', `<sip:bob@example.test>;tag=${dialog.id.remoteTag}`);
    const ch = new Channel();
    expect(r.layer.receiveRequest(bye, ch)).toBe(true);
    expect(ch.statuses).toEqual([200]);
    expect(r.ends[0]).toMatchObject({ by: 'remote' });
  });
});

describe('InviteSession as UAS (RFC 3261 §13.3)', () => {
  it('180 MUST carry our To tag (early dialog); 200 carries the SDP answer and Contact', () => {
    const r = rig();
    const ch = new Channel();
    const s = InviteSession.incoming(options(r), incomingInvite(), ch);
    s.ring();
    expect(s.dialog?.state).toBe('early');
    s.accept();
    expect(ch.statuses).toEqual([180, 200]);
    const ok = ch.responses[1];
    expect(ok?.toTag).toBe(ch.responses[0]?.toTag);
    // §12.1.1: Record-Route copied into the dialog-creating responses, in order
    expect(ok?.headers.getAll('Record-Route')).toEqual(['<sip:10.0.0.1;lr>']);
    expect(ch.responses[0]?.headers.getAll('Record-Route')).toEqual(['<sip:10.0.0.1;lr>']);
    expect(ok?.headers.get('Contact')).toBe('<sip:alice@127.0.0.1:5060>');
    expect(ok?.body.toString()).toContain('m=audio 30000 RTP/AVP 8 101');
    expect(s.state).toBe('confirmed');
    expect(r.media[0]?.audio.codec.name).toBe('PCMA');
  });

  it('MUST retransmit the 2xx at T1, 2T1, 4T1 ... capped at T2 until the ACK (§13.3.1.4)', () => {
    const r = rig();
    const ch = new Channel();
    const s = InviteSession.incoming(options(r), incomingInvite(), ch);
    s.accept();
    const at: number[] = [];
    const orig = ch.respond.bind(ch);
    ch.respond = (res) => {
      at.push(r.clock.now());
      orig(res);
    };
    r.clock.advance(500 + 1000 + 2000 + 4000 + 4000);
    expect(at).toEqual([500, 1500, 3500, 7500, 11500]);
    const ack = incomingInvite({ method: 'ACK', body: '', toTag: s.dialog?.id.localTag ?? '' });
    r.layer.receiveAck(ack);
    r.clock.advance(60_000);
    expect(at).toHaveLength(5);
    expect(s.state).toBe('confirmed');
    expect([0, 1, 2, 3, 4].map((n) => twoXxInterval(n, DEFAULT_TIMER_CONFIG))).toEqual([500, 1000, 2000, 4000, 4000]);
  });

  it('without an ACK for 64*T1 the session MUST be ended with BYE (§13.3.1.4)', () => {
    const r = rig();
    const s = InviteSession.incoming(options(r), incomingInvite(), new Channel());
    s.accept();
    r.clock.advance(31_999);
    expect(s.state).toBe('confirmed');
    r.clock.advance(1);
    expect(r.ua.methods()).toEqual(['BYE']);
    expect(s.state).toBe('terminated');
    expect(r.ends[0]).toMatchObject({ by: 'network', status: 408 });
  });

  it('an offer with no codec we speak (G.729 only) MUST be rejected 488 with a Warning that says why', () => {
    const r = rig();
    const ch = new Channel();
    const s = InviteSession.incoming(options(r), incomingInvite({ body: sdpWith({ media: 'm=audio 40000 RTP/AVP 18 101' }).replace(/a=rtpmap:[08] .*\r\n/g, '') }), ch);
    expect(ch.statuses).toEqual([488]);
    expect(ch.responses[0]?.headers.get('Warning')).toMatch(/399 messenger "no common audio codec/);
    expect(s.state).toBe('terminated');
  });

  it('decline MUST answer 603 and busy 486', () => {
    const r = rig();
    const ch = new Channel();
    InviteSession.incoming(options(r), incomingInvite(), ch).reject(603);
    InviteSession.incoming(options(r), incomingInvite({ callId: 'x2' }), ch).reject(486);
    expect(ch.statuses).toEqual([603, 486]);
    expect(r.ends.map((e) => e.reason)).toEqual(['declined', 'busy']);
  });

  it('the caller\'s CANCEL MUST get 200 and the INVITE 487 (§9.2)', () => {
    const r = rig();
    const ch = new Channel();
    const s = InviteSession.incoming(options(r), incomingInvite(), ch);
    s.ring();
    const cch = new Channel();
    r.layer.receiveRequest(incomingInvite({ method: 'CANCEL', body: '' }), cch);
    expect(cch.statuses).toEqual([200]);
    expect(ch.statuses).toEqual([180, 487]);
    expect(r.ends[0]).toMatchObject({ by: 'remote', status: 487 });
  });

  it('a delayed offer (INVITE without SDP) MUST be answered by our offer in the 200 and the answer read from the ACK', () => {
    const r = rig();
    const ch = new Channel();
    const s = InviteSession.incoming(options(r), incomingInvite({ body: '' }), ch);
    s.accept();
    expect(ch.responses[0]?.body.toString()).toContain('RTP/AVP 9 0 8 101');
    expect(r.media).toHaveLength(0);
    const ack = incomingInvite({ method: 'ACK', body: REMOTE_SDP, toTag: s.dialog?.id.localTag ?? '' });
    r.layer.receiveAck(ack);
    expect(r.media[0]?.audio.codec.name).toBe('PCMA');
  });
});

