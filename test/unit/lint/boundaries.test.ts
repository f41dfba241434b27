/**
 * The process boundaries of DESIGN.md are lint rules: these fixtures break each rule on purpose (linted as
 * if they sat at the given path) and must fail; a clean file in main/sip must pass.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../..', import.meta.url));
// the first lint of a run loads the whole config (plugins, parser): seconds on a busy 2-core machine
const LINT_TIMEOUT_MS = 120_000;
const eslint = new ESLint({ cwd: root, overrideConfigFile: `${root}.config/eslint.config.js` });

async function lintFixture(fixture: string, asPath: string): Promise<string[]> {
  const code = readFileSync(`${root}test/fixtures/lint/${fixture}`, 'utf8');
  const [result] = await eslint.lintText(code, { filePath: `${root}${asPath}` });
  return (result?.messages ?? []).map((m) => `${m.ruleId ?? 'fatal'}: ${m.message}`);
}

describe('lint boundaries (DESIGN.md)', { timeout: LINT_TIMEOUT_MS }, () => {
  const violations: [string, string, RegExp][] = [
    ['sip-imports-electron.txt', 'main/sip/ua/bad.ts', /electron/],
    ['sip-imports-services.txt', 'main/sip/ua/bad.ts', /imports nothing from services/],
    ['renderer-imports-node.txt', 'renderer/src/bad.ts', /no node:\* modules/],
    ['renderer-imports-electron.txt', 'renderer/src/bad.ts', /electron/],
    ['app-uses-ipcmain.txt', 'main/app/bad.ts', /Only main\/ipc may use ipcMain/],
    ['app-uses-context-bridge.txt', 'main/app/bad.ts', /Only main\/preload/],
    ['shared-imports-node.txt', 'shared/domain/bad.ts', /no node:\* modules/],
  ];
  for (const [fixture, asPath, expected] of violations) {
    it(`fails ${fixture} placed at ${asPath}`, async () => {
      const messages = await lintFixture(fixture, asPath);
      expect(messages.some((m) => m.startsWith('no-restricted-imports') && expected.test(m))).toBe(true);
    });
  }

  it('passes a clean main/sip file that uses Node sockets', async () => {
    expect(await lintFixture('clean-sip.txt', 'main/sip/transport/ok.ts')).toEqual([]);
  });

  it('allows ipcMain in main/ipc and contextBridge in main/preload', async () => {
    expect(await lintFixture('app-uses-ipcmain.txt', 'main/ipc/ok.ts')).toEqual([]);
    expect(await lintFixture('app-uses-context-bridge.txt', 'main/preload/ok.ts')).toEqual([]);
  });
});
