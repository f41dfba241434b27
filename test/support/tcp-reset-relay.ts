/**
 * A TCP relay for tests (issue 11) that can reset every connection through it: clients connect to `port`,
 * each gets its own upstream connection to the target, bytes are piped both ways. `resetAll()` aborts
 * every pair with a TCP RST on both sides (Node's resetAndDestroy: SO_LINGER 0), the way a PBX or a NAT
 * box dropping its state does, possibly in the middle of a message. Counts connections and resets.
 */
import { createServer, connect, type Server, type Socket } from 'node:net';

export interface TcpResetRelay {
  readonly port: number;
  readonly stats: { accepted: number; resets: number };
  /** RSTs every open connection (both sides); returns how many pairs it cut */
  resetAll(): number;
  close(): Promise<void>;
}

export async function startTcpResetRelay(target: { readonly address: string; readonly port: number }): Promise<TcpResetRelay> {
  const stats = { accepted: 0, resets: 0 };
  const pairs = new Set<{ client: Socket; upstream: Socket }>();
  const server: Server = createServer((client) => {
    stats.accepted++;
    const upstream = connect(target.port, target.address);
    const pair = { client, upstream };
    pairs.add(pair);
    const end = () => {
      pairs.delete(pair);
      client.destroy();
      upstream.destroy();
    };
    client.on('error', end).on('close', end);
    upstream.on('error', end).on('close', end);
    client.pipe(upstream);
    upstream.pipe(client);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('relay has no port');
  return {
    port: address.port,
    stats,
    resetAll() {
      let cut = 0;
      for (const pair of [...pairs]) {
        pairs.delete(pair);
        pair.client.resetAndDestroy();
        pair.upstream.resetAndDestroy();
        cut++;
      }
      stats.resets += cut;
      return cut;
    },
    async close() {
      for (const pair of pairs) {
        pair.client.destroy();
        pair.upstream.destroy();
      }
      pairs.clear();
      // new connections are refused at once; the listening socket is gone when close() calls back
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
