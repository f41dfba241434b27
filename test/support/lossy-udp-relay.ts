/**
 * A lossy UDP relay for tests (issue 11): clients send to `port`; each client gets its own upstream
 * socket to the target, so replies find their way back. Every datagram, each way, is dropped with
 * probability `drop` and otherwise, with probability `reorder`, held back a few milliseconds so later
 * ones overtake it. Seeded, so a failing run can be repeated. Counts what it dropped and reordered.
 */
import { createSocket, type Socket } from 'node:dgram';

export interface LossyRelay {
  readonly port: number;
  readonly stats: { forwarded: number; dropped: number; reordered: number };
  close(): Promise<void>;
}

/** mulberry32: a small seeded PRNG */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export async function startLossyRelay(o: { target: { address: string; port: number }; drop: number; reorder: number; seed: number }): Promise<LossyRelay> {
  const random = prng(o.seed);
  const stats = { forwarded: 0, dropped: 0, reordered: 0 };
  const front = createSocket('udp4');
  const upstream = new Map<string, Socket>();
  const timers = new Set<ReturnType<typeof setTimeout>>();
  let closed = false;
  const pass = (send: () => void): void => {
    if (closed) return;
    if (random() < o.drop) {
      stats.dropped++;
      return;
    }
    stats.forwarded++;
    if (random() < o.reorder) {
      stats.reordered++;
      const t = setTimeout(() => {
        timers.delete(t);
        if (!closed) send();
      }, 5 + Math.floor(random() * 25));
      timers.add(t);
      return;
    }
    send();
  };
  front.on('message', (data, rinfo) => {
    const key = `${rinfo.address}:${String(rinfo.port)}`;
    let up = upstream.get(key);
    if (up === undefined) {
      const s = createSocket('udp4');
      s.bind(0, '127.0.0.1');
      s.on('message', (back) => pass(() => front.send(back, rinfo.port, rinfo.address)));
      s.on('error', () => undefined);
      upstream.set(key, s);
      up = s;
    }
    const u = up;
    pass(() => u.send(data, o.target.port, o.target.address));
  });
  front.on('error', () => undefined);
  await new Promise<void>((resolve) => front.bind(0, '127.0.0.1', () => resolve()));
  return {
    port: front.address().port,
    stats,
    close: async () => {
      closed = true;
      for (const t of timers) clearTimeout(t);
      for (const s of upstream.values()) s.close();
      await new Promise<void>((r) => front.close(() => r()));
    },
  };
}
