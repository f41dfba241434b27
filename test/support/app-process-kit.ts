/**
 * App instances for the messaging proofs: the whole main side built by createAppServices (as the Electron
 * app builds it) and driven through the IPC router, either in this process (`startApp`) or in a child
 * Node process (`spawnAppProcess`, see app-process.ts) that can be killed with SIGKILL.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { appendFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import type { AccountDto, AccountInput, TransportKind } from '#shared/domain/account.ts';
import type { MessageDto, MessagePage } from '#shared/domain/chat.ts';
import type { EventMap, EventName, InvokeChannel, RequestOf, ResponseOf } from '#shared/ipc/contract.ts';
import { createIpcRouter } from '../../main/ipc/router.ts';
import { createAppServices, type AppServices, type AppServicesOptions } from '../../main/services/app-services.ts';
import { createTestSecretStore } from '../../main/services/secret-store.ts';
import { startKamailio, type RunningKamailio } from './kamailio.ts';
import { waitFor } from './peers.ts';

export interface AppEvent {
  readonly name: EventName;
  readonly payload: unknown;
}

/** What both kinds of instance offer: IPC calls and the events seen so far. */
export interface AppDriver {
  readonly events: AppEvent[];
  call<C extends InvokeChannel>(channel: C, request: RequestOf<C>): Promise<ResponseOf<C>>;
  of<E extends EventName>(name: E): EventMap[E][];
}

export interface App extends AppDriver {
  readonly services: AppServices;
  readonly dataDir: string;
}

function eventsOf(events: AppEvent[]) {
  return <E extends EventName>(name: E): EventMap[E][] => events.filter((e) => e.name === name).map((e) => e.payload as EventMap[E]);
}

/** An in-process app instance; `options` may add e.g. an `audio` port or another data folder. */
export async function startApp(options: Partial<AppServicesOptions> = {}): Promise<App> {
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'sipm-msg-app-'));
  const services = await createAppServices({
    secrets: createTestSecretStore(),
    appVersion: 'test',
    // no trace events on the bus: the flood would fill `events`; the trace is read through list-trace
    sip: { bindAddress: '127.0.0.1', emitTrace: false, traceCapacity: 5000 },
    // V8's heap-growth flag is process-wide: it would change the GC of the whole test worker, not one app's
    // (spawnAppProcess children, the flood proof, keep it)
    limitHeapGrowth: false,
    ...options,
    dataDir,
  });
  const router = createIpcRouter(services.handlers);
  const events: AppEvent[] = [];
  services.events.subscribe((name, payload) => events.push({ name, payload }));
  return {
    services,
    dataDir,
    events,
    async call(channel, request) {
      const result = await router.dispatch(channel, request);
      if (!result.ok) throw new Error(`${channel}: ${result.error.code} ${result.error.message}`);
      return result.value as never;
    },
    of: eventsOf(events),
  };
}

export interface AccountSpec {
  readonly user: string;
  readonly sipPort: number;
  readonly transport?: TransportKind;
  readonly tlsPort?: number;
  readonly certPem?: string;
  readonly cpim?: boolean;
  readonly id?: AccountDto['id'] | null;
  /** false: saved but not registered (default true) */
  readonly enabled?: boolean;
}

/** The peer lab's users (password `<user>-secret`) at example.test, through Kamailio as outbound proxy. */
export function accountInput(spec: AccountSpec): AccountInput {
  const transport = spec.transport ?? 'udp';
  const proxy =
    transport === 'tls'
      ? `sip:127.0.0.1:${String(spec.tlsPort ?? spec.sipPort + 1)};transport=tls`
      : `sip:127.0.0.1:${String(spec.sipPort)}${transport === 'tcp' ? ';transport=tcp' : ''}`;
  return {
    id: spec.id ?? null,
    aor: `sip:${spec.user}@example.test`,
    displayName: spec.user,
    authUser: spec.user,
    password: `${spec.user}-secret`,
    registrar: 'example.test',
    outboundProxy: proxy,
    transport,
    port: null,
    cpim: spec.cpim ?? false,
    pinnedCertificate: transport === 'tls' ? (spec.certPem ?? null) : null,
    enabled: spec.enabled ?? true,
  };
}

export async function waitRegistered(app: AppDriver, accountId: string, timeoutMs = 15_000): Promise<void> {
  await waitFor(
    () => app.of('accounts:registration-changed').some((r) => r.accountId === accountId && r.registration.state === 'registered'),
    `${accountId} registered`,
    timeoutMs,
  );
}

