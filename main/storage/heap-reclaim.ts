/**
 * A memory-reducing GC of the current isolate (main or worker: the storage worker runs it in its own isolate): V8's "last resort" full GC, the one it runs
 * under memory pressure — it also shrinks the young generation and gives the pooled pages back to the OS,
 * which an ordinary full GC does not (services/memory-reclaim.ts says why this is needed and when it runs).
 * `gc` is V8's extension, enabled at run time (a command-line --expose-gc cannot reach Electron's main
 * process and is refused by workers) and reached through a fresh context, never installed on our global.
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

type V8Gc = (options: { type: 'major'; execution: 'sync'; flavor: 'last-resort' }) => void;

let gc: V8Gc | null = null;

export function reduceHeapMemory(): void {
  if (gc === null) {
    setFlagsFromString('--expose-gc');
    gc = runInNewContext('gc') as V8Gc;
  }
  gc({ type: 'major', execution: 'sync', flavor: 'last-resort' });
}
