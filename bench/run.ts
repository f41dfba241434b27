/**
 * `npm run bench`: runs every `bench/*.bench.ts` (each exports `async function run(): Promise<string[]>`)
 * one at a time, each in its own Node process (so one benchmark's JIT and heap state cannot colour
 * another's), and prints their summary lines. The whole run is bounded by TOTAL_BUDGET_MS: a
 * benchmark still running when the budget is spent is killed and reported as timed out (exit 1).
 */
import { spawn } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const TOTAL_BUDGET_MS = 110_000;
const MARK = 'BENCH-SUMMARY ';

const dir = fileURLToPath(new URL('.', import.meta.url));
const files = readdirSync(dir).filter((f) => f.endsWith('.bench.ts')).sort();

/** the child: import one benchmark, run it, print its lines as one marked JSON line */
const childScript = `
const mod = await import(process.argv[1]);
if (typeof mod.run !== 'function') throw new Error('no exported run()');
const lines = await mod.run();
if (!Array.isArray(lines) || !lines.every((l) => typeof l === 'string')) throw new Error('run() must return string[]');
process.stdout.write(${JSON.stringify(MARK)} + JSON.stringify(lines) + '\\n');
`;

function runOne(file: string, timeoutMs: number): Promise<{ lines: string[] | null; error: string | null }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--input-type=module', '-e', childScript, new URL(file, new URL(`file://${dir}`)).href], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString('utf8')));
    child.stderr.on('data', (d: Buffer) => (err += d.toString('utf8')));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      const marked = out.split('\n').find((l) => l.startsWith(MARK));
      if (marked !== undefined) resolve({ lines: JSON.parse(marked.slice(MARK.length)) as string[], error: null });
      else if (signal === 'SIGKILL') resolve({ lines: null, error: `timed out (total budget ${TOTAL_BUDGET_MS / 1000} s)` });
      else {
        const lines = err.trim().split('\n');
        const why = lines.find((l) => /^\s*\w*Error:/.test(l)) ?? lines.slice(-3).join(' | ');
        resolve({ lines: null, error: `exit ${code ?? signal}: ${why}` });
      }
    });
  });
}

const started = performance.now();
let failed = false;
for (const file of files) {
  const left = TOTAL_BUDGET_MS - (performance.now() - started);
  const name = file.replace(/\.bench\.ts$/, '');
  if (left <= 1000) {
    console.log(`${name}: skipped, time budget spent`);
    failed = true;
    continue;
  }
  const r = await runOne(file, left);
  if (r.lines === null) {
    console.log(`${name}: FAILED ${r.error ?? ''}`);
    failed = true;
  } else for (const line of r.lines) console.log(line);
}
console.log(`bench: ${files.length} benchmark(s) in ${((performance.now() - started) / 1000).toFixed(1)} s`);
if (failed) process.exitCode = 1;
