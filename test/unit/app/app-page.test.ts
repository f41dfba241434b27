import type { WebContents } from 'electron';
import { describe, expect, it } from 'vitest';
import { appPageMatcher, isTrustedIpcSender } from '../../../main/app/app-page.ts';

const INDEX = '/opt/SIP Messenger/resources/app.asar/out/renderer/index.html';
const OURS = 'file:///opt/SIP%20Messenger/resources/app.asar/out/renderer/index.html';

describe('our page: the built app (file URL of the bundled index.html)', () => {
  const isApp = appPageMatcher({ devUrl: null, indexFile: INDEX, platform: 'linux' });

  it('accepts exactly our page, with or without a fragment', () => {
    expect(isApp(OURS)).toBe(true);
    expect(isApp(`${OURS}#/chats`)).toBe(true);
    // how Electron's loadFile spells it before Chromium canonicalises the space
    expect(isApp('file:///opt/SIP Messenger/resources/app.asar/out/renderer/index.html')).toBe(true);
  });

  it('refuses a path that merely ends like ours, another file, a query, a host', () => {
    for (const url of [
      'file:///tmp/evil/opt/SIP%20Messenger/resources/app.asar/out/renderer/index.html',
      'file:///evil/renderer/index.html',
      'file:///opt/SIP%20Messenger/resources/app.asar/out/renderer/index.html.evil',
      'file:///opt/SIP%20Messenger/resources/app.asar/out/renderer/other.html',
      'file:///opt/SIP%20Messenger/resources/app.asar/out/renderer/../renderer/x/../index.htm',
      `${OURS}?next=https://evil.example`,
      'file://evil.example/opt/SIP%20Messenger/resources/app.asar/out/renderer/index.html',
      'https://evil.example/opt/SIP%20Messenger/resources/app.asar/out/renderer/index.html',
      'about:blank',
      '',
    ]) {
      expect(isApp(url), url).toBe(false);
    }
  });

  it('refuses a malformed % escape or a NUL without throwing', () => {
    for (const url of [
      'file:///opt/SIP%20Messenger/resources/app.asar/out/renderer/index.html%',
      'file:///opt/SIP%zzMessenger/resources/app.asar/out/renderer/index.html',
      'file:///opt/SIP%E0%A4%A/index.html',
      'file:///opt/SIP%20Messenger/resources/app.asar/out/renderer/index.html%00',
      'not a url at all %',
      '%',
    ]) {
      expect(() => isApp(url)).not.toThrow();
      expect(isApp(url), url).toBe(false);
    }
  });

  it('on Windows, the drive path compares without case and with either slash', () => {
    const win = appPageMatcher({ devUrl: null, indexFile: 'C:\\Program Files\\SIP Messenger\\resources\\app.asar\\out\\renderer\\index.html', platform: 'win32' });
    expect(win('file:///C:/Program%20Files/SIP%20Messenger/resources/app.asar/out/renderer/index.html')).toBe(true);
    expect(win('file:///c:/program%20files/SIP%20Messenger/resources/app.asar/out/renderer/INDEX.html')).toBe(true);
    expect(win('file:///D:/Program%20Files/SIP%20Messenger/resources/app.asar/out/renderer/index.html')).toBe(false);
    expect(win('file:///C:/evil/Program%20Files/SIP%20Messenger/resources/app.asar/out/renderer/index.html')).toBe(false);
  });
});

describe('our page: npm run dev (the dev server page only)', () => {
  const isApp = appPageMatcher({ devUrl: 'http://localhost:5173', indexFile: INDEX, platform: 'linux' });

  it('accepts the dev page, refuses look-alike origins and other pages', () => {
    expect(isApp('http://localhost:5173/')).toBe(true);
    expect(isApp('http://localhost:5173/index.html#x')).toBe(true);
    for (const url of [
      'http://localhost:5173.evil.example/',
      'http://localhost:51730/',
      'https://localhost:5173/',
      'http://user@localhost:5173/',
      'http://localhost:5173/evil.html',
      'http://localhost:5173/?x=1',
      OURS, // the built page is not ours in dev
    ]) {
      expect(isApp(url), url).toBe(false);
    }
  });

  it('a dev URL that is no URL accepts nothing', () => {
    expect(appPageMatcher({ devUrl: '%', indexFile: INDEX })('http://localhost:5173/')).toBe(false);
  });
});

describe('IPC sender check', () => {
  const isApp = appPageMatcher({ devUrl: null, indexFile: INDEX, platform: 'linux' });
  const ok = { windowContentsId: 7, senderId: 7, frameUrl: OURS, isMainFrame: true };

  it('accepts our window top frame showing our page', () => {
    expect(isTrustedIpcSender(ok, isApp)).toBe(true);
  });

  it('refuses another webContents, a sub-frame, another page, a gone frame or a closed window', () => {
    expect(isTrustedIpcSender({ ...ok, senderId: 8 }, isApp)).toBe(false);
    expect(isTrustedIpcSender({ ...ok, isMainFrame: false }, isApp)).toBe(false);
    expect(isTrustedIpcSender({ ...ok, frameUrl: 'file:///tmp/x/renderer/index.html' }, isApp)).toBe(false);
    expect(isTrustedIpcSender({ ...ok, frameUrl: `${OURS}%` }, isApp)).toBe(false);
    expect(isTrustedIpcSender({ ...ok, frameUrl: undefined }, isApp)).toBe(false);
    expect(isTrustedIpcSender({ ...ok, windowContentsId: null }, isApp)).toBe(false);
  });
});

describe('guardNavigation with our matcher', async () => {
  const { guardNavigation } = await import('../../../main/app/security.ts');
  type Listener = (event: { preventDefault(): void }, url: string) => void;
  const listeners = new Map<string, Listener>();
  const contents = {
    on: (name: string, fn: Listener) => listeners.set(name, fn),
    setWindowOpenHandler: () => undefined,
  } as unknown as WebContents;
  const opened: string[] = [];
  guardNavigation(contents, appPageMatcher({ devUrl: null, indexFile: INDEX, platform: 'linux' }), (url) => opened.push(url));
  const navigate = (name: string, url: string) => {
    let prevented = false;
    listeners.get(name)?.({ preventDefault: () => (prevented = true) }, url);
    return prevented;
  };

  it('lets our page reload, stops look-alikes and malformed URLs without throwing, opens web links outside', () => {
    expect(navigate('will-navigate', OURS)).toBe(false);
    expect(navigate('will-navigate', 'file:///tmp/x/opt/SIP%20Messenger/resources/app.asar/out/renderer/index.html')).toBe(true);
    expect(navigate('will-navigate', `${OURS}%`)).toBe(true);
    expect(navigate('will-redirect', 'file:///etc/passwd')).toBe(true);
    expect(navigate('will-navigate', 'https://example.com/')).toBe(true);
    expect(opened).toEqual(['https://example.com/']);
  });
});
