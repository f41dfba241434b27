/**
 * The object the preload exposes, built from the contract only. `ipc` is Electron's ipcRenderer in the
 * app (typed structurally here so this file can be tested without Electron).
 */
import {
  eventNames,
  invokeChannels,
  type EventMap,
  type EventName,
  type InvokeChannel,
  type MessengerApi,
  type RequestOf,
  type ResponseOf,
} from '#shared/ipc/contract.ts';
import { err, type Result } from '#shared/ipc/result.ts';

export interface IpcRendererLike {
  invoke(channel: string, ...args: unknown[]): Promise<unknown>;
  on(channel: string, listener: (event: unknown, ...args: unknown[]) => void): unknown;
  removeListener(channel: string, listener: (event: unknown, ...args: unknown[]) => void): unknown;
}

const invokeAllowed = new Set<string>(invokeChannels);
const eventAllowed = new Set<string>(eventNames);

export function createPreloadApi(ipc: IpcRendererLike): MessengerApi {
  return {
    async invoke<C extends InvokeChannel>(channel: C, request: RequestOf<C>): Promise<Result<ResponseOf<C>>> {
      if (!invokeAllowed.has(channel)) return err('unknown-channel', `No such request: ${String(channel)}`);
      try {
        return (await ipc.invoke(channel, request)) as Result<ResponseOf<C>>;
      } catch {
        return err('ipc-failed', 'The app did not answer; please try again.');
      }
    },
    on<E extends EventName>(event: E, listener: (payload: EventMap[E]) => void): () => void {
      if (!eventAllowed.has(event)) throw new Error(`No such event: ${String(event)}`);
      const wrapped = (_event: unknown, payload: unknown) => listener(payload as EventMap[E]);
      ipc.on(event, wrapped);
      return () => {
        ipc.removeListener(event, wrapped);
      };
    },
  };
}
