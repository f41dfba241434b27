/** The one app window: context isolation, sandbox, no Node in the renderer. */
import { BrowserWindow, shell } from 'electron';
import { join } from 'node:path';
import { appPageMatcher } from './app-page.ts';
import { guardNavigation } from './security.ts';

export interface MainWindowOptions {
  readonly preloadPath: string;
  /** dev server URL (electron-vite dev) or null to load the built files */
  readonly devUrl: string | null;
  readonly rendererDir: string;
}

export function createMainWindow(options: MainWindowOptions): BrowserWindow {
  const window = new BrowserWindow({
    width: 1100,
    height: 720,
    minWidth: 720,
    minHeight: 480,
    show: false,
    title: 'SIP Messenger',
    webPreferences: {
      preload: options.preloadPath,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      spellcheck: true,
    },
  });
  const indexFile = join(options.rendererDir, 'index.html');
  const isAppUrl = appPageMatcher({ devUrl: options.devUrl, indexFile });
  guardNavigation(window.webContents, isAppUrl, (url) => void shell.openExternal(url));
  window.once('ready-to-show', () => window.show());
  if (options.devUrl) void window.loadURL(options.devUrl);
  else void window.loadFile(indexFile);
  return window;
}
