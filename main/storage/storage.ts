/**
 * Main-thread side of storage: starts the worker, and exposes every repository operation as an async
 * method (one message round trip per operation). A failed operation rejects with a StorageError that
 * carries the worker's message.
 *
 * Loading the worker: by default `new URL('./worker.ts', import.meta.url)`, run from source with its
 * TypeScript stripped here, not in the worker (worker-sources.ts says why) — this is what vitest, the dev
 * host and `node` scripts use. A bundler that
 * cannot run .ts at run time (electron-vite: Electron's Node has no type stripping by default) passes
 * the built file instead, e.g. `import workerPath from './storage/worker.ts?modulePath'` and
 * `openStorage(file, { workerUrl: workerPath })`.
 */
import { Worker } from 'node:worker_threads';
import type { StorageOperations } from './operations.ts';
import type { IncomingBatchItem } from './incoming-batch.ts';
import { packIncomingBatch, unpackIncomingResult, type PackedIncomingResult } from './incoming-wire.ts';
import { operationNames, type FromWorker, type ToWorker, type WorkerInit } from './protocol.ts';
import { WORKER_BOOT, workerSources } from './worker-sources.ts';

export type Storage = {
  readonly [K in keyof StorageOperations]: (
    ...args: Parameters<StorageOperations[K]>
  ) => Promise<ReturnType<StorageOperations[K]>>;
} & {
  /** Finishes the calls already sent, closes the database and ends the worker. */
  close(): Promise<void>;
  /** the worker's own V8 heap (used / total bytes), for memory diagnostics and load tests */
  workerHeap(): Promise<{ readonly used: number; readonly total: number }>;
  /** a memory-reducing GC in the worker (after a flood: services/memory-reclaim.ts) */
  reclaimMemory(): Promise<void>;
};

export class StorageError extends Error {
  /** SQLite extended result code (e.g. 2067 = SQLITE_CONSTRAINT_UNIQUE), when SQLite raised it */
  readonly sqliteCode: number | null;
  constructor(message: string, sqliteCode: number | null = null) {
    super(message);
    this.name = 'StorageError';
    this.sqliteCode = sqliteCode;
  }
}

export interface OpenStorageOptions {
  /** the worker script; defaults to worker.ts beside this file */
  readonly workerUrl?: URL | string;
}

interface Pending {
  resolve(value: unknown): void;
  reject(error: Error): void;
}

/** Opens (creating and migrating as needed) the database at `path`, or an in-memory one for ':memory:'. */
export function openStorage(path: string, options: OpenStorageOptions = {}): Promise<Storage> {
  // from source, the worker's TypeScript is stripped here, never by WebAssembly in the worker (worker-sources.ts)
  const entry = options.workerUrl === undefined ? new URL('./worker.ts', import.meta.url) : null;
  const workerData: WorkerInit = entry === null ? { path } : { path, entry: entry.href, sources: workerSources(entry) };
  const worker = new Worker(entry === null ? (options.workerUrl ?? '') : WORKER_BOOT, {
    eval: entry !== null,
    workerData,
    // node:sqlite is still flagged experimental; its one-line warning per worker is noise in logs
    execArgv: [...workerExecArgv(), '--disable-warning=ExperimentalWarning'],
  });
  const pending = new Map<number, Pending>();
  let nextId = 1;
  let failure: Error | null = null;
  let closing: Promise<void> | null = null;

  const failAll = (error: Error): void => {
    failure ??= error;
    for (const p of pending.values()) p.reject(error);
    pending.clear();
  };

  return new Promise<Storage>((resolveOpen, rejectOpen) => {
    worker.on('message', (m: FromWorker) => {
      switch (m.type) {
        case 'ready':
          resolveOpen(storage);
          return;
        case 'open-failed':
          failure = new StorageError(`cannot open storage: ${m.message}`);
          rejectOpen(failure);
          return;
        case 'result':
        case 'error': {
          const p = pending.get(m.id);
          pending.delete(m.id);
          if (m.type === 'result') p?.resolve(m.value);
          else p?.reject(new StorageError(m.message, m.sqliteCode));
          return;
        }
        case 'closed':
          return;
      }
    });
    worker.on('error', (e: Error) => {
      const error = new StorageError(`storage worker crashed: ${e.message}`);
      rejectOpen(error);
      failAll(error);
    });
    worker.on('exit', () => {
      const error = new StorageError('storage is closed');
      rejectOpen(error);
      failAll(error);
    });

    const call = (op: ToWorker & { type: 'call' | 'reclaim' }): Promise<unknown> =>
      new Promise((resolve, reject) => {
        if (failure !== null || closing !== null) {
          reject(failure ?? new StorageError('storage is closed'));
          return;
        }
        pending.set(op.id, { resolve, reject });
        try {
          worker.postMessage(op);
        } catch (e) {
          // arguments that structured clone cannot copy (functions, class instances with private state ...)
          pending.delete(op.id);
          reject(new StorageError(`cannot send ${op.type === 'call' ? op.op : op.type} to storage: ${e instanceof Error ? e.message : String(e)}`));
        }
      });

    const methods: Record<string, (...args: unknown[]) => Promise<unknown>> = {};
    for (const op of operationNames) {
      methods[op] = (...args: unknown[]) => call({ type: 'call', id: nextId++, op, args });
    }
    // the group commit crosses packed, both ways (incoming-wire.ts); callers see the ordinary operation
    methods['storeIncomingBatch'] = async (items: unknown) => {
      const batch = items as readonly IncomingBatchItem[];
      const packed = await call({ type: 'call', id: nextId++, op: 'storeIncomingPacked', args: [packIncomingBatch(batch)] });
      return unpackIncomingResult(batch, packed as PackedIncomingResult);
    };
    methods['close'] = () => {
      closing ??= new Promise<void>((resolve) => {
        if (failure !== null) {
          resolve();
          return;
        }
        worker.once('exit', () => resolve());
        // messages are handled in order: calls sent before this finish first
        const message: ToWorker = { type: 'close' };
        worker.postMessage(message);
      });
      return closing;
    };
    methods['reclaimMemory'] = async () => {
      await call({ type: 'reclaim', id: nextId++ });
    };
    methods['workerHeap'] = async () => {
      const h = await worker.getHeapStatistics();
      return { used: h.used_heap_size, total: h.total_heap_size };
    };
    const storage = Object.freeze(methods) as unknown as Storage;
  });
}

/** The parent's Node flags that make sense in a worker (`--input-type` from `node -e` is refused there). */
function workerExecArgv(): string[] {
  return process.execArgv.filter((flag) => !flag.startsWith('--input-type') && flag !== '-e' && flag !== '--eval');
}
