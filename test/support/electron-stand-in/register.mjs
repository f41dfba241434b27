// node --import this-file: resolves `electron` to the stand-in next to it.
import { register } from 'node:module';
const standIn = new URL('./electron.mjs', import.meta.url).href;
const hooks = `export async function resolve(s, c, next) { return s === 'electron' ? { url: ${JSON.stringify(standIn)}, shortCircuit: true } : next(s, c); }`;
register(`data:text/javascript,${encodeURIComponent(hooks)}`);

// record every worker thread the app starts (the storage worker must come from the bundle, not from sources)
import { createRequire, syncBuiltinESMExports } from 'node:module';
const threads = createRequire(import.meta.url)('node:worker_threads');
const Original = threads.Worker;
threads.Worker = class extends Original {
  constructor(url, options) {
    process.send?.({ kind: 'worker', url: String(url) });
    super(url, options);
  }
};
syncBuiltinESMExports();
