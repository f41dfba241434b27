/**
 * Contestants and load for `npm run bench:stack` (not a benchmark file): our headless stack
 * (bench/stack-uas.ts in its own Node process) and baresip, each listening on a loopback UDP port, and a
 * sipp run at a fixed rate against one of them. Every process is started here and stopped by its PID.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

export const SIPP = '/usr/bin/sipp';
export const BARESIP = '/usr/bin/baresip';
const SCENARIO = fileURLToPath(new URL('./sipp/message-direct.xml', import.meta.url));

export interface Contestant {
  readonly name: string;
  readonly port: number;
  readonly pid: number;
  /** CPU seconds the process has used so far (user + system, all threads) */
  cpuSeconds(): number;
  /** resident set size in bytes */
  rssBytes(): number;
  stop(): Promise<void>;
}

export function tempDir(name: string): string {
  return mkdtempSync(join(tmpdir(), `sipm-bench-${name}-`));
}

/** utime + stime of a process from /proc (Linux), in seconds */
export function procCpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${String(pid)}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // fields after the comm: state(0) ... utime(11) stime(12), in clock ticks (100 Hz on Linux)
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

export function procRssBytes(pid: number): number {
  const status = readFileSync(`/proc/${String(pid)}/status`, 'utf8');
  const kb = /VmRSS:\s+(\d+) kB/.exec(status)?.[1];
  return kb === undefined ? 0 : Number(kb) * 1024;
}

function stopper(child: ChildProcess, pid: number): () => Promise<void> {
  const exited = new Promise<void>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve();
    else child.once('exit', () => resolve());
  });
  return async () => {
    if (child.exitCode === null && child.signalCode === null) {
      try {
        process.kill(pid, 'SIGTERM');
      } catch {
        return;
      }
      await Promise.race([exited, new Promise((r) => setTimeout(r, 3000))]);
      if (child.exitCode === null && child.signalCode === null) process.kill(pid, 'SIGKILL');
    }
  };
}

export interface OurStack extends Contestant {
  /** one command line to bench/stack-uas.ts, one JSON answer */
  command(line: string): Promise<Record<string, number>>;
}

/** our stack on a new database, or on `database` (a file an earlier instance filled) */
export async function startOurs(database?: string): Promise<OurStack & { readonly database: string }> {
  const file = database ?? join(tempDir('ours'), 'bench.db');
  const child = spawn(process.execPath, ['--disable-warning=ExperimentalWarning', fileURLToPath(new URL('./stack-uas.ts', import.meta.url)), file], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  if (child.pid === undefined || child.stdin === null || child.stdout === null) throw new Error('stack-uas did not start');
  const pid = child.pid;
  const lines = createInterface({ input: child.stdout });
  const queue: ((line: string) => void)[] = [];
  const early: string[] = [];
  lines.on('line', (line) => {
    const next = queue.shift();
    if (next === undefined) early.push(line);
    else next(line);
  });
  const nextLine = (): Promise<string> =>
    new Promise((resolve, reject) => {
      const buffered = early.shift();
      if (buffered !== undefined) resolve(buffered);
      else {
        queue.push(resolve);
        child.once('exit', (code) => reject(new Error(`stack-uas exited (${String(code)})`)));
      }
    });
  const ready = await nextLine();
  const port = Number(/^ready (\d+)$/.exec(ready)?.[1] ?? NaN);
  if (!Number.isInteger(port)) throw new Error(`stack-uas: ${ready}`);
  const stdin = child.stdin;
  return {
    name: 'ours',
    database: file,
    port,
    pid,
    cpuSeconds: () => procCpuSeconds(pid),
    rssBytes: () => procRssBytes(pid),
    async command(line) {
      stdin.write(`${line}\n`);
      return JSON.parse(await nextLine()) as Record<string, number>;
    },
    stop: stopper(child, pid),
  };
}

/** a free loopback TCP port (baresip's ctrl is off; used to pick its SIP port with a quick probe) */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const address = s.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      s.close(() => resolve(port));
    });
  });
}

/**
 * baresip as a plain UA on loopback: one account without registration, the `menu` module (it takes
 * incoming MESSAGEs and prints them, and baresip answers 200), no audio device.
 */
