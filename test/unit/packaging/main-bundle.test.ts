/**
 * The production main bundle (out/main/index.js) under Node 24 with a stand-in `electron` module
 * (test/support/electron-stand-in): it registers every contract channel, starts the storage worker from
 * the bundled path, opens a hardened window and quits cleanly (the process ends by itself).
 */
import { execFileSync, fork } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { invokeContract } from '#shared/ipc/contract.ts';

const root = join(import.meta.dirname, '..', '..', '..');
type Seen = { kind: string; channel?: string; url?: string; file?: string; prevented?: boolean; options?: Record<string, unknown> };
const seen: Seen[] = [];
let exitCode: number | null = null;
const userData = mkdtempSync(join(tmpdir(), 'main-bundle-'));
afterAll(() => rmSync(userData, { recursive: true, force: true }));

beforeAll(async () => {
  execFileSync(process.execPath, [join(root, 'node_modules', 'electron-vite', 'bin', 'electron-vite.js'), 'build', '--config', '.config/electron.vite.config.ts'], { cwd: root, stdio: 'ignore', env: { ...process.env, ELECTRON_SKIP_BINARY_DOWNLOAD: '1' } });
  const child = fork(join(root, 'out', 'main', 'index.js'), [], {
    cwd: root,
    execArgv: ['--import', join(root, 'test', 'support', 'electron-stand-in', 'register.mjs')],
    env: { ...process.env, STAND_IN_USER_DATA: userData, ELECTRON_RENDERER_URL: '' },
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
  child.on('message', (m: Seen) => {
    seen.push(m);
    if (m.kind === 'load') child.send('quit');
  });
  exitCode = await new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
}, 120_000);

describe('production main bundle with a stand-in electron', () => {
  it('registers a handler for every contract channel', () => {
    const handled = new Set(seen.filter((m) => m.kind === 'handle').map((m) => m.channel));
    expect([...handled].sort()).toEqual(expect.arrayContaining(Object.keys(invokeContract).sort()));
    expect(Object.keys(invokeContract).length).toBeGreaterThan(10);
  });

  it('starts the storage worker from the bundled path and opens the database in userData', () => {
    const workers = seen.filter((m) => m.kind === 'worker').map((m) => (m.url?.startsWith('file:') ? fileURLToPath(m.url) : (m.url ?? '')));
    expect(workers.length).toBeGreaterThanOrEqual(1);
    expect(workers.some((u) => u.includes('/out/main/') && /\.js$/.test(u) && existsSync(u))).toBe(true);
    expect(workers.some((u) => /\/main\/storage\/.*\.ts$/.test(u))).toBe(false);
    expect(existsSync(join(userData, 'messenger.db'))).toBe(true);
  });

  it('creates the window with the hardened options and loads the bundled renderer', () => {
    const windows = seen.filter((m) => m.kind === 'window');
    expect(windows).toHaveLength(1);
    expect(windows[0]!.options!.webPreferences).toMatchObject({
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      preload: join(root, 'out', 'preload', 'index.cjs'),
    });
    expect(existsSync(join(root, 'out', 'preload', 'index.cjs'))).toBe(true);
    expect(seen.find((m) => m.kind === 'load')?.file).toBe(join(root, 'out', 'renderer', 'index.html'));
  });

  it('quits cleanly: services disposed first, then the process ends by itself with code 0', () => {
    expect(seen.filter((m) => m.kind === 'quit').map((m) => m.prevented)).toEqual([true, false]);
    expect(exitCode).toBe(0);
  });
});
