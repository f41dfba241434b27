/**
 * Bounded UDP senders for the flood proofs (issue 10): raw datagrams at an address, and MESSAGEs through
 * a proxy with a window of requests in flight (so the sender measures the UA, not its own queue) and a
 * deadline. Loopback only.
 */
import { createSocket, type Socket } from 'node:dgram';

/** a request without a final this long after its first copy is given up (half a UA's Timer F, 64·T1) */
const GIVE_UP_MS = 16_000;
/** RFC 3261 §17.1.2.2 over UDP: copies T1 apart, doubling up to T2, then every T2 (also once a provisional came) */
const T1_MS = 500;
const T2_MS = 4_000;

export async function boundSocket(address: string): Promise<Socket> {
  const socket = createSocket('udp4');
  await new Promise<void>((resolve, reject) => {
    socket.once('error', reject);
    socket.bind(0, address, () => resolve());
  });
  return socket;
}

/** sends every datagram of `make(i)`, `count` in all, waiting for the kernel every `batch` */
export async function sendDatagrams(socket: Socket, count: number, port: number, address: string, make: (i: number) => Buffer, batch = 200): Promise<void> {
  for (let i = 0; i < count; i += batch) {
    const sends: Promise<void>[] = [];
    for (let j = i; j < Math.min(count, i + batch); j++) {
      sends.push(new Promise<void>((resolve, reject) => socket.send(make(j), port, address, (e) => (e ? reject(e) : resolve()))));
    }
    await Promise.all(sends);
  }
}

export interface WindowedResult {
  /** final status per request number (first final response seen) */
  readonly finals: Map<number, number>;
  /** requests without a final response at the deadline */
  readonly unanswered: number;
  readonly seconds: number;
}

/**
 * Sends `count` requests (`make(i, localPort)` → bytes, Call-ID `callIdOf(i)`) to `port` on 127.0.0.1,
 * keeping at most `window` without a final response; a request is sent again T1 = 500 ms, 1, 2, 4 s apart,
 * then every 4 s, until it has a final or 16 s passed (RFC 3261 §17.1.2.2, as a UA would over UDP). Ends
 * when all have a final (or were given up) or at `deadlineMs`.
 */
export async function sendWindowed(options: {
  readonly count: number;
  readonly window: number;
  readonly port: number;
  readonly deadlineMs: number;
  readonly make: (i: number, localPort: number) => Buffer;
  readonly numberOf: (callId: string) => number | null;
}): Promise<WindowedResult> {
  const socket = await boundSocket('127.0.0.1');
  const localPort = socket.address().port;
  const started = Date.now();
  const finals = new Map<number, number>();
  const inFlight = new Map<number, { sentAt: number; lastAt: number; tries: number; heard: boolean }>();
  let next = 0;
  let wake: () => void = () => undefined;
  socket.on('message', (data) => {
    const text = data.toString('latin1');
    const status = /^SIP\/2\.0 (\d{3})/.exec(text);
    const callId = /\r\n(?:Call-ID|i)[ \t]*:[ \t]*([^\r\n]+)/i.exec(text);
    if (status?.[1] === undefined || callId?.[1] === undefined) return;
    const n = options.numberOf(callId[1].trim());
    if (n === null) return;
    const code = Number(status[1]);
    const pending = inFlight.get(n);
    if (pending !== undefined) pending.heard = true;
    if (code < 200 || finals.has(n)) return;
    finals.set(n, code);
    inFlight.delete(n);
    wake();
  });
  const send = (i: number) => socket.send(options.make(i, localPort), options.port, '127.0.0.1');
  try {
    while (finals.size < options.count && Date.now() - started < options.deadlineMs) {
      while (next < options.count && inFlight.size < options.window) {
        const at = Date.now();
        inFlight.set(next, { sentAt: at, lastAt: at, tries: 1, heard: false });
        send(next);
        next++;
      }
      const now = Date.now();
      // every request sent, and those still without a final waited 16 s (retransmitted all along, like a UA
      // until its Timer F): given up, so a few answers lost on a loaded machine do not hold the run to its deadline.
      // The retransmissions matter: a final lost on its way back (this process's own socket overflows when
      // the test process is starved) is sent again by the proxy's transaction for the next copy.
      if (next >= options.count && [...inFlight.values()].every((p) => now - p.sentAt >= GIVE_UP_MS)) break;
      for (const [i, p] of inFlight) {
        const interval = p.heard ? T2_MS : Math.min(T1_MS * 2 ** (p.tries - 1), T2_MS);
        if (now - p.sentAt < GIVE_UP_MS && now - p.lastAt >= interval) {
          p.tries++;
          p.lastAt = now;
          send(i);
        }
      }
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, 50);
        wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
  } finally {
    socket.close();
  }
  return { finals, unanswered: options.count - finals.size, seconds: (Date.now() - started) / 1000 };
}
