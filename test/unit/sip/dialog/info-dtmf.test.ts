/** DTMF in SIP INFO (application/dtmf-relay, application/dtmf) within a call. */
import { describe, expect, it } from 'vitest';
import { dtmfOfInfo, InviteSession } from '../../../../main/sip/dialog/index.ts';
import { answer, Channel, incomingInvite, REMOTE_SDP } from './fake-ua.ts';
import { options, rig } from './session-rig.ts';

describe('DTMF in SIP INFO', () => {
  it('application/dtmf-relay: the Signal line (10/11 = * and #); application/dtmf: the body', () => {
    expect(dtmfOfInfo('application/dtmf-relay', 'Signal=5\r\nDuration=160\r\n')).toBe('5');
    expect(dtmfOfInfo('Application/DTMF-Relay', 'signal= #\nDuration=100')).toBe('#');
    expect(dtmfOfInfo('application/dtmf-relay', 'Signal=10\r\n')).toBe('*');
    expect(dtmfOfInfo('application/dtmf-relay', 'Signal=11\r\n')).toBe('#');
    expect(dtmfOfInfo('application/dtmf-relay', 'Signal=d\r\n')).toBe('D');
    expect(dtmfOfInfo('application/dtmf', '7')).toBe('7');
    expect(dtmfOfInfo('application/dtmf-relay', 'Signal=X\r\n')).toBeNull();
    expect(dtmfOfInfo('application/dtmf-relay', 'Duration=160\r\n')).toBeNull();
    expect(dtmfOfInfo('text/plain', '5')).toBeNull();
    expect(dtmfOfInfo('application/dtmf', '5'.repeat(2000))).toBeNull();
  });

  it('an INFO within the call is answered 200 and its key reported; an empty one 200; one without a key 400', () => {
    const r = rig();
    const keys: string[] = [];
    const s = InviteSession.invite({ ...options(r), events: { ...r.events, onDtmf: (d) => keys.push(d) } }, { target: 'sip:bob@example.test', from: { uri: 'sip:alice@example.test' } });
    const inv = r.ua.invites[0];
    if (inv === undefined) throw new Error('no INVITE');
    inv.handlers.onFinal(answer(inv.request, 200, { body: REMOTE_SDP }));
    const dialog = s.dialog;
    if (dialog === null) throw new Error('no dialog');
    const info = (cseq: number, body: string, type: string) => {
      const req = incomingInvite({ method: 'INFO', body, contentType: type, callId: dialog.id.callId, cseq, toTag: dialog.id.localTag });
      req.headers.set('From', `<sip:bob@example.test>;tag=${dialog.id.remoteTag}`);
      const ch = new Channel();
      r.layer.receiveRequest(req, ch);
      return ch.statuses;
    };
    expect(info(5, 'Signal=1\r\nDuration=160\r\n', 'application/dtmf-relay')).toEqual([200]);
    expect(info(6, '#', 'application/dtmf')).toEqual([200]);
    expect(info(7, '', '')).toEqual([200]);
    expect(info(8, 'Duration=160\r\n', 'application/dtmf-relay')).toEqual([400]);
    expect(keys).toEqual(['1', '#']);
    expect(s.state).toBe('confirmed');
  });
});
