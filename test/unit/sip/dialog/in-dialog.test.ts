import { describe, expect, it } from 'vitest';
import { InviteSession, glareDelay } from '../../../../main/sip/dialog/index.ts';
import { createResponse } from '../../../../main/sip/message/index.ts';
import { answer, Channel, incomingInvite, REMOTE_SDP, sdpWith } from './fake-ua.ts';
import { call, connect, options, rig } from './session-rig.ts';

describe('re-INVITE hold and resume (RFC 3261 §14, RFC 3264 §8.4)', () => {
  it('hold MUST offer sendonly in a re-INVITE with the next CSeq; 2xx is ACKed; resume offers sendrecv', async () => {
    const r = rig();
    const s = call(r);
    connect(r, s);
    const held = s.setHold(true);
    const re = r.ua.invites[1];
    if (re === undefined) throw new Error('no re-INVITE');
    expect(re.request.cseq).toEqual({ seq: 2, method: 'INVITE' });
    expect(re.request.body.toString()).toContain('a=sendonly');
    expect(re.request.toTag).toBe('bobtag');
    re.handlers.onFinal(answer(re.request, 200, { body: sdpWith({ direction: 'recvonly' }) }));
    expect(await held).toBe(true);
    expect(r.ua.acks.at(-1)?.cseq).toEqual({ seq: 2, method: 'ACK' });
    expect(r.media.at(-1)?.audio.direction).toBe('sendonly');
    const resumed = s.setHold(false);
    const re2 = r.ua.invites[2];
    expect(re2?.request.body.toString()).toContain('a=sendrecv');
    re2?.handlers.onFinal(answer(re2.request, 200, { body: REMOTE_SDP }));
    expect(await resumed).toBe(true);
    expect(r.media.at(-1)?.audio.direction).toBe('sendrecv');
  });

  it('an incoming re-INVITE while ours is pending MUST get 491 (§14.2); our 491 is retried after the §14.1 delay', async () => {
    const r = rig();
    const s = call(r);
    connect(r, s);
    const dialog = s.dialog;
    if (dialog === null) throw new Error('no dialog');
    const held = s.setHold(true);
    const theirs = incomingInvite({ callId: dialog.id.callId, cseq: 5, toTag: dialog.id.localTag });
    const ch = new Channel();
    r.layer.receiveRequest(theirs, ch);
    expect(ch.statuses).toEqual([491]);
    const re = r.ua.invites[1];
    re?.handlers.onFinal(answer(re.request, 491));
    expect(r.ua.invites).toHaveLength(2);
    r.clock.advance(glareDelay(true, 0));
    const retry = r.ua.invites[2];
    expect(retry?.request.cseq.seq).toBe(3);
    retry?.handlers.onFinal(answer(retry.request, 200, { body: sdpWith({ direction: 'recvonly' }) }));
    expect(await held).toBe(true);
    expect(glareDelay(true, 0)).toBe(2100);
    expect(glareDelay(false, 0.999)).toBeLessThanOrEqual(2000);
  });

  it('an incoming re-INVITE with sendonly MUST be answered recvonly and refresh the remote target', () => {
    const r = rig();
    const s = InviteSession.incoming(options(r), incomingInvite(), new Channel());
    s.accept();
    r.layer.receiveAck(incomingInvite({ method: 'ACK', body: '', toTag: s.dialog?.id.localTag ?? '' }));
    const ch = new Channel();
    const re = incomingInvite({ cseq: 2, toTag: s.dialog?.id.localTag ?? '', body: sdpWith({ direction: 'sendonly' }) });
    re.headers.set('Contact', '<sip:bob@10.0.0.3:5090>');
    r.layer.receiveRequest(re, ch);
    expect(ch.statuses).toEqual([200]);
    expect(ch.responses[0]?.body.toString()).toContain('a=recvonly');
    expect(s.sdp.remoteHolds).toBe(true);
    expect(s.dialog?.createRequest('BYE').uriText).toBe('sip:bob@10.0.0.3:5090');
  });

  it('a 481 to the re-INVITE MUST end the dialog (§14.1)', async () => {
    const r = rig();
    const s = call(r);
    connect(r, s);
    const held = s.setHold(true);
    const re = r.ua.invites[1];
    re?.handlers.onFinal(answer(re.request, 481));
    expect(await held).toBe(false);
    expect(s.state).toBe('terminated');
    expect(r.ends[0]?.status).toBe(481);
  });
});

describe('MESSAGE within the dialog (RFC 3428 §4, RFC 3261 §12.2.1.1)', () => {
  it('MUST use the dialog Call-ID, tags, route set and remote target with increasing CSeq, never two pending', async () => {
    const r = rig();
    const s = call(r);
    connect(r, s);
    const first = s.sendMessage('one', 'text/plain');
    const second = s.sendMessage('two', 'text/plain');
    expect(r.ua.requests).toHaveLength(1);
    expect(s.pendingMessages).toBe(2);
    const m1 = r.ua.requests[0]?.request;
    if (m1 === undefined) throw new Error('no MESSAGE');
    expect(m1.method).toBe('MESSAGE');
    expect(m1.callId).toBe(r.ua.invites[0]?.request.callId);
    expect([m1.fromTag, m1.toTag]).toEqual([s.dialog?.id.localTag, 'bobtag']);
    expect(m1.headers.getAll('Route')).toEqual(['<sip:10.0.0.1;lr>']);
    expect(m1.uriText).toBe('sip:bob@10.0.0.2:5070');
    expect(m1.cseq).toEqual({ seq: 2, method: 'MESSAGE' });
    r.ua.requests[0]?.resolve(createResponse(m1, 200));
    expect(await first).toMatchObject({ kind: 'response' });
    expect(r.ua.requests).toHaveLength(2);
    expect(r.ua.requests[1]?.request.cseq).toEqual({ seq: 3, method: 'MESSAGE' });
    r.ua.requests[1]?.resolve(createResponse(r.ua.requests[1].request, 405));
    const out = await second;
    expect(out.kind === 'response' && out.response.status).toBe(405);
  });

  it('a MESSAGE still queued when the call ends MUST be reported as never sent', async () => {
    const r = rig();
    const s = call(r);
    connect(r, s);
    void s.sendMessage('one', 'text/plain');
    const queued = s.sendMessage('two', 'text/plain');
    s.hangUp();
    expect(await queued).toEqual({ kind: 'dialog-ended', reason: 'hung up' });
    expect(await s.sendMessage('late', 'text/plain')).toMatchObject({ kind: 'dialog-ended' });
  });

  it('a 481 to an in-dialog MESSAGE MUST end the dialog (§12.2.1.2)', async () => {
    const r = rig();
    const s = call(r);
    connect(r, s);
    const p = s.sendMessage('one', 'text/plain');
    const m = r.ua.requests[0];
    m?.resolve(createResponse(m.request, 481));
    await p;
    expect(s.state).toBe('terminated');
  });

  it('an incoming in-dialog MESSAGE MUST reach the session and be answered with its status', async () => {
    const r = rig();
    const s = InviteSession.incoming(options(r), incomingInvite(), new Channel());
    s.accept();
    const msg = incomingInvite({ method: 'MESSAGE', cseq: 2, toTag: s.dialog?.id.localTag ?? '', body: '' });
    msg.headers.set('Content-Type', 'text/plain');
    msg.body = Buffer.from('hello in call');
    const ch = new Channel();
    r.layer.receiveRequest(msg, ch);
    await Promise.resolve();
    await Promise.resolve();
    expect(r.messages).toEqual(['hello in call']);
    expect(ch.statuses).toEqual([200]);
  });
});
