/**
 * One call in focus (issue 13): call waiting (a second incoming call while one is up is announced as
 * waiting; answering it holds the first), swap (resume = hold the other first), a second outgoing call
 * holds the first, "Call" on a person already in a call returns that call, and only the active call
 * gets the microphone and the speaker.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { CallId } from '#shared/domain/ids.ts';
import { addressKey, arrivesWaiting } from '../../../../main/services/calls/call-focus.ts';
import type { SipRequest } from '../../../../main/sip/message/index.ts';
import { answer, Channel, incomingInvite, REMOTE_SDP } from '../../sip/dialog/fake-ua.ts';
import { callsRig, type CallsRig } from './calls-rig.ts';

const WAIT = { timeout: 10_000 };
let r: CallsRig;

beforeEach(async () => {
  r = await callsRig();
});
afterEach(async () => {
  await r.storage.close();
});

/** the re-INVITEs (with a To tag: within the dialog) we sent on a call's dialog, in order */
function reInvites(callId: CallId) {
  const dialogCallId = r.calls.session(callId)?.dialog?.id.callId;
  return r.ua.invites.filter((i) => i.request.callId === dialogCallId && i.request.toTag !== null);
}

function answerReInvite(req: SipRequest, direction: 'recvonly' | 'sendrecv'): void {
  const sent = r.ua.invites.find((i) => i.request === req);
  sent?.handlers.onFinal(answer(req, 200, { body: REMOTE_SDP.replace('a=sendrecv', `a=${direction}`) }));
}

async function connectedOutgoing(peer: string): Promise<CallId> {
  const before = r.ua.invites.length;
  const call = await r.calls.place(null, peer);
  const inv = r.ua.invites[before];
  if (inv === undefined) throw new Error('no INVITE');
  inv.handlers.onFinal(answer(inv.request, 200, { body: REMOTE_SDP, tag: `tag-${before}` }));
  expect(r.calls.get(call.id).state).toBe('connected');
  return call.id;
}

async function ringingIncoming(callId: string): Promise<{ id: CallId; ch: Channel }> {
  const ch = new Channel();
  r.layer.receiveRequest(incomingInvite({ callId }), ch);
  await vi.waitFor(() => expect(ch.statuses).toEqual([180]), WAIT);
  const dto = r.calls.list().find((c) => r.calls.session(c.id)?.initialRequest?.callId === callId);
  if (dto === undefined) throw new Error('no incoming call');
  return { id: dto.id, ch };
}

