/** Shared set-up for the INVITE session tests: a FakeUa, a DialogLayer, a FakeClock and recorded events. */
import { expect } from 'vitest';
import { DialogLayer, InviteSession } from '../../../../main/sip/dialog/index.ts';
import type { InviteSessionEvents, InviteSessionOptions, SessionEnd } from '../../../../main/sip/dialog/index.ts';
import { SessionSdp, type NegotiatedMedia } from '../../../../main/services/calls/session-sdp.ts';
import { FakeClock } from '../../../support/fake-clock.ts';
import { answer, FakeUa, REMOTE_SDP } from './fake-ua.ts';

export interface Rig {
  readonly ua: FakeUa;
  readonly layer: DialogLayer;
  readonly clock: FakeClock;
  readonly media: NegotiatedMedia[];
  readonly ends: SessionEnd[];
  readonly states: string[];
  readonly messages: string[];
  readonly events: InviteSessionEvents<NegotiatedMedia>;
}

export function rig(): Rig {
  const media: NegotiatedMedia[] = [];
  const ends: SessionEnd[] = [];
  const states: string[] = [];
  const messages: string[] = [];
  return {
    ua: new FakeUa(),
    layer: new DialogLayer({ onIncomingInvite: () => {} }),
    clock: new FakeClock(),
    media,
    ends,
    states,
    messages,
    events: {
      onMedia: (m) => media.push(m),
      onTerminated: (e) => ends.push(e),
      onState: (s) => states.push(s),
      onMessage: (r) => {
        messages.push(r.body.toString());
        return 200;
      },
    },
  };
}

/** the offer/answer is main/media's, through the calls service's SessionSdp (the SIP stack stays SDP-agnostic) */
export function options(r: Rig): InviteSessionOptions<NegotiatedMedia> {
  return { ua: r.ua, layer: r.layer, clock: r.clock, localContact: '<sip:alice@127.0.0.1:5060>', sdp: new SessionSdp({ address: '127.0.0.1', port: 30000 }), events: r.events, random: () => 0 };
}

export function call(r: Rig): InviteSession<NegotiatedMedia> {
  return InviteSession.invite(options(r), { target: 'sip:bob@example.test', from: { uri: 'sip:alice@example.test', displayName: 'Alice' } });
}

/** UAC: ring then answer */
export function connect(r: Rig, s: InviteSession<NegotiatedMedia>, recordRoute = ['<sip:10.0.0.1;lr>']) {
  const inv = r.ua.invites[0];
  if (inv === undefined) throw new Error('no INVITE');
  inv.handlers.onProvisional(answer(inv.request, 180, { recordRoute }));
  const ok = answer(inv.request, 200, { body: REMOTE_SDP, recordRoute });
  inv.handlers.onFinal(ok);
  expect(s.state).toBe('confirmed');
  return { inv, ok };
}

