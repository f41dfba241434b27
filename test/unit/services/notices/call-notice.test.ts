/**
 * Call notices as settings → Notifications allows (issue 16): an incoming call brings the window forward
 * and is notified once; an unanswered call that rang is notified as missed; a declined or answered one
 * is not; with "Notify about incoming calls" off nothing is notified, but the window still comes forward.
 */
import { describe, expect, it } from 'vitest';
import { CallNoticeGate } from '../../../../main/services/notices/call-notice.ts';

type Ev = Parameters<CallNoticeGate['changed']>[0];
const ev = (id: string, state: Ev['state'], over: Partial<Ev> = {}): Ev => ({ id: id as Ev['id'], state, connectedAt: null, endReason: null, ...over });

describe('CallNoticeGate (issue 16: notify about incoming calls)', () => {
  it('on: incoming is brought forward and notified once; unanswered end is notified as missed', () => {
    const gate = new CallNoticeGate(() => ({ calls: true }));
    expect(gate.changed(ev('a', 'incoming'))).toEqual({ bringForward: true, notify: true });
    expect(gate.changed(ev('a', 'incoming'))).toEqual({ bringForward: false, notify: false });
    expect(gate.changed(ev('a', 'ended', { endReason: 'cancelled' }))).toEqual({ bringForward: false, notify: true });
  });

  it('declined by the user, answered, or our own outgoing call: no missed-call notice', () => {
    const gate = new CallNoticeGate(() => ({ calls: true }));
    gate.changed(ev('d', 'incoming'));
    expect(gate.changed(ev('d', 'ended', { endReason: 'declined' }))).toEqual({ bringForward: false, notify: false });
    gate.changed(ev('x', 'incoming'));
    gate.changed(ev('x', 'connected', { connectedAt: 1 as never }));
    expect(gate.changed(ev('x', 'ended', { connectedAt: 1 as never }))).toEqual({ bringForward: false, notify: false });
    expect(gate.changed(ev('o', 'ended'))).toEqual({ bringForward: false, notify: false });
  });

  it('off: nothing is notified, the ringing call still brings the window forward; read at each call', () => {
    let calls = false;
    const gate = new CallNoticeGate(() => ({ calls }));
    expect(gate.changed(ev('a', 'incoming'))).toEqual({ bringForward: true, notify: false });
    expect(gate.changed(ev('a', 'ended'))).toEqual({ bringForward: false, notify: false });
    calls = true;
    expect(gate.changed(ev('b', 'incoming'))).toEqual({ bringForward: true, notify: true });
  });
});
