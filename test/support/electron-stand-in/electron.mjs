// A stand-in for the `electron` module (issue 12): the production main bundle runs under plain Node with
// this in place of Electron; every call is recorded and sent to the test (process.send).
const record = (kind, data) => process.send?.({ kind, ...data });
const listeners = new Map();

/** Anything not modelled below: a callable, constructible object whose members are the same (never thenable). */
function anything(path) {
  const fn = function () {};
  return new Proxy(fn, {
    get: (_t, key) => (key === 'then' || typeof key === 'symbol' ? undefined : anything(`${path}.${String(key)}`)),
    apply: (_t, _this, args) => (record('call', { path, args: args.filter((a) => typeof a !== 'function' && typeof a !== 'object') }), anything(`${path}()`)),
    construct: () => anything(`new ${path}`),
  });
}
const withFallback = (path, known) =>
  new Proxy(known, { get: (t, key) => (key in t || typeof key === 'symbol' || key === 'then' ? t[key] : anything(`${path}.${String(key)}`)) });

export const app = withFallback('app', {
  whenReady: () => Promise.resolve(),
  isReady: () => true,
  getPath: () => process.env.STAND_IN_USER_DATA,
  getVersion: () => '0.1.0',
  getName: () => 'SIP Messenger',
  isPackaged: false,
  requestSingleInstanceLock: () => true,
  on(event, fn) {
    if (!listeners.has(event)) listeners.set(event, []);
    listeners.get(event).push(fn);
    return app;
  },
  once(event, fn) {
    return app.on(event, fn);
  },
  quit() {
    let prevented = false;
    const ev = { preventDefault: () => (prevented = true) };
    for (const fn of listeners.get('before-quit') ?? []) fn(ev);
    record('quit', { prevented });
    if (prevented) return;
    for (const fn of listeners.get('will-quit') ?? []) fn({ preventDefault: () => {} });
    // like Electron after will-quit: the test sees the process end; with the IPC channel closed, it ends
    // by itself only if the app closed everything it opened (sockets, storage worker, timers)
    process.disconnect?.();
  },
  exit: (code) => process.exit(code),
});

process.on('message', (m) => m === 'quit' && app.quit());

export const ipcMain = withFallback('ipcMain', {
  handle: (channel) => record('handle', { channel }),
  on: (channel) => record('ipc-on', { channel }),
  removeHandler: () => {},
});

export class BrowserWindow {
  static getAllWindows = () => [];
  constructor(options) {
    record('window', { options: JSON.parse(JSON.stringify(options ?? {})) });
    return withFallback('window', {
      webContents: withFallback('webContents', { id: 1, on: () => {}, setWindowOpenHandler: () => {}, send: () => {} }),
      on: () => {},
      once: (event, fn) => (event === 'ready-to-show' ? setImmediate(fn) : undefined),
      loadFile: (file) => (record('load', { file }), Promise.resolve()),
      loadURL: (url) => (record('load', { url }), Promise.resolve()),
      isMinimized: () => false,
      isDestroyed: () => false,
    });
  }
}

export const safeStorage = {
  isAsyncEncryptionAvailable: async () => true,
  encryptStringAsync: async (s) => Buffer.from(s).reverse(),
  decryptStringAsync: async (b) => ({ shouldReEncrypt: false, result: Buffer.from(b).reverse().toString() }),
  getSelectedStorageBackend: () => 'gnome_libsecret',
};
export const session = { defaultSession: anything('session.defaultSession') };
export const shell = anything('shell');
export const Menu = anything('Menu');
export const dialog = anything('dialog');
export const nativeImage = anything('nativeImage');
export const Tray = anything('Tray');
export const Notification = Object.assign(anything('Notification'), {});
export const MessageChannelMain = anything('MessageChannelMain');
export const contextBridge = anything('contextBridge');
export const ipcRenderer = anything('ipcRenderer');
// values a real Electron returns as plain data: a desk where the user is active and online
export const powerMonitor = withFallback('powerMonitor', {
  getSystemIdleTime: () => (record('call', { path: 'powerMonitor.getSystemIdleTime', args: [] }), 0),
  getSystemIdleState: (threshold) => (record('call', { path: 'powerMonitor.getSystemIdleState', args: [threshold] }), 'active'),
});
export const net = withFallback('net', { isOnline: () => (record('call', { path: 'net.isOnline', args: [] }), true) });
export default { app, ipcMain, BrowserWindow, safeStorage, session, shell, Menu, dialog, nativeImage, Tray, Notification, MessageChannelMain, powerMonitor, net };
