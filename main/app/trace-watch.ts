/**
 * Issue 18: the wire trace goes to the renderer only while its diagnostics view watches. The view says
 * when it closes; a window that closes, reloads or whose renderer dies cannot, so main stops the feed then.
 */
import type { EventEmitter } from 'node:events';

export interface TraceWatchWindow extends Pick<EventEmitter, 'on'> {
  readonly webContents: Pick<EventEmitter, 'on'>;
}

export function unwatchTraceWithWindow(window: TraceWatchWindow, unwatch: () => void): void {
  window.on('closed', unwatch);
  // a reload (a main-frame navigation; in-page ones do not fire this) starts a page that has not asked to watch; a crashed renderer watches nothing
  window.webContents.on('did-navigate', unwatch);
  window.webContents.on('render-process-gone', unwatch);
}
