/** Tray icon with the unread count (tooltip + title on macOS; dock/taskbar badge where supported). */
import { app, Menu, nativeImage, Tray } from 'electron';
import { unreadLabel } from './badge.ts';

export interface AppTray {
  setUnread(count: number): void;
  destroy(): void;
}

export function createTray(iconPath: string, showWindow: () => void, quit: () => void): AppTray {
  const tray = new Tray(nativeImage.createFromPath(iconPath).resize({ width: 16, height: 16 }));
  tray.setContextMenu(
    Menu.buildFromTemplate([
      { label: 'Show SIP Messenger', click: showWindow },
      { type: 'separator' },
      { label: 'Quit', click: quit },
    ]),
  );
  tray.on('click', showWindow);
  const apply = (count: number) => {
    const label = unreadLabel(count);
    tray.setToolTip(label.tooltip);
    if (process.platform === 'darwin') tray.setTitle(label.badge);
    app.setBadgeCount(Math.max(0, count));
  };
  apply(0);
  return { setUnread: apply, destroy: () => tray.destroy() };
}
