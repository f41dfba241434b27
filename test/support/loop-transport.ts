/**
 * An in-memory TransportLayer for transaction tests (the pjsip "loop transport" idea): every send is
 * recorded with the fake clock's time, a test injects inbound messages and transport errors, and sends can
 * be made to fail. Reliability per protocol is configurable (default: UDP unreliable, TCP/TLS reliable).
 */
import { parseMessage, serializeMessage } from '../../main/sip/message/index.ts';
import type { SipMessage } from '../../main/sip/message/index.ts';
import type { Clock } from '../../main/sip/transaction/clock.ts';
import {
  TransportError,
  type Endpoint,
  type InboundMessage,
  type TransportErrorEvent,
  type TransportLayer,
  type TransportProtocol,
} from '../../main/sip/transport/types.ts';

export interface SentRecord {
  /** clock.now() at the moment send() was called */
  readonly at: number;
  readonly message: SipMessage;
  readonly destination: Endpoint;
}

export interface LoopTransportOptions {
  readonly clock: Clock;
  /** override reliability: true = every protocol reliable, false = none */
  readonly reliable?: boolean;
  readonly local?: { readonly host: string; readonly port: number };
}

export class LoopTransport implements TransportLayer {
  readonly sent: SentRecord[] = [];
  readonly #clock: Clock;
  readonly #reliable: boolean | undefined;
  readonly #local: { readonly host: string; readonly port: number };
  readonly #messageListeners = new Set<(inbound: InboundMessage) => void>();
  readonly #errorListeners = new Set<(event: TransportErrorEvent) => void>();
  #failure: ((message: SipMessage, destination: Endpoint) => string | undefined) | undefined;
  #connections = 0;

  constructor(options: LoopTransportOptions) {
    this.#clock = options.clock;
    this.#reliable = options.reliable;
    this.#local = options.local ?? { host: '127.0.0.1', port: 5060 };
  }

  isReliable(protocol: TransportProtocol): boolean {
    return this.#reliable ?? protocol !== 'udp';
  }

  send(message: SipMessage, destination: Endpoint): Promise<Endpoint> {
    this.sent.push({ at: this.#clock.now(), message, destination });
    const reason = this.#failure?.(message, destination);
    if (reason !== undefined) return Promise.reject(new TransportError(reason, destination));
    if (destination.protocol !== 'udp' && destination.connectionId === undefined) {
      return Promise.resolve({ ...destination, connectionId: `loop-${++this.#connections}` });
    }
    return Promise.resolve(destination);
  }

  localAddressFor(destination: Endpoint): { host: string; port: number; protocol: TransportProtocol } {
    return { ...this.#local, protocol: destination.protocol };
  }

  onMessage(listener: (inbound: InboundMessage) => void): () => void {
    this.#messageListeners.add(listener);
    return () => this.#messageListeners.delete(listener);
  }

  onError(listener: (event: TransportErrorEvent) => void): () => void {
    this.#errorListeners.add(listener);
    return () => this.#errorListeners.delete(listener);
  }

  /**
   * Makes send() fail: `fail(message, destination)` returns a reason to reject with, or undefined to let
   * the send through. Pass undefined to make every send succeed again.
   */
  failSends(fail: ((message: SipMessage, destination: Endpoint) => string | undefined) | undefined): void {
    this.#failure = fail;
  }

  /** Delivers a message as if it arrived from `source`; text is parsed first (like the wire). */
  inject(message: SipMessage | string, source: Endpoint): void {
    const parsed = typeof message === 'string' ? parseMessage(Buffer.from(message)) : message;
    const raw = Buffer.from(serializeMessage(parsed));
    const inbound: InboundMessage = { message: parsed, source, local: { address: this.#local.host, port: this.#local.port }, raw };
    for (const listener of [...this.#messageListeners]) listener(inbound);
  }

  /** Reports a broken connection/destination, as a real transport's onError would (§18.4). */
  emitError(endpoint: Endpoint, reason: string): void {
    for (const listener of [...this.#errorListeners]) listener({ endpoint, reason });
  }

  /** Sent messages so far as [time, first line] pairs, for exact-instant assertions. */
  timeline(): Array<[number, string]> {
    return this.sent.map((r) => [r.at, firstLine(r.message)]);
  }

  clear(): void {
    this.sent.length = 0;
  }
}

function firstLine(message: SipMessage): string {
  const text = serializeMessage(message).toString();
  const end = text.indexOf('\r\n');
  return end === -1 ? text : text.slice(0, end);
}
