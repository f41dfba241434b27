/**
 * Real peers (Kamailio, sipp, baresip, Chromium) come from Debian. A test that needs one fails with a clear
 * message when it is missing (in CI and locally alike): it never silently skips.
 */
import { accessSync, constants } from 'node:fs';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const PEER_BINARIES = {
  kamailio: '/usr/sbin/kamailio',
  sipp: '/usr/bin/sipp',
  baresip: '/usr/bin/baresip',
  chromium: process.env['CHROME_PATH'] || '/usr/bin/chromium',
  openssl: '/usr/bin/openssl',
} as const;

export type PeerName = keyof typeof PEER_BINARIES;

export function requirePeer(name: PeerName): string {
  const path = PEER_BINARIES[name];
  try {
    accessSync(path, constants.X_OK);
  } catch {
    throw new Error(
      `${name} is not installed (${path}). Install the test peers: apt-get install kamailio kamailio-tls-modules sip-tester baresip-core chromium openssl`,
    );
  }
  return path;
}

export function tempDir(prefix: string): string {
  return mkdtempSync(join(tmpdir(), `sipm-${prefix}-`));
}

/** Polls until `check` is true or the time is up (for log files written by peers). */
export async function waitFor(check: () => boolean, what: string, timeoutMs = 10_000, stepMs = 50): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    if (check()) return;
    await new Promise((r) => setTimeout(r, stepMs));
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
}
