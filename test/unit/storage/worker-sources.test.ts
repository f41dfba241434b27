/**
 * Issue 17: the storage worker runs no WebAssembly. Run from source, Node strips a worker's TypeScript with
 * Amaro (SWC as WebAssembly) inside the worker's isolate, and V8's process-wide WebAssembly code crashed the
 * process when workers came and went under load (worker-sources.ts). The main thread strips the worker's
 * module graph instead, and the worker's boot serves it.
 */
import { Worker } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { WORKER_BOOT, workerSources } from '../../../main/storage/worker-sources.ts';
import { openStorage } from '../../../main/storage/storage.ts';
import { migrations } from '../../../main/storage/migrations/index.ts';

const probe = new URL('./workers/wasm-probe.ts', import.meta.url);

function run(worker: Worker): Promise<unknown> {
  return new Promise((resolve, reject) => {
    worker.once('message', resolve);
    worker.once('error', reject);
  }).finally(() => void worker.terminate());
}

describe('storage worker sources (issue 17: no WebAssembly in worker isolates)', () => {
  it('strips the whole static module graph of the storage worker, once', () => {
    const entry = new URL('../../../main/storage/worker.ts', import.meta.url);
    const sources = workerSources(entry);
    const names = sources.map(([url]) => url.slice(url.indexOf('/main/storage/') + '/main/storage/'.length));
    expect(names).toEqual(expect.arrayContaining(['worker.ts', 'database.ts', 'operations.ts', 'heap-reclaim.ts', 'migrations/index.ts']));
    // every migration is reached through migrations/index.ts
    expect(names.filter((n) => n.startsWith('migrations/0'))).toHaveLength(migrations.length);
    for (const [, js] of sources) expect(js).not.toMatch(/\bimport type\b|: DatabaseSync\b/);
    expect(workerSources(entry)).toBe(sources);
  });

  it('a worker booted from stripped sources never loads Amaro; one loading .ts itself does', async () => {
    const booted = new Worker(WORKER_BOOT, { eval: true, workerData: { entry: probe.href, sources: workerSources(probe) } });
    expect(await run(booted)).toEqual({ name: 'probe', amaro: false });
    // the probe tells: the same file started the plain way strips its TypeScript with Amaro in the worker
    expect(await run(new Worker(probe))).toEqual({ name: 'probe', amaro: true });
    // generous: compiling Amaro in a fresh isolate takes seconds on a loaded machine
  }, 60_000);

  it('refuses a .ts module the main thread did not strip, rather than stripping it in the worker', async () => {
    const onlyEntry = workerSources(probe).filter(([url]) => url === probe.href);
    const worker = new Worker(WORKER_BOOT, { eval: true, workerData: { entry: probe.href, sources: onlyEntry } });
    await expect(run(worker)).rejects.toThrow(/wasm-probe-dep\.ts was not stripped by the main thread/);
  });

  it('the storage worker opened from source serves as before', async () => {
    const storage = await openStorage(':memory:');
    try {
      expect((await storage.info()).schemaVersion).toBe(migrations.length);
    } finally {
      await storage.close();
    }
  });
});