export const isFinal = (m: MessageDto): boolean => m.state !== 'queued' && m.state !== 'sending';

export function lastState(app: AppDriver, id: string): MessageDto | undefined {
  return app.of('chats:message-changed').filter((m) => m.id === id).at(-1);
}

export async function waitFinal(app: AppDriver, id: string, timeoutMs = 15_000): Promise<MessageDto> {
  await waitFor(() => app.of('chats:message-changed').some((m) => m.id === id && isFinal(m)), `message ${id} final`, timeoutMs);
  const last = lastState(app, id);
  if (last === undefined) throw new Error('no state');
  return last;
}

/** Sends `body` to `peer` and returns the queued message(s); throws on needs-choice. */
export async function send(app: AppDriver, peer: string, body: string, accountId: AccountDto['id'] | null = null): Promise<MessageDto[]> {
  const conversation = await app.call('chats:open-conversation', { accountId, peer });
  const outcome = await app.call('chats:send-message', { conversationId: conversation.id, body, expiresInSeconds: null, oversize: null });
  if (outcome.kind !== 'queued') throw new Error(`expected queued, got ${outcome.kind}`);
  return [...outcome.messages];
}

/** Every stored message body of the conversation with `peer`, oldest first, and the storage's total. */
export async function storedWith(app: AppDriver, peer: string): Promise<{ bodies: string[]; total: number }> {
  const conversations = await app.call('chats:list-conversations', null);
  const c = conversations.find((x) => x.peer === peer);
  if (c === undefined) return { bodies: [], total: 0 };
  const pages: string[][] = [];
  let before: string | null = null;
  for (;;) {
    const page: MessagePage = await app.call('chats:page-messages', { conversationId: c.id, before, limit: 1000 });
    // pages are newest first
    pages.unshift(page.messages.map((m) => m.body).reverse());
    if (page.nextCursor === null) return { bodies: pages.flat(), total: page.total };
    before = page.nextCursor;
  }
}

/** the header block of a wire message */
export function headerBlock(text: string): string {
  const end = text.indexOf('\r\n\r\n');
  return end === -1 ? text : text.slice(0, end);
}

export function headerValue(text: string, name: string, compact?: string): string | undefined {
  const names = compact === undefined ? name : `${name}|${compact}`;
  return new RegExp(`\\r\\n(?:${names})[ \\t]*:[ \\t]*([^\\r\\n]*)`, 'i').exec(headerBlock(text))?.[1]?.trim();
}

// ---- child process ----

const SCRIPT = fileURLToPath(new URL('./app-process.ts', import.meta.url));
const NODE = fileURLToPath(new URL('../../node_modules/.bin/node', import.meta.url));

export interface AppProcess extends AppDriver {
  readonly pid: number;
  readonly dataDir: string;
  readonly exited: Promise<number | null>;
  /** process.memoryUsage() (after a full GC when `gc`) and process.cpuUsage() */
  memory(gc?: boolean): Promise<ProcessUsage>;
  heapSnapshot(path: string): Promise<string>;
  /** stops forwarding these events (they are still emitted inside the process) */
  mute(events: readonly EventName[]): Promise<void>;
  /** SIGKILL: no unregister, no flush */
  kill(): Promise<void>;
  /** disposes the services and exits */
  stop(): Promise<void>;
}

export type ProcessUsage = NodeJS.MemoryUsage & {
  readonly cpuMicros: NodeJS.CpuUsage;
  /** the storage worker's own V8 heap (not reached by the main isolate's GC) */
  readonly workerHeap: { readonly used: number; readonly total: number };
  /** the main isolate's heap spaces (v8.getHeapSpaceStatistics), size and used bytes */
  readonly spaces: Record<string, { readonly size: number; readonly used: number }>;
  /** the app's own memory-reducing GCs after floods (services/memory-reclaim.ts) */
  readonly reclaims: { readonly reclaims: number; readonly releasedBytes: number };
};

export interface AppProcessOptions {
  readonly dataDir: string;
  /** hex AES key of the secret store; the same key lets a second process read the stored password */
  readonly secretKey: string;
  /** SIP timer tuning (e.g. a short T1 so Timer J ends completed server transactions sooner) */
  readonly timers?: { readonly t1?: number; readonly t2?: number; readonly t4?: number };
  /** more SIP tuning (SipStackServiceOptions, as JSON), e.g. `{ serverCap: { max: 16 } }` */
  readonly sip?: Record<string, unknown>;
  /** the after-flood memory check (AppServicesOptions.memoryReclaim): its timing, or false for none */
  readonly memoryReclaim?: { readonly intervalMs?: number; readonly thresholdBytes?: number; readonly minGapMs?: number } | false;
}

