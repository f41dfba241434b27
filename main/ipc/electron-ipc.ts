/**
 * Binds the IPC router to Electron's ipcMain: one handler per contract channel, each checking that the
 * sender is our own window showing our own page (GitHub Desktop / Electron security checklist #17).
 */
import { ipcMain, type IpcMainInvokeEvent, type WebContents } from 'electron';
import { eventNames, invokeChannels } from '#shared/ipc/contract.ts';
import { err } from '#shared/ipc/result.ts';
import type { EventBus } from './event-bus.ts';
import type { IpcRouter } from './router.ts';

export function registerIpc(
  router: IpcRouter,
  isTrustedSender: (event: IpcMainInvokeEvent) => boolean,
): () => void {
  for (const channel of invokeChannels) {
    ipcMain.handle(channel, (event, request: unknown) => {
      if (!isTrustedSender(event)) return err('forbidden', 'Request from an unknown page refused.');
      return router.dispatch(channel, request);
    });
  }
  return () => {
    for (const channel of invokeChannels) ipcMain.removeHandler(channel);
  };
}

/** Forwards every contract event to the window's renderer. */
export function forwardEvents(bus: EventBus, target: () => WebContents | null): () => void {
  const allowed = new Set<string>(eventNames);
  return bus.subscribe((event, payload) => {
    const contents = target();
    if (contents && !contents.isDestroyed() && allowed.has(event)) contents.send(event, payload);
  });
}
