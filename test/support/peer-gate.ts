/**
 * Which test files need which Debian peer, found by reading the files (their local imports, transitively,
 * and `requirePeer('…')` calls), so a developer without the peers can still run the rest.
 *
 * With `CI=true` nothing is left out: a test whose peer is missing fails with the install command
 * (requirePeer). Without CI (a developer's Windows, macOS or partial Linux machine) the files that need a
 * missing peer are left out of the run, and each is named with the Debian package that brings the peer.
 * Used by .config/vitest.config.ts; imports nothing from the app.
 */
import { accessSync, constants, readFileSync, readdirSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { PEER_BINARIES, PEER_PACKAGES, type PeerName } from './peer-binaries.ts';

/** Support modules that start a peer without calling requirePeer (e.g. a binary path of their own). */
const PEER_MODULES: Readonly<Record<string, PeerName>> = {
  'test/support/kamailio.ts': 'kamailio',
  'test/support/sipp.ts': 'sipp',
  'test/support/baresip.ts': 'baresip',
  'test/support/linphonec.ts': 'linphonec',
  'test/support/rtpengine.ts': 'rtpengine',
  'test/support/e2e.ts': 'chromium',
  'test/support/tls-cert.ts': 'openssl',
  'test/unit/security/openssl.ts': 'openssl',
};

const IMPORT = /(?:from\s+|import\s*\(\s*|import\s+)['"](\.{1,2}\/[^'"]+)['"]/g;
const REQUIRE_PEER = /requirePeer\(\s*['"](\w+)['"]\s*\)/g;

function isPeer(name: string): name is PeerName {
  return Object.hasOwn(PEER_BINARIES, name);
}

/** The peers a file needs through itself and its local imports. */
export function peersOf(file: string, root: string, seen = new Map<string, Set<PeerName>>()): Set<PeerName> {
  const known = seen.get(file);
  if (known !== undefined) return known;
  const needs = new Set<PeerName>();
  seen.set(file, needs);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return needs;
  }
  const own = PEER_MODULES[relative(root, file).split('\\').join('/')];
  if (own !== undefined) needs.add(own);
  for (const m of text.matchAll(REQUIRE_PEER)) if (isPeer(m[1]!)) needs.add(m[1]);
  for (const m of text.matchAll(IMPORT)) {
    const target = resolve(dirname(file), m[1]!);
    if (!target.startsWith(join(root, 'test'))) continue; // the app's own modules start no peer
    for (const p of peersOf(target, root, seen)) needs.add(p);
  }
  return needs;
}

export function peerInstalled(name: PeerName): boolean {
  try {
    accessSync(PEER_BINARIES[name], constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function testFiles(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...testFiles(path));
    else if (/\.test\.tsx?$/.test(entry.name)) out.push(path);
  }
  return out;
}

export interface PeerGate {
  /** test files (relative to root) to leave out of this run */
  readonly exclude: readonly string[];
  /** one line per left-out file: which peer is missing and the package that brings it */
  readonly notes: readonly string[];
}

/** Files to leave out because a peer is missing; always empty under CI=true (they must fail there). */
export function peerGate(root: string, env: NodeJS.ProcessEnv = process.env, installed = peerInstalled): PeerGate {
  if (env['CI'] === 'true') return { exclude: [], notes: [] };
  const exclude: string[] = [];
  const notes: string[] = [];
  const seen = new Map<string, Set<PeerName>>();
  for (const file of testFiles(join(root, 'test'))) {
    const missing = [...peersOf(file, root, seen)].filter((p) => !installed(p));
    if (missing.length === 0) continue;
    const rel = relative(root, file).split('\\').join('/');
    exclude.push(rel);
    const what = missing.map((p) => `${p} (${PEER_BINARIES[p]}; Debian package ${PEER_PACKAGES[p]})`).join(', ');
    notes.push(`left out ${rel}: needs ${what}`);
  }
  return { exclude, notes };
}
