/**
 * A process and its descendants, read from /proc (Linux): for peers that fork workers (Kamailio's
 * children share the listening sockets), so a test can freeze and thaw the whole peer by PID — never
 * by name — to simulate a PBX that stops answering without closing its sockets (no ICMP, no RST).
 */
import { readFileSync, readdirSync } from 'node:fs';

/** The parent PID of `pid`, or undefined when it is gone. */
function parentOf(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${String(pid)}/stat`, 'utf8');
    // "pid (comm) state ppid …": comm may contain spaces and parentheses, so read after the last ')'
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return Number.parseInt(fields[1] ?? '', 10);
  } catch {
    return undefined;
  }
}

/** `root` and every living descendant of it. */
export function processTree(root: number): number[] {
  const children = new Map<number, number[]>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const pid = Number.parseInt(entry, 10);
    const parent = parentOf(pid);
    if (parent === undefined) continue;
    const list = children.get(parent) ?? [];
    list.push(pid);
    children.set(parent, list);
  }
  const out: number[] = [];
  const todo = [root];
  while (todo.length > 0) {
    const pid = todo.pop()!;
    out.push(pid);
    todo.push(...(children.get(pid) ?? []));
  }
  return out;
}

/** Sends `signal` to `root` and all its descendants (each by PID); returns how many were signalled. */
export function signalTree(root: number, signal: NodeJS.Signals): number {
  let sent = 0;
  for (const pid of processTree(root)) {
    try {
      process.kill(pid, signal);
      sent += 1;
    } catch {
      // exited meanwhile
    }
  }
  return sent;
}
