/**
 * Window security (Electron security checklist; Element Desktop): a strict CSP, no navigation away from
 * the app, no new windows, external links only through the OS for http(s)/mailto.
 */
import type { Session, WebContents } from 'electron';
import { isSafeExternalUrl } from './links.ts';
import { allowPermissionCheck, allowPermissionRequest } from './permissions.ts';

export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "media-src 'self' blob:",
  "worker-src 'self' blob:",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

/**
 * `npm run dev` only: React Fast Refresh needs one inline preamble script and the dev server's
 * WebSocket. Never used for the built app (`npm start`, installers).
 */
export function devContentSecurityPolicy(devUrl: string): string {
  const ws = devUrl.replace(/^http/, 'ws');
  return CONTENT_SECURITY_POLICY.replace("script-src 'self'", "script-src 'self' 'unsafe-inline'").replace(
    "connect-src 'self'",
    `connect-src 'self' ${ws}`,
  );
}

/** Sends the CSP as a response header for every page the session loads (the HTML carries it too). */
export function applyContentSecurityPolicy(session: Session, policy: string = CONTENT_SECURITY_POLICY): void {
  session.webRequest.onHeadersReceived((details, callback) => {
    callback({
      responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [policy] },
    });
  });
}

export interface PermissionGuard {
  /** our window's webContents, null while it is closed */
  readonly ownContents: () => WebContents | null;
  /** the exact URL of our page (app-page.ts) */
  readonly isAppUrl: (url: string) => boolean;
  /** a call is ringing or up (permissions.ts CallsInProgress) */
  readonly callInProgress: () => boolean;
}

/** Every permission is refused except the microphone for our page during a call (permissions.ts). */
export function guardPermissions(session: Session, guard: PermissionGuard): void {
  const ours = (contents: WebContents | null) => contents !== null && contents === guard.ownContents();
  session.setPermissionRequestHandler((contents, permission, callback, details) => {
    const mediaTypes = 'mediaTypes' in details ? (details.mediaTypes ?? []) : [];
    const ask = { permission, mediaTypes, fromOurWindow: ours(contents), isMainFrame: details.isMainFrame, requestingUrl: details.requestingUrl };
    callback(allowPermissionRequest(ask, guard.isAppUrl, guard.callInProgress()));
  });
  session.setPermissionCheckHandler((contents, permission, _origin, details) => {
    const ask = {
      permission,
      mediaTypes: details.mediaType === undefined ? [] : [details.mediaType],
      fromOurWindow: ours(contents),
      isMainFrame: details.isMainFrame,
      requestingUrl: details.requestingUrl ?? '',
    };
    return allowPermissionCheck(ask, guard.isAppUrl);
  });
}

export function guardNavigation(contents: WebContents, isAppUrl: (url: string) => boolean, openExternal: (url: string) => void): void {
  contents.on('will-navigate', (event, url) => {
    if (!isAppUrl(url)) {
      event.preventDefault();
      if (isSafeExternalUrl(url)) openExternal(url);
    }
  });
  contents.on('will-redirect', (event, url) => {
    if (!isAppUrl(url)) event.preventDefault();
  });
  contents.setWindowOpenHandler(({ url }) => {
    if (isSafeExternalUrl(url)) openExternal(url);
    return { action: 'deny' };
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());
}
