/**
 * Vitest config for mutation testing (`npm run mutate`): the unit tests that cover main/sip and
 * main/services/chats, run by Stryker's vitest runner (which wants a plain, single-project config).
 */
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const root = fileURLToPath(new URL('..', import.meta.url));

export default defineConfig({
  root,
  test: {
    include: ['test/unit/sip/**/*.test.ts', 'test/unit/services/chats/**/*.test.ts', 'test/unit/services/sip-stack-*.test.ts'],
    environment: 'node',
    // timing ratios (framer linearity, the Timestamp backtracking guard) compare instrumented code with
    // native copies: Stryker's mutant switches add a cost per statement that moves the ratio (751x vs the
    // 300x bound), so they run in npm test only
    testNamePattern: /^(?!.*(within a bounded ratio of one push|at about the cost of reading it once)).*$/,
    testTimeout: 10_000,
  },
});
