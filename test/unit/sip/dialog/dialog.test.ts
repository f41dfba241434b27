import { describe, expect, it } from 'vitest';
import { Dialog, DialogLayer, dialogIdKey } from '../../../../main/sip/dialog/index.ts';
import { formatUri } from '../../../../main/sip/message/index.ts';
import type { SipRequest } from '../../../../main/sip/message/index.ts';
import { buildRequest } from '../../../../main/sip/ua/uac-request.ts';
import { answer, Channel, incomingInvite } from './fake-ua.ts';

function ourInvite(): SipRequest {
  return buildRequest({
    method: 'INVITE', requestUri: 'sip:bob@example.test', from: { uri: 'sip:alice@example.test' }, to: { uri: 'sip:bob@example.test' },
    localTag: 'alicetag', callId: 'c1', cseq: 1, contact: '<sip:alice@127.0.0.1:5060>',
  });
}

const RR = ['<sip:p2.example.test;lr>', '<sip:p1.example.test;lr>'];

describe('Dialog as UAC (RFC 3261 §12.1.2)', () => {
  it('a 1xx with a To tag MUST create an early dialog; the route set is the Record-Route reversed', () => {
    const d = Dialog.asUac(ourInvite(), answer(ourInvite(), 180, { recordRoute: RR }), '<sip:alice@127.0.0.1:5060>');
    expect(d?.state).toBe('early');
    expect(d?.id).toEqual({ callId: 'c1', localTag: 'alicetag', remoteTag: 'bobtag' });
    expect(d?.describeRouteSet()).toEqual(['<sip:p1.example.test;lr>', '<sip:p2.example.test;lr>']);
    expect(formatUri(d?.remoteTarget ?? { scheme: 'x', opaque: '' })).toBe('sip:bob@10.0.0.2:5070');
    expect(d?.localSeq).toBe(1);
    expect(d?.remoteSeq).toBeNull();
  });

  it('route set reversal (§12.1.2) across header fields and comma lists: 3 hops p3,p2 | p1 → p1,p2,p3 on early and confirmed', () => {
    const rr = ['<sip:p3.example.test;lr>, <sip:p2.example.test;lr>', '<sip:p1.example.test;lr>'];
    const want = ['<sip:p1.example.test;lr>', '<sip:p2.example.test;lr>', '<sip:p3.example.test;lr>'];
    const early = Dialog.asUac(ourInvite(), answer(ourInvite(), 183, { recordRoute: rr }), '<sip:a@h>');
    expect(early?.describeRouteSet()).toEqual(want);
    const confirmed = Dialog.asUac(ourInvite(), answer(ourInvite(), 180), '<sip:a@h>');
    confirmed?.confirm(answer(ourInvite(), 200, { recordRoute: rr }));
    expect(confirmed?.describeRouteSet()).toEqual(want);
    expect(confirmed?.createRequest('BYE').headers.getAll('Route')).toEqual(want);
  });

  it('a 1xx without a To tag creates no dialog', () => {
    const r = answer(ourInvite(), 100);
    expect(Dialog.asUac(ourInvite(), r, '<sip:a@h>')).toBeNull();
  });

  it('a 2xx MUST move the early dialog to confirmed and recompute route set and remote target from it', () => {
    const d = Dialog.asUac(ourInvite(), answer(ourInvite(), 180), '<sip:a@h>');
    d?.confirm(answer(ourInvite(), 200, { recordRoute: RR, contact: '<sip:bob@10.0.0.9:5080>' }));
    expect(d?.state).toBe('confirmed');
    expect(d?.describeRouteSet()[0]).toBe('<sip:p1.example.test;lr>');
    expect(formatUri(d?.remoteTarget ?? { scheme: 'x', opaque: '' })).toBe('sip:bob@10.0.0.9:5080');
  });

  it('requests within the dialog MUST carry the Call-ID, tags, next local CSeq, Route set and remote target (§12.2.1.1)', () => {
    const d = Dialog.asUac(ourInvite(), answer(ourInvite(), 200, { recordRoute: RR }), '<sip:a@h>');
    if (d === null) throw new Error('no dialog');
    const m1 = d.createRequest('MESSAGE', { body: 'hi', contentType: 'text/plain' });
    const m2 = d.createRequest('BYE');
    expect(m1.callId).toBe('c1');
    expect(m1.fromTag).toBe('alicetag');
    expect(m1.toTag).toBe('bobtag');
    expect(m1.cseq).toEqual({ seq: 2, method: 'MESSAGE' });
    expect(m2.cseq).toEqual({ seq: 3, method: 'BYE' });
    expect(m1.uriText).toBe('sip:bob@10.0.0.2:5070');
    expect(m1.headers.getAll('Route')).toEqual(['<sip:p1.example.test;lr>', '<sip:p2.example.test;lr>']);
    expect(m1.headers.get('Contact')).toBeNull();
    expect(d.createRequest('INVITE').headers.get('Contact')).toBe('<sip:a@h>');
    // the ACK takes the INVITE's CSeq number (§13.2.2.4)
    expect(d.createAck(1).cseq).toEqual({ seq: 1, method: 'ACK' });
  });

  it('a strict first route MUST become the Request-URI with the remote target appended as last Route (§12.2.1.1)', () => {
    const d = Dialog.asUac(ourInvite(), answer(ourInvite(), 200, { recordRoute: ['<sip:strict.example.test>'] }), '<sip:a@h>');
    const bye = d?.createRequest('BYE');
    expect(bye?.uriText).toBe('sip:strict.example.test');
    expect(bye?.headers.getAll('Route')).toEqual(['<sip:bob@10.0.0.2:5070>']);
  });

  it('a terminated dialog MUST NOT build requests', () => {
    const d = Dialog.asUac(ourInvite(), answer(ourInvite(), 200), '<sip:a@h>');
    d?.terminate();
    expect(d?.state).toBe('terminated');
    expect(() => d?.createRequest('BYE')).toThrow(/terminated/);
  });
});

