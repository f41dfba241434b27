/**
 * Browser side of the test host: an ipcRenderer-like transport over the host's WebSocket, wrapped by the
 * app's own preload API (main/preload/api.ts) and installed as window.messenger before the renderer starts.
 * So the allowlist and the Result envelope are the preload's own code; only the transport differs.
 */
import { API_GLOBAL } from '#shared/ipc/contract.ts';
import { err } from '#shared/ipc/result.ts';
import { createPreloadApi, type IpcRendererLike } from '../../main/preload/api.ts';
import { IPC_PATH, parseHostFrame } from './protocol.ts';

type Listener = (event: unknown, ...args: unknown[]) => void;

export function createWsIpc(url: string): IpcRendererLike {
  const socket = new WebSocket(url);
  const pending = new Map<number, (value: unknown) => void>();
  const listeners = new Map<string, Set<Listener>>();
  const queue: string[] = [];
  let nextId = 1;
  const closed = () => err('ipc-failed', 'The app did not answer; please try again.');

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
      for (const l of listeners.get(frame.event) ?? []) l({}, frame.payload);
    }
  });
  socket.addEventListener('close', () => {
    for (const resolve of pending.values()) resolve(closed());
    pending.clear();
  });

  return {
    invoke(channel, request) {
      if (socket.readyState === WebSocket.CLOSED || socket.readyState === WebSocket.CLOSING) return Promise.resolve(closed());
      const id = nextId++;
      const text = JSON.stringify({ id, channel, request });
      return new Promise((resolve) => {
        pending.set(id, resolve);
        if (socket.readyState === WebSocket.OPEN) socket.send(text);
        else queue.push(text);
      });
    },
    on(channel, listener) {
      const set = listeners.get(channel) ?? new Set();
      set.add(listener);
      listeners.set(channel, set);
    },
    removeListener(channel, listener) {
      listeners.get(channel)?.delete(listener);
    },
  };
}

/** Installs the bridge as window.messenger, talking to the page's own origin. */
export function installWsBridge(): void {
  const scheme = location.protocol === 'https:' ? 'wss' : 'ws';
  const api = createPreloadApi(createWsIpc(`${scheme}://${location.host}${IPC_PATH}`));
  Object.defineProperty(globalThis, API_GLOBAL, { value: Object.freeze(api), writable: false, configurable: false });
}
