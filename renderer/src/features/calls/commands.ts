import type { CallId } from '#shared/domain/ids.ts';
import * as api from '../../bridge/api.ts';
import { actions } from '../../store/store.ts';
import { outcome } from '../outcome.ts';

const apply = (call: Parameters<ReturnType<typeof actions>['callChanged']>[0]) => actions().callChanged(call);

export const placeCall = (peer: string) =>
  outcome(api.placeCall({ accountId: null, peer }), (call) => {
    apply(call);
    actions().callFocused(call.id);
  });
export const answerCall = (callId: CallId) =>
  outcome(api.answerCall({ callId }), (call) => {
    apply(call);
    actions().callFocused(call.id);
  });
export const declineCall = (callId: CallId) => outcome(api.declineCall({ callId }));
export const hangUp = (callId: CallId) => outcome(api.hangUpCall({ callId }));
export const setMuted = (callId: CallId, muted: boolean) => outcome(api.setCallMuted({ callId, muted }), apply);
export const setHeld = (callId: CallId, held: boolean) => outcome(api.setCallHeld({ callId, held }), apply);
export const sendDtmf = (callId: CallId, digits: string) => outcome(api.sendDtmf({ callId, digits }));
export const sendInCallMessage = (callId: CallId, body: string) =>
  outcome(api.sendCallMessage({ callId, body }), (m) => actions().messageChanged(m));