describe('Dialog as UAS (RFC 3261 §12.1.1, §12.2.2)', () => {
  it('route set MUST be the Record-Route in order; remote CSeq the request\'s; local CSeq empty', () => {
    const d = Dialog.asUas(incomingInvite({ recordRoute: RR }), 'ourtag', '<sip:a@h>', 'early');
    expect(d?.describeRouteSet()).toEqual(RR);
    expect(d?.remoteSeq).toBe(1);
    expect(d?.localSeq).toBeNull();
    expect(d?.id).toEqual({ callId: 'call-1@10.0.0.2', localTag: 'ourtag', remoteTag: 'bobtag' });
    const bye = d?.createRequest('BYE');
    expect(bye?.cseq.seq).toBe(1);
    expect(bye?.to.params.get('tag')).toBe('bobtag');
    expect(bye?.headers.get('To')).toContain('sip:bob@example.test');
  });

  it('a request with a lower CSeq MUST be rejected with 500; a higher one is taken', () => {
    const d = Dialog.asUas(incomingInvite({ cseq: 5 }), 't', '<sip:a@h>', 'confirmed');
    if (d === null) throw new Error('no dialog');
    expect(d.checkRemoteCSeq(incomingInvite({ cseq: 4, method: 'MESSAGE' }))).toMatchObject({ ok: false, status: 500 });
    expect(d.checkRemoteCSeq(incomingInvite({ cseq: 6, method: 'MESSAGE' }))).toEqual({ ok: true });
    expect(d.remoteSeq).toBe(6);
  });
});

