/**
 * Browser side of the test host: a MessengerApi over the host's WebSocket, installed as
 * window.messenger before the renderer starts. The only difference from the app is this transport.
 */
import {
  API_GLOBAL,
  eventNames,
  invokeChannels,
  type EventMap,
  type EventName,
  type InvokeChannel,
  type MessengerApi,
  type RequestOf,
  type ResponseOf,
} from '../../shared/ipc/contract.ts';
import { err, type Result } from '../../shared/ipc/result.ts';
import { IPC_PATH, parseHostFrame } from './protocol.ts';

const invokeAllowed = new Set<string>(invokeChannels);
const eventAllowed = new Set<string>(eventNames);

export function createWsMessengerApi(url: string): MessengerApi {
  const socket = new WebSocket(url);
  const pending = new Map<number, (r: Result<unknown>) => void>();
  const listeners = new Map<string, Set<(payload: unknown) => void>>();
  const queue: string[] = [];
  let nextId = 1;

  socket.addEventListener('open', () => {
    for (const text of queue.splice(0)) socket.send(text);
  });
  socket.addEventListener('message', (e: MessageEvent) => {
    if (typeof e.data !== 'string') return;
    const frame = parseHostFrame(e.data);
    if (frame === null) return;
    if ('id' in frame) {
      pending.get(frame.id)?.(frame.result);
      pending.delete(frame.id);
    } else {
      for (const l of listeners.get(frame.event) ?? []) l(frame.payload);
    }
  });
  socket.addEventListener('close', () => {
    for (const resolve of pending.values()) resolve(err('ipc-failed', 'The app did not answer; please try again.'));
    pending.clear();
  });

  return {
    invoke<C extends InvokeChannel>(channel: C, request: RequestOf<C>): Promise<Result<ResponseOf<C>>> {
      if (!invokeAllowed.has(channel)) return Promise.resolve(err('unknown-channel', `No such request: ${String(channel)}`));
      if (socket.readyState === WebSocket.CLOSED || socket.readyState === WebSocket.CLOSING) {
        return Promise.resolve(err('ipc-failed', 'The app did not answer; please try again.'));
      }
      const id = nextId++;
      const text = JSON.stringify({ id, channel, request });
      return new Promise((resolve) => {
        pending.set(id, resolve as (r: Result<unknown>) => void);
        if (socket.readyState === WebSocket.OPEN) socket.send(text);
        else queue.push(text);
      });
    },
    on<E extends EventName>(event: E, listener: (payload: EventMap[E]) => void): () => void {
      if (!eventAllowed.has(event)) throw new Error(`No such event: ${String(event)}`);
      const set = listeners.get(event) ?? new Set();
      const wrapped = (payload: unknown) => listener(payload as EventMap[E]);
      set.add(wrapped);
      listeners.set(event, set);
      return () => {
        set.delete(wrapped);
      };
    },
  };
}

/** Installs the bridge as window.messenger, talking to the page's own origin. */
export function installWsBridge(): void {
  const scheme = location.protocol === 'https:' ? 'wss' : 'ws';
  const api = createWsMessengerApi(`${scheme}://${location.host}${IPC_PATH}`);
  Object.defineProperty(globalThis, API_GLOBAL, { value: Object.freeze(api), writable: false, configurable: false });
}
