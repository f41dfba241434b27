/**
 * Dialog state rules of RFC 3261 §12 that the first dialog tests left open (Stryker survivors, issue 17):
 * which messages create no dialog, the state a 2xx creates, the "secure" flag, what a UAS keeps on
 * confirm, a target refresh without a Contact, the equal-CSeq case, ACK/CANCEL outside createRequest.
 */
import { describe, expect, it } from 'vitest';
import { Dialog } from '../../../../main/sip/dialog/index.ts';
import { formatNameAddr, formatUri, parseMessage, serializeMessage } from '../../../../main/sip/message/index.ts';
import type { HeaderList, SipRequest, SipResponse } from '../../../../main/sip/message/index.ts';
import { buildRequest } from '../../../../main/sip/ua/uac-request.ts';
import { answer, incomingInvite } from './fake-ua.ts';

function ourInvite(requestUri = 'sip:bob@example.test', localTag: string | null = 'alicetag'): SipRequest {
  const r = buildRequest({
    method: 'INVITE', requestUri, from: { uri: 'sip:alice@example.test', displayName: 'Alice' }, to: { uri: 'sip:bob@example.test', displayName: 'Bob' },
    localTag: localTag ?? 'dropped', callId: 'c1', cseq: 1, contact: '<sip:alice@127.0.0.1:5060>',
  });
  if (localTag === null) r.headers.set('From', '"Alice" <sip:alice@example.test>');
  // the transport adds the Via when it sends (§18.1.1): as it would leave us
  r.headers.prepend('Via', 'SIP/2.0/UDP 127.0.0.1:5060;branch=z9hG4bKours');
  return reparsed(r);
}

/** `m` as it would arrive off the wire, after `edit` changed its header fields */
function reparsed<T extends SipRequest | SipResponse>(m: T, edit: (h: HeaderList) => void = () => {}): T {
  const copy = parseMessage(serializeMessage(m)) as T;
  edit(copy.headers);
  return parseMessage(serializeMessage(copy)) as T;
}

const target = (d: Dialog | null | undefined): string => formatUri(d?.remoteTarget ?? { scheme: 'x', opaque: 'none' });

describe('what creates no dialog (RFC 3261 §12.1.1, §12.1.2)', () => {
  it('a UAC gets no dialog from a response without Contact, with Contact "*", or to a request without From tag', () => {
    const invite = ourInvite();
    expect(Dialog.asUac(invite, reparsed(answer(invite, 200), (h) => h.remove('Contact')), '<sip:a@h>')).toBeNull();
    expect(Dialog.asUac(invite, reparsed(answer(invite, 200), (h) => h.set('Contact', '*')), '<sip:a@h>')).toBeNull();
    const untagged = ourInvite('sip:bob@example.test', null);
    expect(untagged.fromTag).toBeNull();
    expect(Dialog.asUac(untagged, answer(untagged, 200), '<sip:a@h>')).toBeNull();
    // the control: the same 200 with its Contact does make one
    expect(Dialog.asUac(invite, answer(invite, 200), '<sip:a@h>')).not.toBeNull();
  });

  it('a UAS makes no dialog from a request without From tag or without a usable Contact', () => {
    const noTag = reparsed(incomingInvite(), (h) => h.set('From', '"Bob" <sip:bob@example.test>'));
    expect(Dialog.asUas(noTag, 'ourtag', '<sip:a@h>', 'early')).toBeNull();
    const noContact = reparsed(incomingInvite(), (h) => h.remove('Contact'));
    expect(Dialog.asUas(noContact, 'ourtag', '<sip:a@h>', 'early')).toBeNull();
    const star = reparsed(incomingInvite(), (h) => h.set('Contact', '*'));
    expect(Dialog.asUas(star, 'ourtag', '<sip:a@h>', 'early')).toBeNull();
    expect(Dialog.asUas(incomingInvite(), 'ourtag', '<sip:a@h>', 'early')?.role).toBe('uas');
  });
});

describe('state, parties and the secure flag (RFC 3261 §12.1)', () => {
  it('a 2xx creates a confirmed dialog at once; a 1xx an early one', () => {
    expect(Dialog.asUac(ourInvite(), answer(ourInvite(), 200), '<sip:a@h>')?.state).toBe('confirmed');
    expect(Dialog.asUac(ourInvite(), answer(ourInvite(), 202), '<sip:a@h>')?.state).toBe('confirmed');
    expect(Dialog.asUac(ourInvite(), answer(ourInvite(), 199), '<sip:a@h>')?.state).toBe('early');
  });

  it('local and remote URI are From and To without their tags; the route set reads as NameAddrs', () => {
    const d = Dialog.asUac(ourInvite(), answer(ourInvite(), 200, { recordRoute: ['<sip:p1.example.test;lr>'] }), '<sip:a@h>');
    expect(d?.role).toBe('uac');
    expect(formatUri(d?.localUri ?? { scheme: 'x', opaque: '' })).toBe('sip:alice@example.test');
    expect(formatUri(d?.remoteUri ?? { scheme: 'x', opaque: '' })).toBe('sip:bob@example.test');
    expect(d?.routeSet.map(formatNameAddr)).toEqual(['<sip:p1.example.test;lr>']);
    const bye = d?.createRequest('BYE');
    // one tag each: the dialog's, never a copy of the INVITE's params
    expect(bye?.headers.get('From')).toBe('Alice <sip:alice@example.test>;tag=alicetag');
    expect(bye?.headers.get('To')).toBe('Bob <sip:bob@example.test>;tag=bobtag');
    const uas = Dialog.asUas(incomingInvite(), 'ourtag', '<sip:a@h>', 'early');
    expect(formatUri(uas?.localUri ?? { scheme: 'x', opaque: '' })).toBe('sip:alice@example.test');
    expect(formatUri(uas?.remoteUri ?? { scheme: 'x', opaque: '' })).toBe('sip:bob@example.test');
  });

  it('the secure flag is set exactly when the INVITE\'s Request-URI is sips (§12.1.1, §12.1.2)', () => {
    const sips = ourInvite('sips:bob@example.test');
    expect(Dialog.asUac(sips, answer(sips, 200), '<sips:a@h>')?.secure).toBe(true);
    expect(Dialog.asUac(ourInvite(), answer(ourInvite(), 200), '<sip:a@h>')?.secure).toBe(false);
    const tel = ourInvite('tel:+15551234');
    expect(Dialog.asUac(tel, answer(tel, 200), '<sip:a@h>')?.secure).toBe(false);
    const inSips = parseMessage(Buffer.from(serializeMessage(incomingInvite()).toString().replace('INVITE sip:alice', 'INVITE sips:alice'))) as SipRequest;
    expect(Dialog.asUas(inSips, 't', '<sips:a@h>', 'early')?.secure).toBe(true);
    expect(Dialog.asUas(incomingInvite(), 't', '<sip:a@h>', 'early')?.secure).toBe(false);
  });
});

