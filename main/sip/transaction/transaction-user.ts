/**
 * Typed callbacks from the transaction layer to its Transaction User (RFC 3261 §17: the UA core, dialog
 * layer). No string events: each callback says exactly what happened.
 */
import type { SipRequest, SipResponse } from '../message/index.ts';
import type { InboundMessage } from '../transport/types.ts';
import type { ServerTransaction } from './transaction-types.ts';

/** The TU of one client transaction (UAC side). */
export interface ClientTransactionUser {
  /**
   * Every response the transaction passes up: provisionals, the final response, and for INVITE every
   * 2xx (also retransmitted 2xx while Accepted, RFC 6026 §8.4). Retransmitted non-2xx finals are absorbed.
   */
  onResponse(response: SipResponse): void;
  /** Timer B / Timer F fired (§17.1.1.2, §17.1.2.2); `response` is a synthesized 408 (§8.1.3.1). */
  onTimeout(response: SipResponse): void;
  /** The transport failed (§17.1.4, §8.1.3.1); `response` is a synthesized 503. */
  onTransportError(response: SipResponse, reason: string): void;
  /** The transaction reached Terminated (for any reason) and has been removed. */
  onTerminated?(): void;
}

/** The TU of one server transaction (UAS side). */
export interface ServerTransactionUser {
  /** INVITE: Timer H fired, the ACK for a non-2xx final never came (§17.2.1). */
  onTimeout?(): void;
  /** A response could not be sent (§17.2.4). */
  onTransportError?(reason: string): void;
  onTerminated?(): void;
}

/** The core above the whole transaction layer: gets what matches no transaction. */
export interface TransactionLayerUser {
  /**
   * A new request (not ACK) created a server transaction (§17.2.3 found no match). The TU MUST answer
   * through `transaction.respond(...)`; it may attach a ServerTransactionUser with `transaction.setUser`.
   */
  onRequest(request: SipRequest, transaction: ServerTransaction, inbound: InboundMessage): void;
  /**
   * An ACK that belongs to no server transaction: the ACK for a 2xx (§17.1.1.3, §13.3.1.4), or an ACK
   * that reached an INVITE server transaction in the Accepted state (RFC 6026 §8.7). For the dialog layer.
   */
  onAck(ack: SipRequest, inbound: InboundMessage): void;
  /**
   * A response that matched no client transaction (§17.1.3), e.g. a 2xx retransmission after Timer M
   * (RFC 6026 §8.4): the dialog layer re-ACKs it or drops it.
   */
  onStrayResponse?(response: SipResponse, inbound: InboundMessage): void;
}