describe('one call in focus', () => {
  it('same person: user@host with the host case-folded (RFC 3261 §19.1.4), scheme and parameters ignored', () => {
    expect(addressKey('sip:bob@Example.TEST;transport=tcp')).toBe(addressKey('bob@example.test'));
    expect(addressKey('sip:Bob@example.test')).not.toBe(addressKey('sip:bob@example.test'));
    expect(addressKey('sip:bob@example.test')).not.toBe(addressKey('sip:carol@example.test'));
    expect(arrivesWaiting([], 'x' as CallId)).toBe(false);
  });

  it('a first incoming call rings (not waiting); a second while one is up is announced as waiting', async () => {
    const first = await ringingIncoming('first');
    expect(r.calls.get(first.id)).toMatchObject({ state: 'incoming', waiting: false });
    await r.calls.answer(first.id);
    expect(r.calls.get(first.id)).toMatchObject({ state: 'connected', active: true });
    const second = await ringingIncoming('second');
    expect(r.calls.get(second.id)).toMatchObject({ state: 'incoming', waiting: true, active: false });
    // the first call is untouched while the second waits
    expect(r.calls.get(first.id)).toMatchObject({ state: 'connected', active: true });
    expect(reInvites(first.id)).toHaveLength(0);
  });

  it('answering the waiting call holds the first (sendonly re-INVITE) before the 200 goes out; audio moves to it', async () => {
    const first = await connectedOutgoing('bob@example.test');
    const second = await ringingIncoming('second');
    const answered = r.calls.answer(second.id);
    // the first call's hold goes out first; the second is not answered before it is accepted
    const hold = reInvites(first)[0];
    expect(hold?.request.body.toString()).toContain('a=sendonly');
    expect(second.ch.statuses).toEqual([180]);
    answerReInvite(hold?.request as SipRequest, 'recvonly');
    expect(await answered).toMatchObject({ state: 'connected', active: true, waiting: false });
    expect(second.ch.statuses).toEqual([180, 200]);
    expect(r.calls.get(first)).toMatchObject({ state: 'held', onHold: true, active: false });
    // microphone and speaker: only the active call
    const frame = new Int16Array(160);
    const a1 = r.audio.get(first);
    const a2 = r.audio.get(second.id);
    const m1 = r.medias[0];
    const m2 = r.medias[1];
    a1?.push(frame);
    a2?.push(frame);
    a2?.push(frame);
    expect([m1?.pushed, m2?.pushed]).toEqual([0, 2]);
    m1?.open.onAudio(frame);
    m2?.open.onAudio(frame);
    expect([a1?.played, a2?.played]).toEqual([0, 1]);
  });

  it('swap: resuming the held call holds the active one first, then resumes', async () => {
    const first = await connectedOutgoing('bob@example.test');
    const second = await ringingIncoming('second');
    const answered = r.calls.answer(second.id);
    answerReInvite(reInvites(first)[0]?.request as SipRequest, 'recvonly');
    await answered;
    const swapped = r.calls.setHeld(first, false);
    const holdSecond = reInvites(second.id)[0];
    expect(holdSecond?.request.body.toString()).toContain('a=sendonly');
    // the first is not resumed before the second is held
    expect(reInvites(first)).toHaveLength(1);
    answerReInvite(holdSecond?.request as SipRequest, 'recvonly');
    await vi.waitFor(() => expect(reInvites(first)).toHaveLength(2), WAIT);
    const resume = reInvites(first)[1];
    expect(resume?.request.body.toString()).toContain('a=sendrecv');
    answerReInvite(resume?.request as SipRequest, 'sendrecv');
    expect(await swapped).toMatchObject({ state: 'connected', active: true });
    expect(r.calls.get(second.id)).toMatchObject({ state: 'held', active: false });
  });

  it('a second outgoing call holds the first before its INVITE goes out', async () => {
    const first = await connectedOutgoing('bob@example.test');
    const placing = r.calls.place(null, 'carol@example.test');
    const hold = reInvites(first)[0];
    expect(hold?.request.body.toString()).toContain('a=sendonly');
    expect(r.ua.invites.filter((i) => i.request.toTag === null)).toHaveLength(1);
    answerReInvite(hold?.request as SipRequest, 'recvonly');
    const second = await placing;
    expect(r.ua.invites.at(-1)?.request.uriText).toBe('sip:carol@example.test');
    expect(second).toMatchObject({ state: 'dialing', active: true });
    expect(r.calls.get(first)).toMatchObject({ state: 'held', active: false });
  });

  it('"Call" on a person already in a call returns that call and sends nothing', async () => {
    const first = await connectedOutgoing('bob@example.test');
    const sent = r.ua.invites.length;
    // RFC 3261 §19.1.4: the host compares case-insensitively, the user part does not
    const again = await r.calls.place(null, 'sip:bob@EXAMPLE.test;transport=udp');
    expect(again.id).toBe(first);
    expect(r.ua.invites).toHaveLength(sent);
    expect(r.calls.list()).toHaveLength(1);
  });

  it('hanging up the active call leaves the held one held and silent until the user resumes it', async () => {
    const first = await connectedOutgoing('bob@example.test');
    const placing = r.calls.place(null, 'carol@example.test');
    answerReInvite(reInvites(first)[0]?.request as SipRequest, 'recvonly');
    const second = await placing;
    r.calls.hangUp(second.id);
    expect(r.calls.get(first)).toMatchObject({ state: 'held', active: false });
    r.audio.get(first)?.push(new Int16Array(160));
    expect(r.medias[0]?.pushed).toBe(0);
  });
});

describe('DTMF received from the far end', () => {
  it('RFC 4733 keys from the media and SIP INFO keys are shown on the call (CallDto.dtmfReceived, calls:call-changed)', async () => {
    const id = await connectedOutgoing('bob@example.test');
    r.medias[0]?.open.onDtmf?.('1');
    r.medias[0]?.open.onDtmf?.('2');
    expect(r.calls.get(id).dtmfReceived).toBe('12');
    const dialog = r.calls.session(id)?.dialog;
    if (dialog === null || dialog === undefined) throw new Error('no dialog');
    const info = incomingInvite({ method: 'INFO', body: 'Signal=#\r\nDuration=160\r\n', contentType: 'application/dtmf-relay', callId: dialog.id.callId, cseq: 9, toTag: dialog.id.localTag });
    info.headers.set('From', `<sip:bob@example.test>;tag=${dialog.id.remoteTag}`);
    const ch = new Channel();
    r.layer.receiveRequest(info, ch);
    expect(ch.statuses).toEqual([200]);
    expect(r.calls.get(id).dtmfReceived).toBe('12#');
    expect(r.changes.filter((c) => c.id === id).map((c) => c.dtmfReceived).slice(-3)).toEqual(['1', '12', '12#']);
  });
});
