#!/usr/bin/env node
/**
 * Electron 45's npm package no longer downloads its binary at install time: it fetches it lazily on
 * `require('electron')` or with `npx install-electron`, and electron-vite only reads
 * node_modules/electron/path.txt, so nothing would ever fetch it. This script closes that gap.
 *   node scripts/electron-binary.mjs install  (postinstall) runs Electron's own installer (install.js,
 *     the `install-electron` bin) unless ELECTRON_SKIP_BINARY_DOWNLOAD=1; a failed download only warns.
 *   node scripts/electron-binary.mjs check    (prestart) exits 1 with one sentence when the binary is
 *     missing (after one download attempt when downloads are allowed).
 * `--electron-dir DIR` points at another electron package folder (tests use a stand-in, never a download).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const FIX_COMMAND = 'npx install-electron --no';

/** Where the Electron executable is, or why it is missing. Mirrors node_modules/electron/index.js. */
export function electronBinaryStatus(electronDir, env = process.env) {
  const pathFile = join(electronDir, 'path.txt');
  if (!existsSync(join(electronDir, 'package.json'))) return { ok: false, reason: 'the electron package is not installed' };
  if (!existsSync(pathFile)) return { ok: false, reason: "Electron's binary has not been downloaded" };
  const executable = readFileSync(pathFile, 'utf8').trim();
  const dist = env.ELECTRON_OVERRIDE_DIST_PATH || join(electronDir, 'dist');
  const full = join(dist, executable);
  return existsSync(full) ? { ok: true, path: full } : { ok: false, reason: `Electron's binary is missing (${full})` };
}

export const skipDownload = (env = process.env) => ['1', 'true'].includes(String(env.ELECTRON_SKIP_BINARY_DOWNLOAD ?? '').toLowerCase());

/** The one sentence `npm start` prints when it cannot start. */
export function missingSentence(status) {
  return `Cannot start SIP Messenger: ${status.reason}; run \`${FIX_COMMAND}\` (with internet access and without ELECTRON_SKIP_BINARY_DOWNLOAD=1), then \`npm start\` again.`;
}

function runInstaller(electronDir) {
  const installer = join(electronDir, 'install.js');
  if (!existsSync(installer)) return false;
  return spawnSync(process.execPath, [installer], { stdio: 'inherit', cwd: electronDir }).status === 0;
}

export function main(argv = process.argv.slice(2), env = process.env) {
  const command = argv[0];
  const dirFlag = argv.indexOf('--electron-dir');
  const root = join(dirname(fileURLToPath(import.meta.url)), '..');
  const electronDir = dirFlag >= 0 ? argv[dirFlag + 1] : join(root, 'node_modules', 'electron');
  if (command === 'install') {
    if (skipDownload(env)) {
      console.log("electron-binary: ELECTRON_SKIP_BINARY_DOWNLOAD is set, Electron's binary is not downloaded.");
      return 0;
    }
    if (electronBinaryStatus(electronDir, env).ok) return 0;
    if (!runInstaller(electronDir) || !electronBinaryStatus(electronDir, env).ok) {
      console.warn(`electron-binary: Electron's binary could not be downloaded now; \`npm start\` will say how to fetch it.`);
    }
    return 0; // an install never fails because of the binary: `npm start` reports it
  }
  if (command === 'check') {
    let status = electronBinaryStatus(electronDir, env);
    if (!status.ok && !skipDownload(env) && runInstaller(electronDir)) status = electronBinaryStatus(electronDir, env);
    if (status.ok) return 0;
    console.error(missingSentence(status));
    return 1;
  }
  console.error('usage: electron-binary.mjs install|check [--electron-dir DIR]');
  return 2;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) process.exitCode = main();
