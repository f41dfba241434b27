/**
 * The built app, checked without Electron's binary (one build for both parts: tests in one file never race
 * on out/).
 * 1. `electron-builder --dir` against a stand-in Electron folder made here (no download): the unpacked app,
 * its fuses flipped in the (stand-in) binary, and what app.asar holds.
 * 2. The production main bundle (out/main/index.js) under Node 24 with a stand-in `electron` module
 *    (test/support/electron-stand-in): every contract channel handled, the storage worker started from the
 *    bundled path, a hardened window, and a clean quit (the process ends by itself).
 */
import { execFileSync, fork } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { invokeContract } from '#shared/ipc/contract.ts';

const root = join(import.meta.dirname, '..', '..', '..');
const asar = createRequire(import.meta.url)('@electron/asar') as { listPackage(path: string): string[]; extractFile(archive: string, file: string): Buffer };
const SENTINEL = 'dL7pKGdnNz796PbbjQWNKmHXBZaB9tsX'; // @electron/fuses' marker before the fuse wire
const ASAR_BUDGET = 45 * 1024 * 1024;
const work = mkdtempSync(join(tmpdir(), 'unpacked-app-'));
const unpacked = join(work, 'release', 'linux-unpacked');
let files: string[] = [];
let builtOk!: () => void;
const built = new Promise<void>((r) => (builtOk = r));
afterAll(() => rmSync(work, { recursive: true, force: true }));

beforeAll(() => {
  const dist = join(work, 'electron-dist');
  mkdirSync(join(dist, 'resources'), { recursive: true });
  // Electron 45's wire: RunAsNode 1, cookie encryption 0, NODE_OPTIONS 1, --inspect 1, asar integrity 0, only asar 0, …
  writeFileSync(join(dist, 'electron'), Buffer.concat([Buffer.from('#!/bin/sh\n'), Buffer.from(SENTINEL), Buffer.from([1, 8]), Buffer.from('10110001\n')]));
  chmodSync(join(dist, 'electron'), 0o755);
  writeFileSync(join(dist, 'version'), '45.4.1');
  const env = { ...process.env, ELECTRON_SKIP_BINARY_DOWNLOAD: '1' };
  execFileSync(process.execPath, [join(root, 'node_modules', 'electron-vite', 'bin', 'electron-vite.js'), 'build', '--config', '.config/electron.vite.config.ts'], { cwd: root, stdio: 'ignore', env });
  execFileSync(
    process.execPath,
    [join(root, 'node_modules', 'electron-builder', 'cli.js'), '--dir', '--linux', '--config', 'electron-builder.yml', `-c.electronDist=${dist}`, `-c.directories.output=${join(work, 'release')}`],
    { cwd: root, stdio: 'ignore', env },
  );
  files = asar.listPackage(join(unpacked, 'resources', 'app.asar'));
  builtOk();
}, 300_000);

