/**
 * The transport layer (RFC 3261 §18) over node:dgram, node:net and node:tls, IPv4 and IPv6.
 *  - UDP: one socket per family; TCP/TLS: connections reused per peer (connection-registry.ts), responses
 *    back on the connection the request came on, requests arriving on our outgoing connections delivered
 *    like any other (the PBX reaches us over the connection we registered on).
 *  - Via: §18.1.1 transport/sent-by/rport on requests we send, §18.2.1 + RFC 3581 §4 received/rport on
 *    requests we receive (via-rewrite.ts).
 *  - idle connections close after `idleTimeoutMs` without traffic or pending use (injected clock); a
 *    connection that breaks is reported to `onError` listeners with its endpoint (§18.4 → 503 upstairs).
 *  - CRLF keep-alive (keep-alive.ts), wire trace (`onTrace`), parse errors as events (`onParseError`).
 */
import { isIP, type Socket } from 'node:net';
import { parseMessage, serializeMessage, SipParseError, type SipMessage } from '../message/index.ts';
import { systemClock, type Clock } from '../transaction/clock.ts';
import { defaultPort, formatHost } from './address.ts';
import { ConnectionRegistry } from './connection-registry.ts';
import { isWildcard, pickLocalAddress } from './local-address.ts';
import { StreamConnection, type StreamConnectionEvents } from './stream-connection.ts';
import { openStream } from './stream-connector.ts';
import { listenStream, type StreamServer } from './stream-listener.ts';
import {
  DEFAULT_CONNECT_TIMEOUT_MS,
  DEFAULT_IDLE_TIMEOUT_MS,
  DEFAULT_MAX_MESSAGE_SIZE,
  type ListenSpec,
  type ParseErrorEvent,
  type TransportLayerOptions,
} from './transport-options.ts';
import type { WireTraceEvent, WireTraceListener } from './trace.ts';
import { TransportError, type Endpoint, type InboundMessage, type TransportErrorEvent, type TransportLayer, type TransportProtocol } from './types.ts';
import { UdpReachability } from './udp-reachability.ts';
import { UdpSockets, type BoundUdp, type UdpDatagram } from './udp-sockets.ts';
import { prepareRequestVia, stampReceivedVia } from './via-rewrite.ts';

export type { ListenSpec, ParseErrorEvent, TransportLayerOptions } from './transport-options.ts';

export class SipTransportLayer implements TransportLayer {
  readonly clock: Clock;
  private readonly options: TransportLayerOptions;
  private readonly udp: UdpSockets;
  private readonly servers: StreamServer[] = [];
  readonly connections = new ConnectionRegistry();
  private readonly messageListeners = new Set<(inbound: InboundMessage) => void>();
  private readonly errorListeners = new Set<(event: TransportErrorEvent) => void>();
  private readonly parseErrorListeners = new Set<(event: ParseErrorEvent) => void>();
  private readonly traceListeners = new Set<WireTraceListener>();
  /** keep-alive.ts listens for pongs here */
  readonly pongListeners = new Set<(connection: StreamConnection) => void>();
  private readonly streamEvents: StreamConnectionEvents;
  /** §18.4 ICMP errors for UDP (null when icmpProbe is off) */
  private readonly reachability: UdpReachability | null;

  private constructor(options: TransportLayerOptions) {
    this.options = options;
    this.clock = options.clock ?? systemClock;
    if (options.onTrace) this.traceListeners.add(options.onTrace);
    this.udp = new UdpSockets(
      (d) => this.onDatagram(d),
      () => undefined,
      options.udpReceiveBufferBytes,
    );
    const probe = options.icmpProbe ?? false;
    this.reachability =
      probe === false
        ? null
        : new UdpReachability({ clock: this.clock, ...(probe === true ? {} : probe) }, (address, port, reason) =>
            this.emitError({ endpoint: { protocol: 'udp', address, port }, reason }),
          );
    this.streamEvents = {
      message: (c, data) => this.receive(data, c.remote, c.local, false, c.outbound),
      parseError: (c, error) => this.emitParseError({ error, source: c.remote, local: c.local, raw: Buffer.alloc(0) }),
      pong: (c) => {
        for (const l of this.pongListeners) l(c);
      },
      keepAlive: (c, direction, raw) => this.trace(direction, c.remote, c.local, raw, 'keepalive'),
      closed: (c, error) => {
        this.connections.remove(c);
        if (error !== null) this.emitError({ endpoint: c.remote, reason: error });
      },
    };
  }

