/**
 * The peer gate (issue 12): on a developer's machine without a Debian peer, the files that need it are left
 * out with the package named; under CI=true nothing is left out (those tests must fail loudly).
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { peerGate, peersOf } from '../../support/peer-gate.ts';
import type { PeerName } from '../../support/peer-binaries.ts';

function tree(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), 'peer-gate-'));
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(join(root, path, '..'), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  return root;
}

const project = {
  'test/support/kamailio.ts': 'export const k = 1;\n',
  'test/support/sipp.ts': "import { requirePeer } from './peers.ts';\nrequirePeer('sipp');\n",
  'test/support/peers.ts': 'export function requirePeer(n: string) { return n; }\n',
  'test/integration/kit.ts': "import { k } from '../support/kamailio.ts';\nexport { k };\n",
  'test/integration/a.test.ts': "import { k } from './kit.ts';\nimport '../support/sipp.ts';\n",
  'test/integration/b.test.ts': "import { requirePeer } from '../support/peers.ts';\nrequirePeer('tshark');\n",
  'test/unit/c.test.ts': "import { x } from '../../main/x.ts';\n",
  'main/x.ts': "import '../test/support/kamailio.ts';\nexport const x = 1;\n",
};

describe('peer gate', () => {
  it('finds the peers a test file needs through its local imports, transitively, and requirePeer calls', () => {
    const root = tree(project);
    expect([...peersOf(join(root, 'test/integration/a.test.ts'), root)].sort()).toEqual(['kamailio', 'sipp']);
    expect([...peersOf(join(root, 'test/integration/b.test.ts'), root)]).toEqual(['tshark']);
    // the app's own modules are not followed (they never start a peer)
    expect([...peersOf(join(root, 'test/unit/c.test.ts'), root)]).toEqual([]);
  });

  it('without CI leaves out exactly the files whose peer is missing, naming the Debian package', () => {
    const root = tree(project);
    const installed = (p: PeerName): boolean => p !== 'sipp';
    const gate = peerGate(root, {}, installed);
    expect(gate.exclude).toEqual(['test/integration/a.test.ts']);
    expect(gate.notes).toHaveLength(1);
    expect(gate.notes[0]).toContain('sipp');
    expect(gate.notes[0]).toContain('sip-tester');
  });

  it('with CI=true leaves nothing out, so a missing peer fails the run', () => {
    const root = tree(project);
    expect(peerGate(root, { CI: 'true' }, () => false).exclude).toEqual([]);
    expect([...peerGate(root, {}, () => false).exclude].sort()).toEqual(['test/integration/a.test.ts', 'test/integration/b.test.ts']);
  });

  it('on this repository: the files that start Kamailio, sipp or Chromium are found, pure unit tests are not', () => {
    const root = join(import.meta.dirname, '../../..');
    const gate = peerGate(root, {}, () => false);
    expect(gate.exclude).toContain('test/integration/messaging-crash.test.ts');
    expect(gate.exclude).toContain('test/integration/messaging-sipp.test.ts');
    expect(gate.exclude.some((f) => f.startsWith('test/e2e/'))).toBe(true);
    expect(gate.exclude).not.toContain('test/unit/sip/message/framer.test.ts');
  });
});
