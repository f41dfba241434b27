/** The application menu: standard roles plus Help links (opened in the OS browser). */
import { Menu, shell, type MenuItemConstructorOptions } from 'electron';

export function installMenu(): void {
  const template: MenuItemConstructorOptions[] = [
    ...(process.platform === 'darwin' ? [{ role: 'appMenu' as const }] : []),
    { role: 'fileMenu' },
    { role: 'editMenu' },
    { role: 'viewMenu' },
    { role: 'windowMenu' },
    {
      role: 'help',
      submenu: [{ label: 'RFC 3428: SIP instant messaging', click: () => void shell.openExternal('https://www.rfc-editor.org/rfc/rfc3428') }],
    },
  ];
  Menu.setApplicationMenu(Menu.buildFromTemplate(template));
}