  /** creates the layer and binds every listening socket */
  static async create(options: TransportLayerOptions = {}): Promise<SipTransportLayer> {
    const layer = new SipTransportLayer(options);
    try {
      for (const spec of options.listen ?? []) await layer.listen(spec);
    } catch (err) {
      await layer.close();
      throw err;
    }
    return layer;
  }

  private async listen(spec: ListenSpec): Promise<void> {
    if (spec.protocol === 'udp') {
      await this.udp.bind(spec.address, spec.port);
      return;
    }
    const protocol = spec.protocol;
    this.servers.push(await listenStream(protocol, spec.address, spec.port, this.options.tlsServer, (s) => this.adopt(s, protocol, false)));
  }

  /** the addresses actually bound (ports resolved when 0 was asked for) */
  listening(): { protocol: TransportProtocol; address: string; port: number }[] {
    const out: { protocol: TransportProtocol; address: string; port: number }[] = [];
    for (const family of [4, 6] as const) {
      const u = this.udp.boundFor(family);
      if (u) out.push({ protocol: 'udp', address: u.address, port: u.port });
    }
    for (const s of this.servers) out.push({ protocol: s.protocol, address: s.address, port: s.port });
    return out;
  }

  isReliable(protocol: TransportProtocol): boolean {
    // RFC 3261 §17.1.1.2 / Table 4
    return protocol !== 'udp';
  }

  onMessage(listener: (inbound: InboundMessage) => void): () => void {
    this.messageListeners.add(listener);
    return () => this.messageListeners.delete(listener);
  }

  onError(listener: (event: TransportErrorEvent) => void): () => void {
    this.errorListeners.add(listener);
    return () => this.errorListeners.delete(listener);
  }

  onParseError(listener: (event: ParseErrorEvent) => void): () => void {
    this.parseErrorListeners.add(listener);
    return () => this.parseErrorListeners.delete(listener);
  }

  onTrace(listener: WireTraceListener): () => void {
    this.traceListeners.add(listener);
    return () => this.traceListeners.delete(listener);
  }

  async send(message: SipMessage, destination: Endpoint): Promise<Endpoint> {
    if (destination.protocol === 'udp') return this.sendUdp(message, destination);
    let connection: StreamConnection;
    try {
      connection = await this.streamFor(destination);
    } catch (err) {
      throw err instanceof TransportError ? err : new TransportError(err instanceof Error ? err.message : String(err), destination);
    }
    if (message.kind === 'request') this.prepareVia(message, destination.protocol, connection.local);
    const bytes = serializeMessage(message);
    try {
      await connection.write(bytes);
    } catch (err) {
      throw new TransportError(`${destination.protocol.toUpperCase()} send failed: ${err instanceof Error ? err.message : String(err)}`, connection.remote);
    }
    this.trace('out', connection.remote, connection.local, bytes, 'message', true);
    this.learnRegisteredPath(message, connection.remote);
    return connection.remote;
  }

  private async sendUdp(message: SipMessage, destination: Endpoint): Promise<Endpoint> {
    const entry = await this.udpSocketFor(destination);
    const local = { address: isWildcard(entry.address) ? pickLocalAddress(destination.address) : entry.address, port: entry.port };
    if (message.kind === 'request') this.prepareVia(message, 'udp', local);
    const bytes = serializeMessage(message);
    const remote = await this.sendUdpBytes(entry, local, bytes, destination);
    // §18.4: a request to a destination that is down is learnt from ICMP in milliseconds, not by Timer F
    if (message.kind === 'request') this.reachability?.probe(destination.address, destination.port);
    this.learnRegisteredPath(message, remote);
    return remote;
  }

  /** a response serialized once by its server transaction, sent again as it is (TransportLayer) */
  async sendSerializedResponse(bytes: Buffer, destination: Endpoint): Promise<Endpoint> {
    if (destination.protocol !== 'udp') throw new TransportError('sendSerializedResponse: UDP only', destination);
    const entry = await this.udpSocketFor(destination);
    const local = { address: isWildcard(entry.address) ? pickLocalAddress(destination.address) : entry.address, port: entry.port };
    return this.sendUdpBytes(entry, local, bytes, destination);
  }

