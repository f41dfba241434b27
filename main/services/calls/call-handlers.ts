/** The calls:* IPC handlers over the CallsService, for the composition root's handler table. */
import type { InvokeChannel } from '#shared/ipc/contract.ts';
import type { IpcHandlers } from '../../ipc/router.ts';
import type { CallsService } from './calls-service.ts';

export type CallChannel = Extract<InvokeChannel, `calls:${string}`>;
export type CallHandlers = Pick<IpcHandlers, CallChannel>;

export function createCallHandlers(calls: CallsService): CallHandlers {
  return {
    'calls:list': () => calls.listWithHistory(),
    'calls:place': ({ accountId, peer }) => calls.place(accountId, peer),
    'calls:answer': ({ callId }) => calls.answer(callId),
    'calls:decline': ({ callId }) => {
      calls.decline(callId);
      return null;
    },
    'calls:hang-up': ({ callId }) => {
      calls.hangUp(callId);
      return null;
    },
    'calls:set-muted': ({ callId, muted }) => calls.setMuted(callId, muted),
    'calls:set-held': ({ callId, held }) => calls.setHeld(callId, held),
    'calls:send-dtmf': ({ callId, digits }) => {
      calls.sendDtmf(callId, digits);
      return null;
    },
    'calls:send-message': ({ callId, body }) => calls.sendMessage(callId, body),
  };
}
