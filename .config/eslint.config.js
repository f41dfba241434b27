// ESLint flat config. The process boundaries of DESIGN.md are enforced here, not by review.
import js from '@eslint/js';
import reactHooks from 'eslint-plugin-react-hooks';
import regexp from 'eslint-plugin-regexp';
import globals from 'globals';
import tseslint from 'typescript-eslint';

const nodeBuiltins = ['node:*', 'fs', 'path', 'os', 'net', 'dgram', 'tls', 'crypto', 'child_process', 'worker_threads'];

/** no-restricted-imports options merged per area (a later config object replaces the rule, so each area lists all) */
const restrict = (...groups) => ['error', { patterns: groups.flat() }];
const noElectron = { group: ['electron', 'electron/*'], message: 'Only the Electron shell (main/app, main/ipc, main/preload, main/index.ts) may import electron.' };
const noNode = { group: nodeBuiltins, message: 'The renderer and shared/ run without Node: no node:* modules.' };
const noMain = { group: ['**/main/**', '../main/*'], message: 'The renderer talks to main only through the typed IPC contract (window.messenger).' };
const noUpperLayers = {
  group: ['**/services/**', '**/ipc/**', '**/storage/**', '**/app/**', '**/media/**'],
  message: 'main/sip is the SIP stack: it imports nothing from services, ipc, storage, app or media.',
};
const noIpcMain = {
  group: ['electron'],
  importNames: ['ipcMain'],
  message: 'Only main/ipc may use ipcMain: register handlers from the contract there.',
};
const noRendererIpc = {
  group: ['electron'],
  importNames: ['ipcRenderer', 'contextBridge'],
  message: 'Only main/preload may use ipcRenderer/contextBridge.',
};

export default tseslint.config(
  { ignores: ['node_modules/**', 'out/**', 'dist/**', 'release/**', 'test-results/**', 'test/fixtures/**', '.tmp/**', '.stryker-tmp/**', 'reports/**', 'coverage/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    // No backtracking regex on untrusted input (issue 18): every regex is checked for exponential
    // or polynomial backtracking and for super-linear moves over a string, wherever it runs.
    plugins: { regexp },
    rules: {
      'regexp/no-super-linear-backtracking': ['error', { report: 'potential' }],
      'regexp/no-super-linear-move': ['error', { ignorePartial: false, ignoreSticky: false }],
    },
  },
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      // protocol code matches control characters on purpose (RFC 3261 §25 excludes them)
      'no-control-regex': 'off',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-restricted-imports': restrict(noIpcMain, noRendererIpc),
      'no-restricted-syntax': [
        'error',
        {
          selector: "MemberExpression[property.name='send'][object.property.name='webContents']",
          message: 'Send events through main/ipc (forwardEvents), not webContents.send.',
        },
      ],
    },
  },
  {
    files: ['main/ipc/**'],
    rules: { 'no-restricted-imports': restrict(noRendererIpc), 'no-restricted-syntax': 'off' },
  },
  {
    files: ['main/preload/**'],
    rules: { 'no-restricted-imports': restrict(noIpcMain) },
  },
  {
    files: ['main/sip/**', 'main/services/**', 'main/storage/**', 'main/media/**'],
    rules: { 'no-restricted-imports': restrict(noElectron) },
  },
  {
    files: ['main/sip/**'],
    rules: { 'no-restricted-imports': restrict(noElectron, noUpperLayers) },
  },
  {
    files: ['shared/**'],
    rules: {
      'no-restricted-imports': restrict(noElectron, noNode, noMain, {
        group: ['react', 'react-dom', 'zustand', '**/renderer/**'],
        message: 'shared/ is plain TypeScript both processes compile against.',
      }),
    },
  },
  {
    files: ['renderer/**'],
    languageOptions: { globals: { ...globals.browser } },
    plugins: { 'react-hooks': reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      'no-restricted-imports': restrict(noElectron, noNode, noMain),
    },
  },
);