describe('electron-builder --dir with a stand-in Electron', () => {
  it('produces the unpacked app with the fuses flipped', () => {
    const binary = readFileSync(join(unpacked, 'sip-messenger'));
    const at = binary.indexOf(SENTINEL) + SENTINEL.length + 2;
    // RunAsNode off, cookie encryption on, NODE_OPTIONS off, --inspect off, asar integrity on, only from asar on
    expect(binary.subarray(at, at + 6).toString()).toBe('010011');
  });

  it('app.asar holds the main bundle, storage worker, preload and renderer', () => {
    expect(files).toContain('/out/main/index.js');
    expect(files.some((f) => /^\/out\/main\/chunks\/worker-[\w-]+\.js$/.test(f))).toBe(true);
    expect(files).toContain('/out/preload/index.cjs');
    expect(files).toContain('/out/renderer/index.html');
    expect(files.some((f) => /^\/out\/renderer\/assets\/index-[\w-]+\.js$/.test(f))).toBe(true);
  });

  it('no devDependencies, tests, sources, source maps or fixtures; under the size budget', () => {
    const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { devDependencies: Record<string, string> };
    for (const dev of Object.keys(pkg.devDependencies)) expect(files).not.toContain(`/node_modules/${dev}`);
    expect(files.filter((f) => f.endsWith('.map'))).toEqual([]);
    expect(files.filter((f) => /^\/(test|bench|main|renderer|shared|scripts)\//.test(f))).toEqual([]);
    expect(files.filter((f) => /fixtures/.test(f))).toEqual([]);
    const size = statSync(join(unpacked, 'resources', 'app.asar')).size;
    expect(size).toBeLessThan(ASAR_BUDGET);
    expect(existsSync(join(unpacked, 'resources', 'app-update.yml'))).toBe(false); // no feed configured: updater off
  });
});

/** Bare package names the built main process loads at run time (static, dynamic import and require). */
function runtimePackages(dir: string): Set<string> {
  const out = new Set<string>();
  for (const entry of readdirSync(dir, { recursive: true, encoding: 'utf8' })) {
    if (!entry.endsWith('.js')) continue;
    const text = readFileSync(join(dir, entry), 'utf8');
    for (const m of text.matchAll(/(?:\bfrom\s*|\bimport\s*\(\s*|\brequire\s*\(\s*)["']([^"'./][^"']*)["']/g)) {
      const spec = m[1]!;
      if (spec.startsWith('node:') || spec === 'electron') continue;
      out.add(spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : spec.split('/')[0]!);
    }
  }
  return out;
}

describe('what the packaged main process loads is packaged', () => {
  it('every package out/main imports at run time is in app.asar with all its production dependencies', async () => {
    await built;
    const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { dependencies: Record<string, string> };
    const loaded = [...runtimePackages(join(root, 'out', 'main'))].filter((name) => Object.hasOwn(pkg.dependencies, name));
    // the ones we know main loads lazily or eagerly: a bundler change that inlines them would drop this to []
    expect(loaded).toEqual(expect.arrayContaining(['electron-updater', 'fast-xml-parser', 'pkijs']));
    // Node's resolution, on disk and inside the asar (electron-builder re-hoists production packages, so a
    // nested node_modules/a/node_modules/b may sit at node_modules/b in the asar): each dependency must
    // resolve inside the asar to the same version it resolves to on disk
    const appAsar = join(unpacked, 'resources', 'app.asar');
    const resolveIn = (has: (dir: string) => boolean, from: string, name: string): string | undefined => {
      for (let dir = from; ; dir = dir.slice(0, dir.lastIndexOf('/node_modules'))) {
        const at = `${dir}/node_modules/${name}`;
        if (has(at)) return at;
        if (!dir.includes('/node_modules')) return undefined;
      }
    };
    const onDisk = (dir: string): boolean => existsSync(join(root, dir, 'package.json'));
    const inAsar = (dir: string): boolean => files.includes(`/${dir.slice(1)}/package.json`);
    const versionOf = (json: string): string => (JSON.parse(json) as { version: string }).version;
    const missing: string[] = [];
    const seenPkgs = new Set<string>();
    const todo = loaded.map((name) => ({ disk: `/node_modules/${name}`, packed: `/node_modules/${name}` }));
    while (todo.length > 0) {
      const { disk, packed } = todo.pop()!;
      if (seenPkgs.has(packed)) continue;
      seenPkgs.add(packed);
      const manifest = readFileSync(join(root, disk, 'package.json'), 'utf8');
      if (!inAsar(packed)) {
        missing.push(packed);
        continue;
      }
      const packedVersion = versionOf(asar.extractFile(appAsar, `${packed.slice(1)}/package.json`).toString('utf8'));
      if (packedVersion !== versionOf(manifest)) missing.push(`${packed}@${versionOf(manifest)} (asar has ${packedVersion})`);
      for (const dep of Object.keys((JSON.parse(manifest) as { dependencies?: Record<string, string> }).dependencies ?? {})) {
        const depDisk = resolveIn(onDisk, disk, dep);
        if (depDisk === undefined) continue; // an optional dependency npm did not install
        todo.push({ disk: depDisk, packed: resolveIn(inAsar, packed, dep) ?? `${packed}/node_modules/${dep}` });
      }
    }
    expect(missing).toEqual([]);
    expect(seenPkgs.size).toBeGreaterThan(loaded.length); // electron-updater's own dependencies were followed
  });
});

type Seen = { kind: string; channel?: string; url?: string; file?: string; prevented?: boolean; options?: Record<string, unknown> };
const seen: Seen[] = [];
let exitCode: number | null = null;
const userData = mkdtempSync(join(tmpdir(), 'main-bundle-'));
afterAll(() => rmSync(userData, { recursive: true, force: true }));

beforeAll(async () => {
  await built;
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
