/**
 * Storage worker entry: owns the one DatabaseSync connection, so SQL never runs on the main event
 * loop. Serves `call` messages one at a time (SQLite is synchronous here, so calls are serialised and
 * each repository operation is atomic with respect to the others).
 */
import type { DatabaseSync } from 'node:sqlite';
import { parentPort, workerData } from 'node:worker_threads';
import { openDatabase } from './database.ts';
import { createOperations, type StorageOperations } from './operations.ts';
import { isOperationName, type FromWorker } from './protocol.ts';
import { reduceHeapMemory } from './heap-reclaim.ts';

const port = parentPort;
if (port === null) throw new Error('storage worker must run in a worker thread');

function post(message: FromWorker): void {
  port?.postMessage(message);
}

function describe(e: unknown): { message: string; sqliteCode: number | null } {
  if (e instanceof Error) {
    const errcode: unknown = Reflect.get(e, 'errcode');
    return { message: e.message, sqliteCode: typeof errcode === 'number' ? errcode : null };
  }
  return { message: String(e), sqliteCode: null };
}

const init: unknown = workerData;
const path = typeof init === 'object' && init !== null ? Reflect.get(init, 'path') : undefined;

let db: DatabaseSync | null = null;
let ops: StorageOperations | null = null;
try {
  if (typeof path !== 'string') throw new Error('storage worker needs workerData.path');
  db = openDatabase(path);
  ops = createOperations(db);
  post({ type: 'ready' });
} catch (e) {
  post({ type: 'open-failed', message: describe(e).message });
  port.close();
}

port.on('message', (raw: unknown) => {
  if (typeof raw !== 'object' || raw === null) return;
  const type: unknown = Reflect.get(raw, 'type');
  if (type === 'close') {
    db?.close();
    db = null;
    ops = null;
    post({ type: 'closed' });
    port.close();
    return;
  }
  const id: unknown = Reflect.get(raw, 'id');
  if (type === 'reclaim' && typeof id === 'number') {
    try {
      reduceHeapMemory();
      post({ type: 'result', id, value: null });
    } catch (e) {
      post({ type: 'error', id, ...describe(e) });
    }
    return;
  }
  if (type !== 'call') return;
  const op: unknown = Reflect.get(raw, 'op');
  const args: unknown = Reflect.get(raw, 'args');
  if (typeof id !== 'number') return;
  try {
    if (ops === null) throw new Error('storage is closed');
    if (!isOperationName(op) || !Array.isArray(args)) throw new Error(`unknown storage operation ${String(op)}`);
    const fn = ops[op] as (...a: unknown[]) => unknown;
    post({ type: 'result', id, value: fn(...args) });
  } catch (e) {
    post({ type: 'error', id, ...describe(e) });
  }
});
