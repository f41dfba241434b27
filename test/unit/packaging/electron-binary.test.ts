/**
 * `npm install` + `npm start` (issue 12): the postinstall/prestart script, run under Node against stand-in
 * electron package folders made here. ELECTRON_SKIP_BINARY_DOWNLOAD=1 everywhere: nothing is downloaded.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..', '..', '..');
const script = join(root, 'scripts', 'electron-binary.mjs');
const work = mkdtempSync(join(tmpdir(), 'electron-binary-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

function standIn(name: string, opts: { pathTxt?: string; binary?: boolean; installer?: string }): string {
  const dir = join(work, name);
  mkdirSync(join(dir, 'dist'), { recursive: true });
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'electron', version: '45.4.1' }));
  if (opts.pathTxt !== undefined) writeFileSync(join(dir, 'path.txt'), opts.pathTxt);
  if (opts.binary) {
    writeFileSync(join(dir, 'dist', 'electron'), '#!/bin/sh\n');
    chmodSync(join(dir, 'dist', 'electron'), 0o755);
  }
  if (opts.installer !== undefined) writeFileSync(join(dir, 'install.js'), opts.installer);
  return dir;
}

function run(args: string[], env: Record<string, string | undefined> = {}) {
  const r = spawnSync(process.execPath, [script, ...args], {
    encoding: 'utf8',
    env: { ...process.env, ELECTRON_SKIP_BINARY_DOWNLOAD: '1', ELECTRON_OVERRIDE_DIST_PATH: undefined, ...env },
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('scripts/electron-binary.mjs', () => {
  it('check: binary missing → one sentence naming what is missing and the fixing command, exit 1', () => {
    const dir = standIn('missing', {});
    const r = run(['check', '--electron-dir', dir]);
    expect(r.status).toBe(1);
    const lines = r.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^Cannot start SIP Messenger: Electron's binary has not been downloaded; run `npx install-electron --no`.*then `npm start` again\.$/);
    expect(r.stdout).toBe('');
  });

  it('check: path.txt names a file that is absent → the sentence names that path', () => {
    const dir = standIn('stale', { pathTxt: 'electron' });
    const r = run(['check', '--electron-dir', dir]);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain(join(dir, 'dist', 'electron'));
    expect(r.stderr).toContain('npx install-electron --no');
  });

  it('check: binary present → exit 0, silent', () => {
    const dir = standIn('present', { pathTxt: 'electron', binary: true });
    const r = run(['check', '--electron-dir', dir]);
    expect(r).toMatchObject({ status: 0, stderr: '' });
  });

  it('install with ELECTRON_SKIP_BINARY_DOWNLOAD=1 (what .ci/run does) never runs the installer and succeeds', () => {
    const marker = join(work, 'installer-ran');
    const dir = standIn('skip', { installer: `require('fs').writeFileSync(${JSON.stringify(marker)}, 'x')` });
    const r = run(['install', '--electron-dir', dir]);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('ELECTRON_SKIP_BINARY_DOWNLOAD');
    expect(() => readFileSync(marker)).toThrow();
  });

  it("install without the skip runs Electron's installer (a stand-in here); a failing download only warns", () => {
    const marker = join(work, 'installer-ran-2');
    const ok = standIn('fetches', {
      installer: `const fs=require('fs'),p=require('path');fs.writeFileSync(${JSON.stringify(marker)},'x');fs.writeFileSync(p.join(__dirname,'path.txt'),'electron');fs.writeFileSync(p.join(__dirname,'dist','electron'),'')`,
    });
    expect(run(['install', '--electron-dir', ok], { ELECTRON_SKIP_BINARY_DOWNLOAD: '' }).status).toBe(0);
    expect(readFileSync(marker, 'utf8')).toBe('x');
    expect(run(['check', '--electron-dir', ok]).status).toBe(0);

    const failing = standIn('offline', { installer: 'process.exit(1)' });
    const r = run(['install', '--electron-dir', failing], { ELECTRON_SKIP_BINARY_DOWNLOAD: '' });
    expect(r.status).toBe(0);
    expect(r.stderr).toContain('could not be downloaded');
    // and then start says why, with the command (the prestart retry fails the same way)
    const start = run(['check', '--electron-dir', failing], { ELECTRON_SKIP_BINARY_DOWNLOAD: '' });
    expect(start.status).toBe(1);
    expect(start.stderr).toContain('npx install-electron --no');
  });

  it('package.json wires it: postinstall installs, prestart checks before electron-vite preview', () => {
    const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
    expect(pkg.scripts.postinstall).toBe('node scripts/electron-binary.mjs install');
    expect(pkg.scripts.prestart).toBe('node scripts/electron-binary.mjs check');
    expect(pkg.scripts.start).toContain('electron-vite preview');
  });
});
