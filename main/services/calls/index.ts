/** The calls service (calls:* IPC, calls:call-changed). */
export { CallsService } from './calls-service.ts';
export type { CallsServiceOptions } from './calls-service.ts';
export { createCallHandlers } from './call-handlers.ts';
export type { CallHandlers, CallChannel } from './call-handlers.ts';
export { CallMessages, TEXT_PLAIN_UTF8 } from './call-messages.ts';
export { callStateOf, endReasonOf } from './call-dto.ts';
export type { CallAccount, CallAccounts, CallAudio, CallAudioPort, CallMedia, CallMessageStore, MediaOpenOptions, OpenMedia } from './call-ports.ts';
export { SessionSdp } from './session-sdp.ts';
export type { NegotiatedMedia, CallSession } from './session-sdp.ts';