export async function startBaresip(): Promise<Contestant> {
  const dir = tempDir('baresip');
  const conf = join(dir, 'conf');
  mkdirSync(conf);
  const port = await freePort();
  writeFileSync(
    join(conf, 'config'),
    [
      'poll_method epoll',
      `sip_listen 127.0.0.1:${String(port)}`,
      'net_interface 127.0.0.1',
      'dns_server 127.0.0.1:53',
      'module_path /usr/lib/baresip/modules',
      'module stdio.so',
      'module g711.so',
      'module_tmp uuid.so',
      'module_tmp account.so',
      'module_app menu.so',
      '',
    ].join('\n'),
  );
  writeFileSync(join(conf, 'accounts'), `<sip:bob@127.0.0.1:${String(port)}>;regint=0;answermode=manual\n`);
  writeFileSync(join(conf, 'contacts'), '');
  const fifo = join(dir, 'stdin');
  const mk = spawn('mkfifo', [fifo]);
  await new Promise((r) => mk.on('exit', r));
  const logFile = join(dir, 'baresip.log');
  // stdin opened read-write: baresip never sees EOF
  const child = spawn('/bin/sh', ['-c', `exec "$0" -f "$1" <>"$2" >"$3" 2>&1`, BARESIP, conf, fifo, logFile], { cwd: dir, stdio: 'ignore' });
  if (child.pid === undefined) throw new Error('baresip did not start');
  const pid = child.pid;
  const log = () => (existsSync(logFile) ? readFileSync(logFile, 'utf8') : '');
  const deadline = Date.now() + 20_000;
  while (!/baresip is ready|ready\./i.test(log())) {
    if (child.exitCode !== null) throw new Error(`baresip exited:\n${log()}`);
    if (Date.now() > deadline) {
      process.kill(pid, 'SIGKILL');
      throw new Error(`baresip not ready:\n${log()}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return { name: 'baresip', port, pid, cpuSeconds: () => procCpuSeconds(pid), rssBytes: () => procRssBytes(pid), stop: stopper(child, pid) };
}

export interface SippResult {
  readonly sent: number;
  readonly successful: number;
  readonly failed: number;
  readonly retransmissions: number;
  readonly seconds: number;
  readonly stdout: string;
}

function counter(stdout: string, what: string): number {
  const last = stdout.split('\n').filter((l) => l.includes(what)).at(-1) ?? '';
  const n = last.split('|').at(-1)?.trim() ?? '';
  return /^\d+$/.test(n) ? Number(n) : NaN;
}

/** the retransmission column of the MESSAGE row of sipp's final message table */
function retransmissions(stdout: string): number {
  const row = stdout.split('\n').filter((l) => /MESSAGE\s+---------->/.test(l)).at(-1) ?? '';
  const numbers = row.slice(row.lastIndexOf('---------->') + 10).trim().split(/\s+/).filter((x) => /^\d+$/.test(x)).map(Number);
  return numbers[1] ?? NaN;
}

/** sipp sends `rate` MESSAGE/s for `seconds` to 127.0.0.1:port and waits for the answers (bounded). */
export function runSippRate(port: number, rate: number, seconds: number, cwd: string): Promise<SippResult> {
  const count = Math.round(rate * seconds);
  const args = [
    '-i', '127.0.0.1', '-p', '0', '-nostdin', '-sf', SCENARIO, '-s', 'bob',
    '-r', String(rate), '-m', String(count), '-l', String(Math.max(100, rate * 10)),
    '-timeout', String(Math.ceil(seconds + 40)), '-timeout_error', '-max_socket', '10',
    `127.0.0.1:${String(port)}`,
  ];
  const started = performance.now();
  const child = spawn(SIPP, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  child.stdout?.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (stdout += d.toString()));
  return new Promise((resolve) => {
    child.on('exit', () => {
      resolve({
        sent: count,
        successful: counter(stdout, 'Successful call'),
        failed: counter(stdout, 'Failed call'),
        retransmissions: retransmissions(stdout),
        seconds: (performance.now() - started) / 1000,
        stdout,
      });
    });
  });
}