  private udpSocketFor(destination: Endpoint): Promise<BoundUdp> {
    return this.udp.socketFor(destination.address).catch((err: unknown) => {
      throw new TransportError(`UDP socket: ${err instanceof Error ? err.message : String(err)}`, destination);
    });
  }

  private async sendUdpBytes(
    entry: BoundUdp,
    local: { address: string; port: number },
    bytes: Buffer,
    destination: Endpoint,
  ): Promise<Endpoint> {
    try {
      await this.udp.send(entry, bytes, destination.address, destination.port);
    } catch (err) {
      throw new TransportError(`UDP send failed: ${err instanceof Error ? err.message : String(err)}`, destination);
    }
    const remote: Endpoint = { protocol: 'udp', address: destination.address, port: destination.port };
    this.trace('out', remote, local, bytes, 'message', true);
    return remote;
  }

  /** raw bytes (keep-alive) to an endpoint; streams only over an already open connection */
  async sendRaw(destination: Endpoint, bytes: Buffer): Promise<void> {
    if (destination.protocol === 'udp') {
      const entry = await this.udp.socketFor(destination.address);
      await this.udp.send(entry, bytes, destination.address, destination.port);
      // the UDP keep-alive doubles as a liveness check of the PBX port (ICMP, §18.4)
      this.reachability?.probe(destination.address, destination.port);
      this.trace('out', destination, { address: entry.address, port: entry.port }, bytes, 'keepalive');
      return;
    }
    const c = this.openConnectionTo(destination);
    if (!c) throw new TransportError('no open connection', destination);
    await c.write(bytes);
    this.trace('out', c.remote, c.local, bytes, 'keepalive');
  }

  /** the address a REGISTER went to is on the registered path (source-guard.ts) */
  private learnRegisteredPath(message: SipMessage, remote: Endpoint): void {
    if (message.kind === 'request' && message.method === 'REGISTER') this.options.sourceGuard?.trust(remote.address);
  }

  private prepareVia(message: SipMessage, protocol: TransportProtocol, local: { address: string; port: number }): void {
    prepareRequestVia(message, protocol, { host: formatHost(local.address), port: local.port }, {
      fillSentBy: this.options.fillViaSentBy ?? true,
      rport: this.options.addRport ?? true,
    });
  }

  /** the open connection an endpoint names (by connectionId, else by peer), if any */
  openConnectionTo(destination: Endpoint): StreamConnection | undefined {
    if (destination.connectionId !== undefined) {
      const byId = this.connections.get(destination.connectionId);
      if (byId) return byId;
    }
    return this.connections.find(destination);
  }

  /**
   * §18.1.1 / §18.2.2: the connection named by connectionId when still open; else an open connection to
   * the peer; else a new one (for a response whose connection is gone: to received/sent-by port, §18.2.2).
   */
  private async streamFor(destination: Endpoint): Promise<StreamConnection> {
    const open = this.openConnectionTo(destination);
    if (open) return open;
    return this.connections.connectOnce(destination, async () => {
      const socket = await openStream(destination, {
        clock: this.clock,
        timeoutMs: this.options.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS,
        ...(destination.protocol === 'tls' ? { trust: this.options.tlsTrust?.(destination) } : {}),
        ...(this.options.tlsClient ? { tlsClient: this.options.tlsClient } : {}),
      });
      return this.adopt(socket, destination.protocol === 'tls' ? 'tls' : 'tcp', true, destination.serverName);
    });
  }

  private adopt(socket: Socket, protocol: 'tcp' | 'tls', outbound: boolean, serverName?: string): StreamConnection {
    const connection = new StreamConnection({
      id: this.connections.newId(protocol),
      protocol,
      socket,
      outbound,
      ...(serverName !== undefined ? { serverName } : {}),
      clock: this.clock,
      idleTimeoutMs: this.options.idleTimeoutMs ?? DEFAULT_IDLE_TIMEOUT_MS,
      maxMessageSize: this.options.maxMessageSize ?? DEFAULT_MAX_MESSAGE_SIZE,
      events: this.streamEvents,
    });
    this.connections.add(connection);
    return connection;
  }

