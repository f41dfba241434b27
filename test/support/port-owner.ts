/**
 * Peer readiness proven by ownership: a port is "ready" only when a socket bound to it belongs to the
 * peer's own process (or one it forked), read from /proc/net/{udp,tcp}[6] (socket inode per local
 * port) and /proc/PID/fd (which inodes the process holds). Any other listener on the port does not count.
 */
import { readFileSync, readdirSync, readlinkSync } from 'node:fs';

export type PortProtocol = 'udp' | 'tcp';

/** socket inodes bound to `port` (TCP: in LISTEN state) in /proc/net/<protocol>{,6} */
export function socketInodesOnPort(protocol: PortProtocol, port: number): Set<string> {
  const inodes = new Set<string>();
  for (const table of [protocol, `${protocol}6`]) {
    let text: string;
    try {
      text = readFileSync(`/proc/net/${table}`, 'utf8');
    } catch {
      continue;
    }
    for (const line of text.split('\n').slice(1)) {
      const cols = line.trim().split(/\s+/);
      const local = cols[1];
      if (local === undefined || cols[9] === undefined) continue;
      if (Number.parseInt(local.slice(local.lastIndexOf(':') + 1), 16) !== port) continue;
      // tcp state 0A = LISTEN; udp sockets have no listen state (07 = unconnected)
      if (protocol === 'tcp' && cols[3] !== '0A') continue;
      inodes.add(cols[9]);
    }
  }
  return inodes;
}

/** the process and every descendant (Kamailio forks its workers) */
function processTree(pid: number): number[] {
  const out = [pid];
  for (let i = 0; i < out.length; i++) {
    const p = out[i] as number;
    let tasks: string[];
    try {
      tasks = readdirSync(`/proc/${p}/task`);
    } catch {
      continue;
    }
    for (const t of tasks) {
      try {
        for (const c of readFileSync(`/proc/${p}/task/${t}/children`, 'utf8').trim().split(/\s+/)) if (c !== '') out.push(Number(c));
      } catch {
        // the task ended meanwhile
      }
    }
  }
  return out;
}

function socketInodesOf(pid: number): Set<string> {
  const inodes = new Set<string>();
  for (const p of processTree(pid)) {
    let fds: string[];
    try {
      fds = readdirSync(`/proc/${p}/fd`);
    } catch {
      continue;
    }
    for (const fd of fds) {
      try {
        const m = /^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/${p}/fd/${fd}`));
        if (m?.[1] !== undefined) inodes.add(m[1]);
      } catch {
        // closed meanwhile
      }
    }
  }
  return inodes;
}

/** true when a socket bound to `port` belongs to `pid` or one of its descendants */
export function portOwnedBy(pid: number, protocol: PortProtocol, port: number): boolean {
  const onPort = socketInodesOnPort(protocol, port);
  if (onPort.size === 0) return false;
  for (const inode of socketInodesOf(pid)) if (onPort.has(inode)) return true;
  return false;
}

/**
 * Resolves once `pid` owns `port` for every protocol given; rejects when `exited()` reports the process
 * gone (e.g. its bind failed: the caller picks another port) or after `timeoutMs` (generous: busy CI).
 * Polls the kernel's tables: this waits on the condition itself, not on a guessed delay.
 */
export async function waitForPortOwnedBy(
  pid: number,
  protocols: readonly PortProtocol[],
  port: number,
  opts: { readonly exited?: () => boolean; readonly timeoutMs?: number } = {},
): Promise<void> {
  const deadline = Date.now() + (opts.timeoutMs ?? 20_000);
  for (;;) {
    if (protocols.every((p) => portOwnedBy(pid, p, port))) return;
    if (opts.exited?.() === true) throw new Error(`process ${pid} exited before owning port ${port}`);
    if (Date.now() > deadline) throw new Error(`process ${pid} did not own ${protocols.join('+')} port ${port} in time`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
