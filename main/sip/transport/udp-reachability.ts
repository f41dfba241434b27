/**
 * ICMP errors for UDP (RFC 3261 §18.4: "if the transport layer receives an ICMP error, it MUST inform
 * the transport user"). Linux does not report an ICMP port/host unreachable on an unconnected UDP socket
 * (our listening socket: it talks to many peers), but it does on a *connected* one: the next receive
 * fails with ECONNREFUSED (port unreachable) or EHOSTUNREACH/ENETUNREACH, which Node emits as 'error'.
 * So when a request leaves over UDP for a destination, a connected socket sends that destination an
 * RFC 5626 §3.5.1 CRLFCRLF keep-alive (ignored by any SIP server) and listens for such an error for
 * `waitMs`; one probe per destination at a time and at most one per `minIntervalMs`, so a burst of
 * requests costs one datagram. An error is reported for the destination through `onUnreachable`.
 */
import { createSocket, type Socket } from 'node:dgram';
import { isIP } from 'node:net';
import type { Clock } from '../transaction/clock.ts';
import { CRLF_CRLF } from './stream-connection.ts';

export interface UdpReachabilityOptions {
  readonly clock: Clock;
  /** how long a probe listens for the ICMP error; default 2 s */
  readonly waitMs?: number;
  /** no new probe to the same destination sooner than this after the last one; default 1 s */
  readonly minIntervalMs?: number;
}

/** The errno codes an ICMP error surfaces as on a connected UDP socket, in words. */
export function icmpReason(code: unknown): string | null {
  switch (code) {
    case 'ECONNREFUSED':
      return 'ICMP port unreachable: nothing listens on the PBX port';
    case 'EHOSTUNREACH':
      return 'ICMP host unreachable';
    case 'ENETUNREACH':
      return 'ICMP network unreachable';
    default:
      return null;
  }
}

export class UdpReachability {
  readonly #clock: Clock;
  readonly #waitMs: number;
  readonly #minIntervalMs: number;
  readonly #onUnreachable: (address: string, port: number, reason: string) => void;
  /** destination → when its last probe started (clock ms) */
  readonly #last = new Map<string, number>();
  readonly #open = new Set<Socket>();
  #closed = false;

  constructor(options: UdpReachabilityOptions, onUnreachable: (address: string, port: number, reason: string) => void) {
    this.#clock = options.clock;
    this.#waitMs = options.waitMs ?? 2_000;
    this.#minIntervalMs = options.minIntervalMs ?? 1_000;
    this.#onUnreachable = onUnreachable;
  }

  /** Probes `address:port` unless a probe to it is running or started less than minIntervalMs ago. */
  probe(address: string, port: number): boolean {
    if (this.#closed) return false;
    const key = `${address}|${String(port)}`;
    const now = this.#clock.now();
    const last = this.#last.get(key);
    if (last !== undefined && now - last < Math.max(this.#minIntervalMs, 0)) return false;
    this.#last.set(key, now);
    // bounded: destinations of an account are few; forget old ones rather than grow without end
    if (this.#last.size > 256) this.#last.delete(this.#last.keys().next().value as string);
    const family = isIP(address) === 6 ? 'udp6' : 'udp4';
    const socket = createSocket({ type: family });
    this.#open.add(socket);
    let done = false;
    const finish = (): void => {
      if (done) return;
      done = true;
      this.#clock.clearTimeout(timer);
      this.#open.delete(socket);
      try {
        socket.close();
      } catch {
        // already closed
      }
    };
    const timer = this.#clock.setTimeout(finish, this.#waitMs);
    socket.on('error', (err) => {
      const reason = icmpReason((err as { code?: unknown }).code);
      finish();
      if (reason !== null && !this.#closed) this.#onUnreachable(address, port, reason);
    });
    // a datagram back on the probe socket means something listens: nothing to report
    socket.on('message', finish);
    socket.connect(port, address, () => {
      if (done) return;
      socket.send(CRLF_CRLF, (err) => {
        if (err) socket.emit('error', err);
      });
    });
    return true;
  }

  close(): void {
    this.#closed = true;
    for (const s of this.#open) {
      try {
        s.close();
      } catch {
        // already closed
      }
    }
    this.#open.clear();
  }
}
