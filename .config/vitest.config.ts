import { fileURLToPath } from 'node:url';
import { configDefaults, defineConfig } from 'vitest/config';
import { peerGate } from '../test/support/peer-gate.ts';

const root = fileURLToPath(new URL('..', import.meta.url));

// Without CI=true, test files whose Debian peer (Kamailio, sipp, baresip, Chromium…) is missing are left
// out of the run, each named with the package to install; under CI=true they run and fail loudly.
const gate = peerGate(root);
if (gate.notes.length > 0) {
  console.warn(`${String(gate.notes.length)} test file(s) left out (missing peers; CI=true runs them and fails):\n  ${gate.notes.join('\n  ')}`);
}
const exclude = [...configDefaults.exclude, ...gate.exclude];

export default defineConfig({
  root,
  test: {
    // `npm run test:coverage` (unit project): per-folder floors a few points under the figures measured
    // on 2026-12-06 (unit only: main/sip 84.2% lines, 75.5% branches; main/storage 81.6/62.8; main/services
    // 80.7/68.1; renderer store 82.7/54.1; renderer lib 80.0/70.9) so a drop fails, load jitter does not
    coverage: {
      provider: 'v8',
      include: ['main/**/*.ts', 'renderer/src/**/*.{ts,tsx}', 'shared/**/*.ts'],
      reportsDirectory: 'coverage',
      reporter: ['text-summary', 'json-summary'],
      thresholds: {
        'main/sip/**': { lines: 82, branches: 73, functions: 76, statements: 78 },
        'main/storage/**': { lines: 79, branches: 60, functions: 78, statements: 75 },
        'main/services/**': { lines: 78, branches: 65, functions: 62, statements: 73 },
        'main/security/**': { lines: 90, branches: 70, functions: 90, statements: 85 },
        'main/media/**': { lines: 69, branches: 61, functions: 60, statements: 67 },
        'renderer/src/store/**': { lines: 80, branches: 51, functions: 74, statements: 79 },
        'renderer/src/lib/**': { lines: 77, branches: 68, functions: 88, statements: 74 },
        'shared/ipc/**': { lines: 92, branches: 71, functions: 84, statements: 91 },
      },
    },
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: ['test/unit/**/*.test.{ts,tsx}'],
          exclude,
          environment: 'node',
          testTimeout: 10_000,
        },
      },
      {
        extends: true,
        test: {
          name: 'integration',
          include: ['test/integration/**/*.test.ts'],
          exclude,
          environment: 'node',
          testTimeout: 60_000,
          hookTimeout: 60_000,
          // real peers and fixed ports: one file at a time keeps a 2-core machine honest
          fileParallelism: false,
        },
      },
      {
        extends: true,
        test: {
          name: 'e2e',
          include: ['test/e2e/**/*.test.ts'],
          exclude,
          environment: 'node',
          testTimeout: 90_000,
          hookTimeout: 90_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
