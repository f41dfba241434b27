/**
 * One TCP or TLS connection (RFC 3261 §18.3 framing by Content-Length, RFC 5626 §3.5.1 CRLF keep-alive).
 * It frames the byte stream into messages, answers a CRLFCRLF ping with a CRLF pong, closes itself after
 * an idle time with no pending use (on the injected clock) and reports why it closed.
 */
import type { Socket } from 'node:net';
import { SipParseError, StreamFramer } from '../message/index.ts';
import type { Clock, TimerHandle } from '../transaction/clock.ts';
import { normalizeAddress } from './address.ts';
import { networkReason } from './network-reason.ts';
import type { Endpoint } from './types.ts';

export const CRLF = Buffer.from('\r\n');
export const CRLF_CRLF = Buffer.from('\r\n\r\n');

export interface StreamConnectionEvents {
  /** one complete message (bytes still unparsed) */
  message(connection: StreamConnection, data: Buffer): void;
  /** the framer rejected the stream; the connection is closed right after */
  parseError(connection: StreamConnection, error: SipParseError): void;
  /** a CRLF pong (answer to our ping) arrived */
  pong(connection: StreamConnection): void;
  /** keep-alive bytes went in or out (for the wire trace) */
  keepAlive(connection: StreamConnection, direction: 'in' | 'out', raw: Buffer): void;
  /** closed; `error` is set unless we closed it on purpose (idle, shutdown) */
  closed(connection: StreamConnection, error: string | null): void;
}

export interface StreamConnectionOptions {
  readonly id: string;
  readonly protocol: 'tcp' | 'tls';
  readonly socket: Socket;
  /** true when we opened it, false when accepted from a peer */
  readonly outbound: boolean;
  readonly serverName?: string;
  readonly clock: Clock;
  readonly idleTimeoutMs: number;
  readonly maxMessageSize: number;
  readonly events: StreamConnectionEvents;
}

export class StreamConnection {
  readonly id: string;
  readonly protocol: 'tcp' | 'tls';
  readonly outbound: boolean;
  readonly remote: Endpoint;
  readonly local: { readonly address: string; readonly port: number };
  private readonly socket: Socket;
  private readonly framer: StreamFramer;
  private readonly clock: Clock;
  private readonly idleTimeoutMs: number;
  private readonly events: StreamConnectionEvents;
  private idleTimer: TimerHandle | null = null;
  private holds = 0;
  private closing: string | null | undefined = undefined;
  private closedFlag = false;

  constructor(options: StreamConnectionOptions) {
    this.id = options.id;
    this.protocol = options.protocol;
    this.outbound = options.outbound;
    this.socket = options.socket;
    this.clock = options.clock;
    this.idleTimeoutMs = options.idleTimeoutMs;
    this.events = options.events;
    this.framer = new StreamFramer({ maxMessageSize: options.maxMessageSize });
    this.remote = {
      protocol: options.protocol,
      address: normalizeAddress(options.socket.remoteAddress ?? ''),
      port: options.socket.remotePort ?? 0,
      connectionId: options.id,
      ...(options.serverName !== undefined ? { serverName: options.serverName } : {}),
    };
    this.local = { address: normalizeAddress(options.socket.localAddress ?? ''), port: options.socket.localPort ?? 0 };
    options.socket.setNoDelay(true);
    options.socket.on('data', (chunk: Buffer) => this.onData(chunk));
    options.socket.on('error', (err: Error) => {
      if (this.closing === undefined) this.closing = networkReason(err);
    });
    options.socket.on('close', () => this.onClose());
    this.touch();
  }

  get isOpen(): boolean {
    return this.closing === undefined && !this.closedFlag && !this.socket.destroyed;
  }

  write(data: Buffer): Promise<void> {
    if (!this.isOpen) return Promise.reject(new Error('connection closed'));
    this.touch();
    return new Promise((resolve, reject) => {
      this.socket.write(data, (err) => (err ? reject(err) : resolve()));
    });
  }

  /** RFC 5626 §3.5.1: a ping is CRLFCRLF */
  sendPing(): Promise<void> {
    this.events.keepAlive(this, 'out', CRLF_CRLF);
    return this.write(CRLF_CRLF);
  }

  /** marks a pending use (transaction, registration flow, keep-alive): no idle close while held */
  hold(): () => void {
    this.holds++;
    this.touch();
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.holds--;
      this.touch();
    };
  }

  /** closes the connection; `error` null = on purpose (no error report) */
  close(error: string | null = null): void {
    if (this.closing === undefined) this.closing = error;
    if (this.idleTimer !== null) this.clock.clearTimeout(this.idleTimer);
    this.idleTimer = null;
    this.socket.destroy();
  }

  private touch(): void {
    if (this.idleTimer !== null) this.clock.clearTimeout(this.idleTimer);
    this.idleTimer = null;
    if (!this.isOpen || this.holds > 0 || this.idleTimeoutMs <= 0) return;
    this.idleTimer = this.clock.setTimeout(() => {
      this.idleTimer = null;
      if (this.holds === 0) this.close(null);
    }, this.idleTimeoutMs);
  }

  private onData(chunk: Buffer): void {
    if (!this.isOpen) return;
    this.touch();
    let items;
    try {
      items = this.framer.push(chunk);
    } catch (err) {
      const error = err instanceof SipParseError ? err : new SipParseError(err instanceof Error ? err.message : String(err));
      this.events.parseError(this, error);
      this.close(`bad stream: ${error.reason}`);
      return;
    }
    for (const item of items) {
      if (!this.isOpen) return;
      switch (item.kind) {
        case 'message':
          this.events.message(this, item.data);
          break;
        case 'ping':
          // RFC 5626 §3.5.1: a CRLFCRLF ping is answered with a CRLF pong
          this.events.keepAlive(this, 'in', CRLF_CRLF);
          this.events.keepAlive(this, 'out', CRLF);
          this.socket.write(CRLF);
          break;
        case 'pong':
          this.events.keepAlive(this, 'in', CRLF);
          this.events.pong(this);
          break;
      }
    }
  }

  private onClose(): void {
    if (this.closedFlag) return;
    this.closedFlag = true;
    if (this.idleTimer !== null) this.clock.clearTimeout(this.idleTimer);
    this.idleTimer = null;
    const reason = this.closing === undefined ? 'connection closed by peer' : this.closing;
    this.closing = reason;
    this.events.closed(this, reason);
  }
}
