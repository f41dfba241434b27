/**
 * UDP sockets of the transport layer (RFC 3261 §18): one per address family, bound to the configured
 * listen address or, for a family nobody configured, lazily to the wildcard address and port 0 when the
 * first datagram goes to it. Every datagram received is handed on with its source.
 */
import { createSocket, type Socket } from 'node:dgram';
import { isIP } from 'node:net';
import { normalizeAddress } from './address.ts';

/** receive buffer asked of the OS for each UDP socket */
export const DEFAULT_UDP_RECEIVE_BUFFER = 2 * 1024 * 1024;

export interface UdpDatagram {
  readonly data: Buffer;
  readonly address: string;
  readonly port: number;
  readonly local: { readonly address: string; readonly port: number };
}

export interface BoundUdp {
  readonly socket: Socket;
  readonly family: 4 | 6;
  readonly address: string;
  readonly port: number;
}

export class UdpSockets {
  private readonly bound = new Map<4 | 6, BoundUdp>();
  private readonly binding = new Map<4 | 6, Promise<BoundUdp>>();
  private readonly onDatagram: (d: UdpDatagram) => void;
  private readonly onSocketError: (message: string) => void;

  private readonly receiveBufferBytes: number;

  constructor(onDatagram: (d: UdpDatagram) => void, onSocketError: (message: string) => void, receiveBufferBytes = DEFAULT_UDP_RECEIVE_BUFFER) {
    this.onDatagram = onDatagram;
    this.onSocketError = onSocketError;
    this.receiveBufferBytes = receiveBufferBytes;
  }

  /** binds a socket; one per family */
  bind(address: string, port: number): Promise<BoundUdp> {
    const family: 4 | 6 = isIP(address) === 6 ? 6 : 4;
    const existing = this.binding.get(family);
    if (existing) return existing;
    const promise = new Promise<BoundUdp>((resolve, reject) => {
      const socket = createSocket({ type: family === 6 ? 'udp6' : 'udp4', ...(family === 6 ? { ipv6Only: true } : {}) });
      socket.once('error', reject);
      socket.bind(port, address, () => {
        socket.removeListener('error', reject);
        // a burst of datagrams must not overflow the default kernel buffer (seen: 166 of 500 kept)
        try {
          if (this.receiveBufferBytes > socket.getRecvBufferSize()) socket.setRecvBufferSize(this.receiveBufferBytes);
        } catch {
          // the OS limit (net.core.rmem_max) is lower: keep its default
        }
        const a = socket.address();
        const entry: BoundUdp = { socket, family, address: normalizeAddress(a.address), port: a.port };
        this.bound.set(family, entry);
        socket.on('message', (data, rinfo) =>
          this.onDatagram({ data, address: normalizeAddress(rinfo.address), port: rinfo.port, local: { address: entry.address, port: entry.port } }),
        );
        // an ICMP port unreachable from an earlier send shows up here on some systems: never crash
        socket.on('error', (err) => this.onSocketError(err.message));
        resolve(entry);
      });
    });
    this.binding.set(family, promise);
    promise.catch(() => this.binding.delete(family));
    return promise;
  }

  /** the socket for sending to `address`, binding a wildcard one for its family when there is none */
  socketFor(address: string): Promise<BoundUdp> {
    const family: 4 | 6 = isIP(address) === 6 ? 6 : 4;
    return this.binding.get(family) ?? this.bind(family === 6 ? '::' : '0.0.0.0', 0);
  }

  boundFor(family: 4 | 6): BoundUdp | undefined {
    return this.bound.get(family);
  }

  send(entry: BoundUdp, data: Buffer, address: string, port: number): Promise<void> {
    return new Promise((resolve, reject) => {
      entry.socket.send(data, port, address, (err) => (err ? reject(err) : resolve()));
    });
  }

  close(): void {
    for (const entry of this.bound.values()) entry.socket.close();
    this.bound.clear();
    this.binding.clear();
  }
}
