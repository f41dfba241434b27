import type { CallDto } from '#shared/domain/call.ts';
import type { CallId } from '#shared/domain/ids.ts';
import * as api from '../../bridge/api.ts';
import { actions } from '../../store/store.ts';
import { outcome } from '../outcome.ts';
import { liveCallWith } from './call-model.ts';

/** a reply's copy of the call, unless an event about it arrived after the request left */
const replied = <T>(request: () => Promise<T>) => {
  const mark = actions().snapshotMark();
  return { result: request(), apply: (call: CallDto) => actions().callReplied(call, mark) };
};

/**
 * Places a call, or brings forward the live call with that peer (issue 16 item 1: "Call" in a chat while
 * already in a call with that person must not start a second call).
 */
export const placeCall = (peer: string) => {
  const existing = liveCallWith(actions(), peer);
  if (existing !== null) {
    actions().callFocused(existing.id);
    return Promise.resolve({ ok: true as const, value: existing });
  }
  const r = replied(() => api.placeCall({ accountId: null, peer }));
  return outcome(r.result, (call) => {
    r.apply(call);
    actions().callFocused(call.id);
  });
};
export const answerCall = (callId: CallId) => {
  const r = replied(() => api.answerCall({ callId }));
  return outcome(r.result, (call) => {
    r.apply(call);
    actions().callFocused(call.id);
  });
};
export const declineCall = (callId: CallId) => outcome(api.declineCall({ callId }));
export const hangUp = (callId: CallId) => outcome(api.hangUpCall({ callId }));
export const setMuted = (callId: CallId, muted: boolean) => {
  const r = replied(() => api.setCallMuted({ callId, muted }));
  return outcome(r.result, r.apply);
};
export const setHeld = (callId: CallId, held: boolean) => {
  const r = replied(() => api.setCallHeld({ callId, held }));
  return outcome(r.result, r.apply);
};
export const sendDtmf = (callId: CallId, digits: string) => outcome(api.sendDtmf({ callId, digits }));
export const sendInCallMessage = (callId: CallId, body: string) =>
  outcome(api.sendCallMessage({ callId, body }), (m) => actions().messageChanged(m));