  localAddressFor(destination: Endpoint): { readonly host: string; readonly port: number; readonly protocol: TransportProtocol } {
    const protocol = destination.protocol;
    const family: 4 | 6 = isIP(destination.address) === 6 ? 6 : 4;
    const fix = (address: string): string => formatHost(isWildcard(address) ? pickLocalAddress(destination.address) : address);
    if (protocol === 'udp') {
      const u = this.udp.boundFor(family);
      return { host: fix(u?.address ?? ''), port: u?.port ?? defaultPort('udp'), protocol };
    }
    const c = this.openConnectionTo(destination);
    if (c) return { host: fix(c.local.address), port: c.local.port, protocol };
    const server = this.servers.find((s) => s.protocol === protocol && (isIP(s.address) === 6 ? 6 : 4) === family);
    // no connection yet and no listener: the port is not known before connecting (send() fills sent-by)
    return { host: fix(server?.address ?? ''), port: server?.port ?? defaultPort(protocol), protocol };
  }

  /** marks a pending use of the connection an endpoint names: it stays open while held */
  hold(endpoint: Endpoint): () => void {
    const c = endpoint.protocol === 'udp' ? undefined : this.openConnectionTo(endpoint);
    return c ? c.hold() : () => undefined;
  }

  private onDatagram(d: UdpDatagram): void {
    const source: Endpoint = { protocol: 'udp', address: d.address, port: d.port };
    // RFC 5626 §3.5.1 / §4.4.1: CRLF keep-alives on UDP carry no message
    if (d.data.length <= 4 && d.data.toString('latin1').replace(/\r\n/g, '') === '') {
      this.trace('in', source, d.local, d.data, 'keepalive');
      return;
    }
    this.receive(d.data, source, d.local, true);
  }

  private receive(data: Buffer, source: Endpoint, local: { address: string; port: number }, datagram: boolean, outbound?: boolean): void {
    // issue 10: a source over its rate budget costs nothing more (source-rate-limit.ts) ...
    const guard = this.options.sourceGuard;
    if (this.options.rateLimit && !this.options.rateLimit.admit(source.address, guard?.isTrusted(source.address) ?? false)) return;
    // ... and requests from off the registered path are dropped before the trace and the parser see them
    if (guard && !guard.admit(data, source, outbound)) return;
    // a datagram's octets are its own (dgram allocates each one); a stream's may be reused
    this.trace('in', source, local, data, 'message', datagram);
    let message: SipMessage;
    try {
      message = parseMessage(data, { datagram, maxMessageSize: this.options.maxMessageSize ?? DEFAULT_MAX_MESSAGE_SIZE });
    } catch (err) {
      const error = err instanceof SipParseError ? err : new SipParseError(err instanceof Error ? err.message : String(err));
      this.emitParseError({ error, source, local, raw: data });
      return;
    }
    // §18.2.1 / RFC 3581 §4: received and rport on the top Via of every request we receive
    if (message.kind === 'request' && !stampReceivedVia(message, source)) {
      this.emitParseError({ error: new SipParseError('request without a readable Via'), source, local, raw: data });
      return;
    }
    const inbound: InboundMessage = { message, source, local, raw: data };
    for (const l of this.messageListeners) l(inbound);
  }

  private trace(
    direction: 'in' | 'out',
    remote: Endpoint,
    local: { address: string; port: number },
    raw: Buffer,
    kind: WireTraceEvent['kind'],
    stable = false,
  ): void {
    if (this.traceListeners.size === 0) return;
    const event: WireTraceEvent = { direction, remote, local, raw, at: (this.options.wallClock ?? Date.now)(), kind, stable };
    for (const l of this.traceListeners) l(event);
  }

  emitError(event: TransportErrorEvent): void {
    for (const l of this.errorListeners) l(event);
  }

  private emitParseError(event: ParseErrorEvent): void {
    for (const l of this.parseErrorListeners) l(event);
  }

  /** closes every socket and connection (no error reports for these) */
  async close(): Promise<void> {
    this.reachability?.close();
    this.connections.closeAll();
    this.udp.close();
    await Promise.all(this.servers.map((s) => new Promise<void>((resolve) => s.server.close(() => resolve()))));
    this.servers.length = 0;
  }
}
