/**
 * A whole app instance (createAppServices) in its own Node 24 process, for crash and load proofs:
 *
 *   node_modules/.bin/node test/support/app-process.ts <dataDir> <secretKeyHex> [<timers JSON {t1,t2,t4}>]
 *
 * Control channel: JSON lines. stdin: {id, op:'invoke', channel, request} | {id, op:'memory'} |
 * {id, op:'stop'} (and {id, op:'memory', gc:true}, {id, op:'mute', events:[names]},
 * {id, op:'heap-snapshot', path} for load tests and profiling). stdout: {ready:true} once built, {id, ok, value|error} per request, and
 * {event, payload} for every service event (trace events are off). Environment (set by spawnAppProcess):
 * APP_PROCESS_SIP (more SIP tuning, JSON), APP_PROCESS_MEMORY_RECLAIM (the after-flood memory check, JSON or
 * false), APP_PROCESS_LIMIT_HEAP_GROWTH=0 (V8's own heap growth); for profiling, APP_PROCESS_V8_FLAGS (e.g. --trace-gc, set at run time) whose output the parent
 * appends to the file APP_PROCESS_LOG. The secret store is AES-256-GCM
 * with the given key, so a second process on the same data dir can read the stored password.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { createInterface } from 'node:readline';
import { getHeapSpaceStatistics, setFlagsFromString, writeHeapSnapshot } from 'node:v8';
import { runInNewContext } from 'node:vm';
import type { InvokeChannel } from '#shared/ipc/contract.ts';
import { createIpcRouter } from '../../main/ipc/router.ts';
import { createAppServices } from '../../main/services/app-services.ts';
import type { SecretStore } from '../../main/services/secret-store.ts';
import type { TimerConfig } from '../../main/sip/transaction/index.ts';

const [dataDir, keyHex, timersJson] = process.argv.slice(2);
if (dataDir === undefined || keyHex === undefined) {
  process.stderr.write('usage: app-process.ts <dataDir> <secretKeyHex>\n');
  process.exit(2);
}
const key = Buffer.from(keyHex, 'hex');

const secrets: SecretStore = {
  protection: () => Promise.resolve('keyring' as const),
  async encrypt(plain) {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', key, iv);
    const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
    return Buffer.concat([iv, cipher.getAuthTag(), body]);
  },
  async decrypt(blob) {
    const decipher = createDecipheriv('aes-256-gcm', key, blob.subarray(0, 12));
    decipher.setAuthTag(blob.subarray(12, 28));
    return Buffer.concat([decipher.update(blob.subarray(28)), decipher.final()]).toString('utf8');
  },
};

// --expose-gc on the command line would be passed on to the storage worker, which refuses it
setFlagsFromString('--expose-gc');
// profiling (e.g. APP_PROCESS_V8_FLAGS=--trace-gc, its lines land in APP_PROCESS_LOG): set here, not on the
// command line, for the same reason
for (const flag of process.env.APP_PROCESS_V8_FLAGS?.split(' ') ?? []) if (flag !== '') setFlagsFromString(flag);
const fullGc = runInNewContext('gc') as () => void;

const write = (value: unknown): void => {
  process.stdout.write(`${JSON.stringify(value)}\n`);
};

const services = await createAppServices({
  dataDir,
  secrets,
  appVersion: 'app-process',
  sip: {
    bindAddress: '127.0.0.1',
    emitTrace: false,
    traceCapacity: 5000,
    ...(timersJson !== undefined ? { timers: JSON.parse(timersJson) as Partial<TimerConfig> } : {}),
    // more SIP tuning from the parent (spawnAppProcess `sip`), e.g. a small server-transaction cap
    ...(process.env.APP_PROCESS_SIP ? (JSON.parse(process.env.APP_PROCESS_SIP) as object) : {}),
  },
  // the parent may make the after-flood memory check quicker (spawnAppProcess `memoryReclaim`) or turn it off
  ...(process.env.APP_PROCESS_MEMORY_RECLAIM ? { memoryReclaim: JSON.parse(process.env.APP_PROCESS_MEMORY_RECLAIM) as false | object } : {}),
  // APP_PROCESS_LIMIT_HEAP_GROWTH=0: V8's own old-generation growth (services/heap-growth.ts), for comparisons
  ...(process.env.APP_PROCESS_LIMIT_HEAP_GROWTH === '0' ? { limitHeapGrowth: false } : {}),
});
const router = createIpcRouter(services.handlers);
/** events the parent asked not to get (a flood would otherwise measure JSON on stdout, not the app) */
const muted = new Set<string>();
services.events.subscribe((name, payload) => {
  if (!muted.has(name)) write({ event: name, payload });
});

createInterface({ input: process.stdin }).on('line', (line) => {
  void (async () => {
    let msg: Record<string, unknown>;
    try {
      msg = JSON.parse(line) as Record<string, unknown>;
    } catch {
      return;
    }
    const id = msg.id;
    try {
      if (msg.op === 'invoke') {
        const result = await router.dispatch(msg.channel as InvokeChannel, msg.request as never);
        if (result.ok) write({ id, ok: true, value: result.value });
        else write({ id, ok: false, error: `${String(msg.channel)}: ${result.error.code} ${result.error.message}` });
      } else if (msg.op === 'memory') {
        // measure what is retained, not garbage not yet collected
        if (msg.gc === true) fullGc();
        const workerHeap = await services.storage.workerHeap().catch(() => ({ used: 0, total: 0 }));
        const spaces = Object.fromEntries(getHeapSpaceStatistics().filter((s) => s.space_size > 0).map((s) => [s.space_name, { size: s.space_size, used: s.space_used_size }]));
        write({ id, ok: true, value: { ...process.memoryUsage(), cpuMicros: process.cpuUsage(), workerHeap, spaces, reclaims: services.memoryReclaims() } });
      } else if (msg.op === 'mute') {
        for (const name of Array.isArray(msg.events) ? msg.events : []) muted.add(String(name));
        write({ id, ok: true, value: null });
      } else if (msg.op === 'heap-snapshot') {
        write({ id, ok: true, value: writeHeapSnapshot(String(msg.path)) });
      } else if (msg.op === 'stop') {
        await services.dispose();
        write({ id, ok: true, value: null });
        process.exit(0);
      } else write({ id, ok: false, error: `unknown op ${String(msg.op)}` });
    } catch (e) {
      write({ id, ok: false, error: e instanceof Error ? e.message : String(e) });
    }
  })();
});
write({ ready: true });