describe('DialogLayer (RFC 3261 §12.2.2, §9.2)', () => {
  const noop = { onRequest: () => {}, onAck: () => {} };

  it('MUST answer 481 to a request with a To tag that matches no dialog', () => {
    const layer = new DialogLayer({ onIncomingInvite: () => {} });
    const ch = new Channel();
    expect(layer.receiveRequest(incomingInvite({ method: 'MESSAGE', toTag: 'nope', body: '' }), ch)).toBe(true);
    expect(ch.statuses).toEqual([481]);
  });

  it('matches by Call-ID + tags and answers 500 to an out-of-order CSeq', () => {
    const layer = new DialogLayer({ onIncomingInvite: () => {} });
    const d = Dialog.asUas(incomingInvite({ cseq: 3 }), 'ourtag', '<sip:a@h>', 'confirmed');
    if (d === null) throw new Error('no dialog');
    const seen: string[] = [];
    layer.add(d, { onRequest: (r) => seen.push(r.method), onAck: () => {} });
    expect(layer.get(dialogIdKey(d.id))).toBe(d);
    const ch = new Channel();
    layer.receiveRequest(incomingInvite({ method: 'MESSAGE', toTag: 'ourtag', cseq: 2, body: '' }), ch);
    expect(ch.statuses).toEqual([500]);
    layer.receiveRequest(incomingInvite({ method: 'MESSAGE', toTag: 'ourtag', cseq: 4, body: '' }), ch);
    expect(seen).toEqual(['MESSAGE']);
    layer.remove(d);
    expect(layer.size).toBe(0);
  });

  it('leaves a request without To tag other than INVITE to others (pager MESSAGE); hands a new INVITE over', () => {
    const invites: SipRequest[] = [];
    const layer = new DialogLayer({ onIncomingInvite: (r) => invites.push(r) });
    expect(layer.receiveRequest(incomingInvite({ method: 'MESSAGE', body: '' }), new Channel())).toBe(false);
    expect(layer.receiveRequest(incomingInvite(), new Channel())).toBe(true);
    expect(invites).toHaveLength(1);
    layer.add(Dialog.asUas(incomingInvite(), 't', '<sip:a@h>', 'early') as Dialog, noop);
  });

  it('a CANCEL matching a pending INVITE MUST get 200 and reach the session; otherwise 481', () => {
    const layer = new DialogLayer({ onIncomingInvite: () => {} });
    const invite = incomingInvite();
    let cancelled = 0;
    layer.addPendingInvite(invite, { onCancel: () => cancelled++ });
    const cancel = incomingInvite({ method: 'CANCEL', body: '' });
    const ch = new Channel();
    layer.receiveRequest(cancel, ch);
    layer.receiveRequest(cancel, ch);
    expect(ch.statuses).toEqual([200, 481]);
    expect(cancelled).toBe(1);
  });

  it('a CANCEL the UA core already answered (§9.2) MUST still reach the pending INVITE once', () => {
    const layer = new DialogLayer({ onIncomingInvite: () => {} });
    const invite = incomingInvite();
    let cancelled = 0;
    layer.addPendingInvite(invite, { onCancel: () => cancelled++ });
    layer.cancelled(invite);
    layer.cancelled(invite);
    expect(cancelled).toBe(1);
  });

  it('hasDialogFor MUST be true only for a request whose Call-ID and tags name a dialog (§12.2.2)', () => {
    const layer = new DialogLayer({ onIncomingInvite: () => {} });
    const d = Dialog.asUas(incomingInvite(), 'ourtag', '<sip:a@h>', 'confirmed') as Dialog;
    layer.add(d, { onRequest: () => {}, onAck: () => {} });
    expect(layer.hasDialogFor(incomingInvite({ method: 'BYE', toTag: 'ourtag', body: '' }))).toBe(true);
    expect(layer.hasDialogFor(incomingInvite({ method: 'BYE', toTag: 'other', body: '' }))).toBe(false);
    expect(layer.hasDialogFor(incomingInvite({ method: 'BYE', body: '' }))).toBe(false);
  });
});
