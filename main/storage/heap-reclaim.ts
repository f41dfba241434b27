/**
 * A memory-reducing GC of the current isolate (main or worker: the storage worker runs it in its own isolate): V8's "last resort" full GC, the one it runs
 * under memory pressure — it also shrinks the young generation and gives the pooled pages back to the OS,
 * which an ordinary full GC does not (services/memory-reclaim.ts says why this is needed and when it runs).
 * `gc` is V8's extension, reached through a fresh context, never installed on our global. A command-line
 * --expose-gc cannot reach Electron's main process and is refused by workers, so the flag is set at run time
 * by `allowHeapReclaim()`: once, from the main thread, before the storage worker starts. V8's flags are
 * process-wide and not meant to change while other isolates run, so a worker never sets one; it only reads
 * `gc` in a new context (the flag is read when a context is made).
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { isMainThread } from 'node:worker_threads';

type V8Gc = (options: { type: 'major'; execution: 'sync'; flavor: 'last-resort' }) => void;

let allowed = false;
let gc: V8Gc | null = null;

/** main thread only, before any worker that will reclaim is started; later calls do nothing */
export function allowHeapReclaim(): void {
  if (allowed || !isMainThread) return;
  allowed = true;
  setFlagsFromString('--expose-gc');
}

export function reduceHeapMemory(): void {
  if (gc === null) {
    const found: unknown = runInNewContext('typeof gc === "function" ? gc : null');
    if (typeof found !== 'function') throw new Error('memory reclaim not allowed: allowHeapReclaim() was not called before this isolate reclaimed');
    gc = found as V8Gc;
  }
  gc({ type: 'major', execution: 'sync', flavor: 'last-resort' });
}
