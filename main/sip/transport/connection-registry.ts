/**
 * The open TCP/TLS connections, found by id (Endpoint.connectionId) or by peer (protocol, address, port;
 * for TLS also the server name it was verified for). RFC 3261 §18.1.1: a request to a peer reuses an open
 * connection to it; concurrent sends while a connection is being opened share that one attempt.
 */
import { sameAddress } from './address.ts';
import type { StreamConnection } from './stream-connection.ts';
import type { Endpoint } from './types.ts';

export function peerKey(e: Pick<Endpoint, 'protocol' | 'address' | 'port'>): string {
  return `${e.protocol}|${e.address.toLowerCase()}|${e.port}`;
}

export class ConnectionRegistry {
  private readonly byId = new Map<string, StreamConnection>();
  private readonly pending = new Map<string, Promise<StreamConnection>>();
  private nextId = 1;

  newId(protocol: string): string {
    return `${protocol}-${this.nextId++}`;
  }

  add(connection: StreamConnection): void {
    this.byId.set(connection.id, connection);
  }

  remove(connection: StreamConnection): void {
    this.byId.delete(connection.id);
  }

  get(id: string): StreamConnection | undefined {
    const c = this.byId.get(id);
    return c?.isOpen ? c : undefined;
  }

  /**
   * An open connection to this peer: outgoing ones first (those were opened to the peer's listening port),
   * then accepted ones whose source is exactly this address and port. A TLS connection is only reused for
   * the same server name it was verified against.
   */
  find(destination: Endpoint): StreamConnection | undefined {
    let accepted: StreamConnection | undefined;
    for (const c of this.byId.values()) {
      if (!c.isOpen || c.protocol !== destination.protocol) continue;
      if (c.remote.port !== destination.port || !sameAddress(c.remote.address, destination.address)) continue;
      if (destination.protocol === 'tls' && destination.serverName !== undefined && c.outbound && c.remote.serverName !== destination.serverName) continue;
      if (c.outbound) return c;
      accepted ??= c;
    }
    return accepted;
  }

  /** one connection attempt per peer at a time */
  connectOnce(destination: Endpoint, open: () => Promise<StreamConnection>): Promise<StreamConnection> {
    const key = `${peerKey(destination)}|${destination.serverName ?? ''}`;
    const running = this.pending.get(key);
    if (running) return running;
    const attempt = open().finally(() => this.pending.delete(key));
    this.pending.set(key, attempt);
    return attempt;
  }

  all(): StreamConnection[] {
    return [...this.byId.values()].filter((c) => c.isOpen);
  }

  closeAll(): void {
    for (const c of this.byId.values()) c.close(null);
    this.byId.clear();
  }
}
