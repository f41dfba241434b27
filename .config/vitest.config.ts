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
    // `npm test` runs unit + integration in one vitest run with coverage (`npm run test:coverage`; unit files
    // in parallel, then integration files one at a time), so every floor below is checked on the merged figure.
    // Floors per folder a few points under what unit + integration measured on 2026-12-06 (lines/branches/
    // functions/statements: main/sip 95.2/84.4/93.2/91.5, main/services 91.4/79.3/87.7/86.9, main/security
    // 97.6/76.7/98.7/92.3, main/media 98.7/88.2/96.1/95.6, main/ipc 87.1/62.5/73.3/85.0, main/storage
    // 70.1/53.6/62.4/66.0, renderer store 94.9/84.8/90.1/93.9, renderer lib 85.1/85.4/90.5/85.3, renderer
    // bridge 90.4/91.7/59.5/78.7, shared/ipc 97.9/79.3/96.2/93.7, the rest 30.2/26.6/23.4/29.4) so a drop
    // fails and a loaded machine's timing does not. Not measured: code in worker threads and child processes
    // (the storage worker's side: operations, incoming batches, receipt and S/MIME repositories; app instances
    // spawned by integration tests), the Electron shell (main/app, main/index.ts: checked by the built-app
    // test with a stand-in electron) and React components (driven by the e2e tests in Chromium).
    coverage: {
      provider: 'v8',
      include: ['main/**/*.ts', 'renderer/src/**/*.{ts,tsx}', 'shared/**/*.ts'],
      reportsDirectory: 'coverage',
      reporter: ['text-summary', 'json-summary'],
      thresholds: {
        lines: 27,
        branches: 23,
        functions: 20,
        statements: 26,
        'main/sip/**': { lines: 92, branches: 81, functions: 90, statements: 88 },
        'main/storage/**': { lines: 67, branches: 50, functions: 59, statements: 63 },
        'main/services/**': { lines: 88, branches: 76, functions: 84, statements: 83 },
        'main/security/**': { lines: 94, branches: 73, functions: 95, statements: 89 },
        'main/media/**': { lines: 95, branches: 85, functions: 93, statements: 92 },
        'main/ipc/**': { lines: 84, branches: 59, functions: 70, statements: 82 },
        'renderer/src/store/**': { lines: 91, branches: 81, functions: 87, statements: 90 },
        'renderer/src/lib/**': { lines: 82, branches: 82, functions: 87, statements: 82 },
        'renderer/src/bridge/**': { lines: 87, branches: 88, functions: 56, statements: 75 },
        'shared/ipc/**': { lines: 94, branches: 76, functions: 93, statements: 90 },
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
          // a hang guard, not a time budget: on a loaded 2-core machine under coverage the heaviest unit tests
          // (30,000 parses, S/MIME with OpenSSL, SIGKILL and restart) took 5-14 s of wall time
          testTimeout: 30_000,
          // projects run in parallel unless ordered: unit files (all cores) finish before any integration
          // file starts, so real-time media and peer tests never share the machine with them
          sequence: { groupOrder: 0 },
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
          sequence: { groupOrder: 1 },
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
          sequence: { groupOrder: 2 },
        },
      },
    ],
  },
});