describe('confirm and target refresh (RFC 3261 §12.1.1, §12.2.1.2, §12.2.2, §13.2.2.4)', () => {
  it('a UAS route set is fixed by the INVITE: confirming it with a response changes neither route set nor target', () => {
    const d = Dialog.asUas(incomingInvite({ recordRoute: ['<sip:p1.example.test;lr>'] }), 't', '<sip:a@h>', 'early');
    d?.confirm(answer(ourInvite(), 200, { recordRoute: ['<sip:elsewhere.example.test;lr>'], contact: '<sip:x@10.9.9.9>' }));
    expect(d?.state).toBe('confirmed');
    expect(d?.describeRouteSet()).toEqual(['<sip:p1.example.test;lr>']);
    expect(target(d)).toBe('sip:bob@10.0.0.2:5070');
  });

  it('a UAC confirmed without a response keeps its route set and target', () => {
    const d = Dialog.asUac(ourInvite(), answer(ourInvite(), 180, { recordRoute: ['<sip:p1.example.test;lr>'] }), '<sip:a@h>');
    d?.confirm();
    expect(d?.state).toBe('confirmed');
    expect(d?.describeRouteSet()).toEqual(['<sip:p1.example.test;lr>']);
    expect(target(d)).toBe('sip:bob@10.0.0.2:5070');
  });

  it('a late 2xx does not bring a terminated dialog back', () => {
    const d = Dialog.asUac(ourInvite(), answer(ourInvite(), 180), '<sip:a@h>');
    d?.terminate();
    d?.confirm(answer(ourInvite(), 200, { contact: '<sip:bob@10.0.0.9>' }));
    expect(d?.state).toBe('terminated');
    expect(target(d)).toBe('sip:bob@10.0.0.2:5070');
  });

  it('a target refresh without a Contact keeps the remote target; one with a Contact replaces it', () => {
    const d = Dialog.asUas(incomingInvite(), 't', '<sip:a@h>', 'confirmed');
    d?.refreshTarget(reparsed(incomingInvite({ method: 'UPDATE', toTag: 't', cseq: 2, body: '' }), (h) => h.remove('Contact')));
    expect(target(d)).toBe('sip:bob@10.0.0.2:5070');
    d?.refreshTarget(reparsed(incomingInvite({ method: 'UPDATE', toTag: 't', cseq: 3, body: '' }), (h) => h.set('Contact', '<sip:bob@10.0.0.7:5090>')));
    expect(target(d)).toBe('sip:bob@10.0.0.7:5090');
  });
});

describe('CSeq and the requests a dialog builds (RFC 3261 §12.2.1.1, §12.2.2, §13.2.2.4)', () => {
  it('only a LOWER remote CSeq is out of order: an equal one is taken; the 500 names both numbers', () => {
    const d = Dialog.asUas(incomingInvite({ cseq: 5 }), 't', '<sip:a@h>', 'confirmed');
    expect(d?.checkRemoteCSeq(incomingInvite({ cseq: 5, method: 'INFO', body: '' }))).toEqual({ ok: true });
    const low = d?.checkRemoteCSeq(incomingInvite({ cseq: 4, method: 'INFO', body: '' }));
    expect(low).toEqual({ ok: false, status: 500, reason: 'CSeq 4 is lower than 5: out of order' });
    expect(d?.remoteSeq).toBe(5);
  });

  it('ACK and CANCEL are refused by createRequest (they take the INVITE\'s CSeq), and the ACK carries no Contact', () => {
    const d = Dialog.asUac(ourInvite(), answer(ourInvite(), 200), '<sip:a@h>');
    if (d === null) throw new Error('no dialog');
    expect(() => d.createRequest('ACK')).toThrow("Dialog.createRequest: ACK takes the INVITE's CSeq");
    expect(() => d.createRequest('CANCEL')).toThrow("Dialog.createRequest: CANCEL takes the INVITE's CSeq");
    expect(d.localSeq).toBe(1);
    // ACK is not a target refresh request (§12.2.1.1: only those carry our Contact)
    const ack = d.createAck(1);
    expect(ack.headers.get('Contact')).toBeNull();
    expect(d.createRequest('UPDATE').headers.get('Contact')).toBe('<sip:a@h>');
  });
});