export const newSecretKey = (): string => randomBytes(32).toString('hex');

type Reply = { id: number; ok: true; value: unknown } | { id: number; ok: false; error: string };

export async function spawnAppProcess(o: AppProcessOptions): Promise<AppProcess> {
  const child: ChildProcess = spawn(NODE, ['--disable-warning=ExperimentalWarning', ...(process.env.APP_PROCESS_NODE_ARGS?.split(' ').filter((a) => a !== '') ?? []), SCRIPT, o.dataDir, o.secretKey, ...(o.timers ? [JSON.stringify(o.timers)] : [])], {
    stdio: ['pipe', 'pipe', 'pipe'],
    env: {
      ...process.env,
      ...(o.sip !== undefined ? { APP_PROCESS_SIP: JSON.stringify(o.sip) } : {}),
      ...(o.memoryReclaim !== undefined ? { APP_PROCESS_MEMORY_RECLAIM: JSON.stringify(o.memoryReclaim) } : {}),
    },
  });
  if (child.pid === undefined || child.stdin === null || child.stdout === null || child.stderr === null) throw new Error('app process did not start');
  const stdin = child.stdin;
  const events: AppEvent[] = [];
  const pending = new Map<number, (r: Reply) => void>();
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-4000)));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  void exited.then(() => {
    for (const [, r] of pending) r({ id: -1, ok: false, error: `app process exited\n${stderr}` });
    pending.clear();
  });
  let ready: () => void = () => undefined;
  const readyPromise = new Promise<void>((r) => (ready = r));
  createInterface({ input: child.stdout }).on('line', (line) => {
    let msg: unknown;
    try {
      msg = JSON.parse(line);
    } catch {
      // anything else the child prints (e.g. --trace-gc through APP_PROCESS_NODE_ARGS) goes to APP_PROCESS_LOG
      if (process.env.APP_PROCESS_LOG) appendFileSync(process.env.APP_PROCESS_LOG, `${line}\n`);
      return;
    }
    if (typeof msg !== 'object' || msg === null) return;
    const m = msg as Record<string, unknown>;
    if (m.ready === true) ready();
    else if (typeof m.event === 'string') events.push({ name: m.event as EventName, payload: m.payload });
    else if (typeof m.id === 'number') {
      pending.get(m.id)?.(m as unknown as Reply);
      pending.delete(m.id);
    }
  });
  let seq = 0;
  const request = (op: string, body: Record<string, unknown>): Promise<unknown> =>
    new Promise((resolve, reject) => {
      const id = ++seq;
      pending.set(id, (r) => (r.ok ? resolve(r.value) : reject(new Error(r.error))));
      stdin.write(`${JSON.stringify({ id, op, ...body })}\n`);
    });
  await Promise.race([
    readyPromise,
    exited.then((code) => {
      throw new Error(`app process exited (${String(code)}) before ready:\n${stderr}`);
    }),
  ]);
  const pid = child.pid;
  return {
    pid,
    dataDir: o.dataDir,
    events,
    exited,
    call: (channel, req) => request('invoke', { channel, request: req }) as never,
    of: eventsOf(events),
    memory: (gc = false) => request('memory', { gc }) as Promise<ProcessUsage>,
    heapSnapshot: (path) => request('heap-snapshot', { path }) as Promise<string>,
    mute: async (names) => {
      await request('mute', { events: names });
    },
    kill: async () => {
      if (child.exitCode === null && child.signalCode === null) process.kill(pid, 'SIGKILL');
      await exited;
    },
    stop: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      await request('stop', {}).catch(() => undefined);
      const timer = setTimeout(() => child.exitCode === null && process.kill(pid, 'SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** Kamailio on a random even port of [base, base+span) (TLS on +1), with `shmMb` of shared memory. */
export async function startKamailioIn(base: number, span: number, shmMb = 64): Promise<{ kamailio: RunningKamailio; sipPort: number }> {
  let lastError: unknown;
  for (let attempt = 0; attempt < 4; attempt++) {
    const sipPort = base + 2 * Math.floor(Math.random() * (span / 2));
    try {
      return { kamailio: await startKamailio({ sipPort, tlsPort: sipPort + 1, shmMb }), sipPort };
    } catch (err) {
      lastError = err;
    }
  }
  throw lastError instanceof Error ? lastError : new Error(String(lastError));
}
