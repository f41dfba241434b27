/**
 * The storage worker's TypeScript, stripped once by the main thread, so that no worker isolate ever runs
 * WebAssembly (issue 17: SIGSEGV/SIGTRAP of the whole process under load).
 *
 * Run from source, Node strips types with Amaro, which is SWC compiled to WebAssembly; each worker isolate
 * that loads .ts files instantiates it again. V8 13.6 (Node 24) keeps WebAssembly code and its import-wrapper
 * cache process-wide, and freeing tiered-up wrappers while another isolate uses that cache crashed the
 * process: "Check failed: jit_page.has_value()" in WasmCodeAllocator::FreeCode, reached from
 * Runtime_TierUpWasmToJSWrapper → WasmImportWrapperCache::Free (seen in a loaded `npm test`, with SIGSEGVs
 * in files that open and close many storage workers). So the main thread strips the worker's module graph
 * (`workerSources`) and the worker starts from a small JavaScript boot (`WORKER_BOOT`) whose load hook serves
 * those sources as plain JavaScript: Amaro runs in the main isolate only. A .ts module missing from them is
 * refused rather than stripped in the worker, so the rule cannot be broken silently.
 *
 * Only for the source layout (tests, dev host, node scripts): the bundled app passes a built JavaScript
 * worker (`OpenStorageOptions.workerUrl`), which needs neither.
 */
import { readFileSync } from 'node:fs';
// a namespace import: the bundled app (Electron's Node) never strips, and needs no such export to link
import * as nodeModule from 'node:module';
import { fileURLToPath } from 'node:url';

/** package.json "imports" specifiers (`#shared/*`): Node resolves them as it does for the main thread */
const PACKAGE_IMPORT = '#';

/** static `import … from '…'`, `export … from '…'` and `import '…'` of stripped JavaScript */
const SPECIFIER = /(?:^|[\s;}])(?:import|export)(?:[\w*{}\s,$]*?\bfrom)?\s*['"]([^'"]+)['"]/g;

const cache = new Map<string, readonly (readonly [string, string])[]>();

/** [file URL, JavaScript] of every .ts module reachable from `entry` by static imports; cached per entry */
export function workerSources(entry: URL): readonly (readonly [string, string])[] {
  const known = cache.get(entry.href);
  if (known !== undefined) return known;
  const sources = new Map<string, string>();
  const todo = [entry];
  for (let url = todo.pop(); url !== undefined; url = todo.pop()) {
    if (sources.has(url.href)) continue;
    const js = strip(readFileSync(fileURLToPath(url), 'utf8'));
    sources.set(url.href, js);
    for (const m of js.matchAll(SPECIFIER)) {
      const next = resolve(m[1] ?? '', url);
      if (next !== null && !sources.has(next.href)) todo.push(next);
    }
  }
  const list = [...sources];
  cache.set(entry.href, list);
  return list;
}

function resolve(specifier: string, parent: URL): URL | null {
  const url = specifier.startsWith(PACKAGE_IMPORT)
    ? new URL(import.meta.resolve(specifier))
    : specifier.startsWith('./') || specifier.startsWith('../')
      ? new URL(specifier, parent)
      : null;
  return url !== null && url.pathname.endsWith('.ts') ? url : null;
}

/** stripTypeScriptTypes without its one-line ExperimentalWarning (the worker's own stripping printed none) */
function strip(code: string): string {
  const emit = process.emitWarning;
  process.emitWarning = ((warning: string | Error, ...rest: unknown[]) => {
    const text = typeof warning === 'string' ? warning : warning.message;
    if (!text.includes('stripTypeScriptTypes')) Reflect.apply(emit, process, [warning, ...rest]);
  }) as typeof process.emitWarning;
  try {
    return nodeModule.stripTypeScriptTypes(code, { mode: 'strip' });
  } finally {
    process.emitWarning = emit;
  }
}

/**
 * The worker's first code (CommonJS, `eval: true`): serves `workerData.sources` as plain JavaScript through a
 * synchronous load hook, refuses any other .ts file, then imports `workerData.entry`.
 */
export const WORKER_BOOT = `
const { registerHooks } = require('node:module');
const { workerData } = require('node:worker_threads');
const sources = new Map(workerData.sources);
registerHooks({
  load(url, context, nextLoad) {
    const source = sources.get(url);
    if (source !== undefined) return { format: 'module', source, shortCircuit: true };
    if (url.startsWith('file:') && /\\.m?ts$/.test(new URL(url).pathname)) {
      throw new Error('storage worker: ' + url + ' was not stripped by the main thread (worker-sources.ts)');
    }
    return nextLoad(url, context);
  },
});
import(workerData.entry).catch((e) => { process.nextTick(() => { throw e; }); });
`;
