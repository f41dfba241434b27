/** The application menu: standard roles plus Help links (opened in the OS browser). */
import { Menu, shell, type MenuItemConstructorOptions } from 'electron';

export interface MenuOptions {
  /** null when no update feed is configured: the item is shown disabled */
  readonly onCheckForUpdates: (() => void) | null;
}

export function installMenu(options: MenuOptions = { onCheckForUpdates: null }): void {
  const checkForUpdates: MenuItemConstructorOptions = {
    label: 'Check for Updates…',
    enabled: options.onCheckForUpdates !== null,
    click: () => options.onCheckForUpdates?.(),
  };
  const template: MenuItemConstructorOptions[] = [
    ...(process.platform === 'darwin' ? [{ role: 'appMenu' as const }] : []),
    { role: 'fileMenu' },
    { role: 'editMenu' },
    { role: 'viewMenu' },
    { role: 'windowMenu' },
    {
      role: 'help',
      submenu: [
        checkForUpdates,
        { type: 'separator' },
        { label: 'RFC 3428: SIP instant messaging', click: () => void shell.openExternal('https://www.rfc-editor.org/rfc/rfc3428') },
      ],
    },
  ];
  Menu.setApplicationMenu(Menu.buildFromTemplate(template));
}
