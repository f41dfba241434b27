/**
 * Which page is ours (Electron security checklist #13 "disable or limit navigation" and #17 "validate the
 * sender of all IPC messages"): the exact URL of the bundled page (`file://…/renderer/index.html`) or, in
 * `npm run dev` only, the exact dev-server page. Pure (no `electron` import) so it is tested under Node.
 *
 * Refused, never thrown: any other file (a path that merely ends like ours, `file:///evil/renderer/
 * index.html`), another host or port, a query string, a malformed `%` escape, text that is no URL.
 */

export interface AppPage {
  /** dev server URL (electron-vite dev) or null for the built app */
  readonly devUrl: string | null;
  /** absolute path of the bundled index.html (what `loadFile` was given) */
  readonly indexFile: string;
  /** default process.platform: Windows paths compare case-insensitively, with `\` as `/` */
  readonly platform?: NodeJS.Platform;
}

function parse(url: string): URL | null {
  try {
    return new URL(url);
  } catch {
    return null;
  }
}

function decodePath(pathname: string): string | null {
  try {
    return decodeURIComponent(pathname);
  } catch {
    return null; // a malformed escape (`%zz`, a lone `%`, broken UTF-8) is no path of ours
  }
}

/** The file path a `file:` URL names (RFC 8089 §2), or null when it names none. */
function filePath(url: URL, windows: boolean): string | null {
  if (url.protocol !== 'file:' || url.host !== '') return null;
  const path = decodePath(url.pathname);
  if (path === null || path.includes('\0')) return null;
  // file:///C:/app/index.html names C:/app/index.html on Windows (RFC 8089 appendix E.2)
  return windows && /^\/[A-Za-z]:\//.test(path) ? path.slice(1) : path;
}

/** A matcher for the URL of our own page (fragment allowed: in-page anchors do not change the document). */
export function appPageMatcher(page: AppPage): (url: string) => boolean {
  const windows = (page.platform ?? process.platform) === 'win32';
  if (page.devUrl !== null) {
    const dev = parse(page.devUrl);
    if (dev === null) return () => false;
    const paths = new Set([dev.pathname, dev.pathname.replace(/\/?$/, '/') + 'index.html']);
    return (url) => {
      const u = parse(url);
      return u !== null && u.origin === dev.origin && u.origin !== 'null' && u.search === '' && u.username === '' && u.password === '' && paths.has(u.pathname);
    };
  }
  const norm = (p: string) => (windows ? p.replaceAll('\\', '/').toLowerCase() : p);
  const ours = norm(page.indexFile);
  return (url) => {
    const u = parse(url);
    if (u === null || u.search !== '') return false;
    const path = filePath(u, windows);
    return path !== null && norm(path) === ours;
  };
}

/** What the IPC check knows about one invoke (ipcMain.handle's event). */
export interface IpcSender {
  /** webContents id of our window, null when it is closed */
  readonly windowContentsId: number | null;
  readonly senderId: number;
  /** URL of the frame that sent it (event.senderFrame.url); undefined when the frame is gone */
  readonly frameUrl: string | undefined;
  /** the frame is the window's top frame (no parent) */
  readonly isMainFrame: boolean;
}

/** IPC sender check: only our window's top frame, showing exactly our page. */
export function isTrustedIpcSender(sender: IpcSender, isAppUrl: (url: string) => boolean): boolean {
  return (
    sender.windowContentsId !== null &&
    sender.senderId === sender.windowContentsId &&
    sender.isMainFrame &&
    sender.frameUrl !== undefined &&
    isAppUrl(sender.frameUrl)
  );
}
