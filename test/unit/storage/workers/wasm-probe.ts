/** Worker fixture (worker-sources.test.ts): reports whether this isolate loaded Amaro, Node's WebAssembly type stripper. */
import { parentPort } from 'node:worker_threads';
import { PROBE_NAME } from './wasm-probe-dep.ts';

// Node's list of the internal modules this isolate loaded (not in @types/node)
const loaded: unknown = Reflect.get(process, 'moduleLoadList');
const amaro = Array.isArray(loaded) && loaded.some((m) => String(m).includes('amaro'));
parentPort?.postMessage({ name: PROBE_NAME, amaro });
