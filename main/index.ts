/**
 * Composition root of the Electron main process: single instance, services, IPC, window, tray, menu,
 * protocol links. Everything with logic lives in services/ and sip/ and is tested under plain Node.
 */
import { app, BrowserWindow, powerMonitor, safeStorage, session } from 'electron';
import { join } from 'node:path';
import iconPath from './app/assets/icon.png?asset';
import { createElectronCallAudio } from './app/call-audio.ts';
import { watchIdle } from './app/idle.ts';
import { installMenu } from './app/menu.ts';
import { electronNetworkEvents } from './app/network-events.ts';
import { checkForUpdatesInteractively, createAppUpdateChecker } from './app/updates.ts';
import { callNotice } from './app/notice-text.ts';
import { CallNoticeGate } from './services/notices/call-notice.ts';
import { notify } from './app/notifications.ts';
import { onProtocolLinks, registerProtocolHandlers } from './app/protocol.ts';
import { appPageMatcher, isTrustedIpcSender } from './app/app-page.ts';
import { CallsInProgress } from './app/permissions.ts';
import { applyContentSecurityPolicy, devContentSecurityPolicy, guardPermissions } from './app/security.ts';
import { createTray, type AppTray } from './app/tray.ts';
import { createMainWindow } from './app/window.ts';
import { forwardEvents, registerIpc } from './ipc/electron-ipc.ts';
import { createIpcRouter } from './ipc/router.ts';
import { createAppServices } from './services/app-services.ts';
import { safeStorageSecretStore } from './services/secret-store.ts';
import storageWorker from './storage/worker.ts?modulePath';
import { unwatchTraceWithWindow } from './app/trace-watch.ts';

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  void main();
}

async function main(): Promise<void> {
  registerProtocolHandlers();
  let window: BrowserWindow | null = null;
  let tray: AppTray | null = null;
  const pendingAddresses: string[] = [];
  const devUrl = process.env['ELECTRON_RENDERER_URL'] ?? null;
  const showWindow = () => {
    if (!window) return;
    if (window.isMinimized()) window.restore();
    window.show();
    window.focus();
  };
  let openAddress = (address: string) => void pendingAddresses.push(address);
  const launchAddress = onProtocolLinks((address) => {
    openAddress(address);
    showWindow();
  });
  if (launchAddress) pendingAddresses.push(launchAddress);

  const rendererDir = join(import.meta.dirname, '../renderer');
  // the exact URL of our page: navigation, IPC and permissions all compare against it (app-page.ts)
  const isAppUrl = appPageMatcher({ devUrl, indexFile: join(rendererDir, 'index.html') });
  const ownContents = () => (window && !window.isDestroyed() ? window.webContents : null);
  const callsInProgress = new CallsInProgress();

  await app.whenReady();
  applyContentSecurityPolicy(session.defaultSession, devUrl ? devContentSecurityPolicy(devUrl) : undefined);
  // the microphone only for our page and only while a call rings or is up; nothing else (permissions.ts)
  guardPermissions(session.defaultSession, { ownContents, isAppUrl, callInProgress: () => callsInProgress.any });
  const updates = createAppUpdateChecker();
  installMenu({ onCheckForUpdates: updates.enabled ? () => void checkForUpdatesInteractively(updates) : null });

  const services = await createAppServices({
    dataDir: app.getPath('userData'),
    secrets: safeStorageSecretStore(safeStorage),
    storageWorkerUrl: storageWorker,
    appVersion: app.getVersion(),
    // call audio: the window's microphone and speakers over a MessagePort per call (issue 6)
    audio: createElectronCallAudio(() => window?.webContents),
    // resume from sleep / back online: register again at once (issue 11)
    network: electronNetworkEvents(),
  });
  const router = createIpcRouter(services.handlers, (message, error) => console.error(message, error));
  services.events.on('calls:call-changed', (call) => callsInProgress.update(call));
  registerIpc(router, (event) =>
    isTrustedIpcSender(
      { windowContentsId: ownContents()?.id ?? null, senderId: event.sender.id, frameUrl: event.senderFrame?.url, isMainFrame: event.senderFrame?.parent === null },
      isAppUrl,
    ),
  );
  forwardEvents(services.events, () => window?.webContents ?? null);

  const openWindow = () => {
    window = createMainWindow({
      preloadPath: join(import.meta.dirname, '../preload/index.cjs'),
      devUrl,
      rendererDir,
    });
    window.on('closed', () => (window = null));
    unwatchTraceWithWindow(window, () => services.sip.unwatchTrace());
  };
  openWindow();

  tray = createTray(iconPath, showWindow, () => app.quit());
  const focused = () => window?.isFocused() ?? false;
  services.events.on('chats:conversation-changed', () => tray?.setUnread(services.unreadCount()));
  services.events.on('chats:message-received', () => tray?.setUnread(services.unreadCount()));
  // coalesced and rate-limited in main/services/notices (issue 10): one notice per interval, never one per message
  services.notices.setSuppressed(focused);
  services.notices.onNotice((notice) => {
    notify(focused(), {
      title: notice.title,
      body: notice.body,
      onClick: () => {
        showWindow();
        if (notice.conversationId !== null) services.events.emit('app:address-opened', { conversationId: notice.conversationId });
      },
    });
  });
  // incoming and missed calls (main/services/notices/call-notice.ts), as settings → Notifications allows
  const callNotices = new CallNoticeGate(() => services.notificationSettings.get());
  services.events.on('calls:call-changed', (call) => {
    const decision = callNotices.changed(call);
    if (decision.bringForward && window) {
      // the incoming call panel takes focus in the page; the OS window comes forward and asks for attention
      if (window.isMinimized()) window.restore();
      window.showInactive();
      window.flashFrame(true);
    }
    if (!decision.notify) return;
    void Promise.resolve(services.handlers['contacts:list'](null))
      .then((contacts) => notify(focused(), { ...callNotice(call, contacts), onClick: showWindow }))
      .catch((err: unknown) => console.error('notification failed', err));
  });

  // presence: away after 5 minutes without input or with the screen locked (RFC 3856 via PUBLISH)
  const stopIdle = watchIdle(powerMonitor, (idle) => services.presence.setIdle(idle));
  app.on('will-quit', stopIdle);

  openAddress = (address) => void services.openAddress(address);
  for (const address of pendingAddresses.splice(0)) openAddress(address);

  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) openWindow();
  });
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });
  let disposed = false;
  app.on('before-quit', (event) => {
    if (disposed) return;
    // unregister and flush storage before leaving (RFC 3261 §10.2.2: expires=0 on quit)
    event.preventDefault();
    disposed = true;
    tray?.destroy();
    void services.dispose().finally(() => app.quit());
  });
}
