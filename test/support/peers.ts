/**
 * Real peers (Kamailio, sipp, baresip, Chromium…) come from Debian. A test that needs one fails with a clear
 * message naming the package when it is missing under CI=true; on a developer's machine without it the
 * file is left out of the run with the same message (test/support/peer-gate.ts), never silently.
 */
import { accessSync, constants } from 'node:fs';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PEER_BINARIES, PEER_PACKAGES, type PeerName } from './peer-binaries.ts';

export { PEER_BINARIES, PEER_PACKAGES, type PeerName } from './peer-binaries.ts';

/** The peer's path; throws naming the Debian package when it is missing (outside CI such files are left out
 * of the run by test/support/peer-gate.ts before they start). */
export function requirePeer(name: PeerName): string {
  const path = PEER_BINARIES[name];
  try {
    accessSync(path, constants.X_OK);
  } catch {
    throw new Error(`${name} is not installed (${path}). Install the Debian package: apt-get install ${PEER_PACKAGES[name]}`);
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
