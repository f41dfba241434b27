/** Dialogs and INVITE sessions (RFC 3261 §12-§15, RFC 3264, RFC 3428 §4). Other layers import from here. */
export type { DialogId } from './dialog-id.ts';
export { dialogIdKey, dialogIdOfIncomingRequest, dialogIdOfResponse } from './dialog-id.ts';
export { Dialog } from './dialog.ts';
export type { DialogState, DialogRole, DialogRequestOptions, RemoteCSeqCheck } from './dialog.ts';
export { DialogLayer } from './dialog-layer.ts';
export type { DialogUsage, PendingInvite, DialogLayerOptions } from './dialog-layer.ts';
export { InviteSession } from './invite-session.ts';
export type { OutgoingInvite } from './initial-invite.ts';
export { dialogUserAgent, attachDialogLayer } from './user-agent-adapter.ts';
export type { InviteSessionState, SessionEnd, InviteSessionEvents, InviteSessionOptions } from './invite-session-types.ts';
export { InDialogMessageSender } from './in-dialog-message.ts';
export type { InDialogMessageOutcome } from './in-dialog-message.ts';
export { SDP_TYPE } from './offer-answer.ts';
export type { OfferAnswer, OfferAnswerResult, AnswerApplyResult } from './offer-answer.ts';
export { TwoXxRetransmitter, twoXxInterval } from './two-xx-retransmitter.ts';
export { glareDelay } from './reinvite-client.ts';
export { ALLOW } from './server-invite.ts';
export type { DialogUserAgent, InviteHandlers, InviteHandle, ResponseChannel } from './user-agent-port.ts';
