/**
 * Transport-agnostic IPC dispatch: validates the request against the contract's schema, calls the handler,
 * and wraps the outcome in a Result envelope. It never throws. Electron's ipcMain (main/ipc/electron-ipc.ts)
 * and the renderer test host's WebSocket both call `dispatch`, so they serve exactly the same contract.
 */
import { invokeContract, type InvokeChannel, type RequestOf, type ResponseOf } from '#shared/ipc/contract.ts';
import { err, ok, type Result } from '#shared/ipc/result.ts';
import { ServiceError } from './service-error.ts';

export type IpcHandlers = {
  readonly [C in InvokeChannel]: (request: RequestOf<C>) => Promise<ResponseOf<C>> | ResponseOf<C>;
};

export interface IpcRouter {
  dispatch(channel: string, request: unknown): Promise<Result<unknown>>;
}

function isChannel(channel: string): channel is InvokeChannel {
  return Object.hasOwn(invokeContract, channel);
}

export function createIpcRouter(handlers: IpcHandlers, log: (message: string, error: unknown) => void = () => {}): IpcRouter {
  return {
    async dispatch(channel, request) {
      if (!isChannel(channel)) return err('unknown-channel', `No such request: ${channel}`);
      const checked = invokeContract[channel].request.check(request, 'request');
      if (!checked.ok) return err('invalid-request', checked.problem);
      try {
        const handler = handlers[channel] as (r: unknown) => Promise<unknown> | unknown;
        return ok(await handler(checked.value));
      } catch (e) {
        if (e instanceof ServiceError) return err(e.code, e.message);
        log(`ipc ${channel} failed`, e);
        return err('internal', 'Something went wrong inside the app; the details are in the log.');
      }
    },
  };
}
