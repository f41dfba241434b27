/**
 * What the transport layer offers the layers above (RFC 3261 §18). An Endpoint names where a message came
 * from or goes to, including the connection it travelled on, so responses go back on the connection the
 * request came in on (§18.2.2) and the PBX can reach us over the connection we registered on.
 */
import type { SipMessage } from '../message/index.ts';

export type TransportProtocol = 'udp' | 'tcp' | 'tls';

export interface Endpoint {
  readonly protocol: TransportProtocol;
  /** numeric IP address (IPv4 dotted or IPv6 without brackets) */
  readonly address: string;
  readonly port: number;
  /** the stream connection a message arrived on / should leave on, when there is one */
  readonly connectionId?: string;
  /** TLS: the name to verify the server certificate against (SNI and hostname check) */
  readonly serverName?: string;
}

export interface InboundMessage {
  readonly message: SipMessage;
  readonly source: Endpoint;
  /** local address/port it arrived at */
  readonly local: { readonly address: string; readonly port: number };
  readonly raw: Buffer;
}

/** Reported to transactions that used a connection that broke (§17.1.4, §18.4): they answer 503 to their TU. */
export interface TransportErrorEvent {
  readonly endpoint: Endpoint;
  readonly reason: string;
}

/** The transport layer as transactions see it. */
export interface TransportLayer {
  /** RFC 3261 §17.1.1.2 / Table 4: TCP and TLS are reliable, UDP is not */
  isReliable(protocol: TransportProtocol): boolean;
  /**
   * Sends a message; resolves with the endpoint actually used (with its connectionId for streams).
   * Rejects with a TransportError when it cannot be sent (connection refused, TLS failure, ...).
   */
  send(message: SipMessage, destination: Endpoint): Promise<Endpoint>;
  /**
   * Optional: sends a response already serialized (serializeMessage) over UDP, traced as send() would
   * trace it. A non-INVITE server transaction keeps only these bytes while it waits in Completed for
   * retransmissions (§17.2.2), not the parsed request and response. Without it the bytes are parsed back
   * and go through send().
   */
  sendSerializedResponse?(bytes: Buffer, destination: Endpoint): Promise<Endpoint>;
  /** the address/port/transport to put in Via sent-by and Contact for this destination */
  localAddressFor(destination: Endpoint): { readonly host: string; readonly port: number; readonly protocol: TransportProtocol };
  onMessage(listener: (inbound: InboundMessage) => void): () => void;
  onError(listener: (event: TransportErrorEvent) => void): () => void;
}

export class TransportError extends Error {
  readonly endpoint: Endpoint;
  constructor(message: string, endpoint: Endpoint) {
    super(message);
    this.name = 'TransportError';
    this.endpoint = endpoint;
  }
}
