/**
 * The cap on live server transactions (issue 10, "bounded cost"). Each server transaction lives until
 * Timer J / Timer I (RFC 3261 §17.2.2, §17.2.1: 64*T1 = 32 s over UDP) to absorb retransmissions, and
 * holds its request and last response meanwhile: without a cap, a flood costs memory linear in its size.
 *
 * At the cap, the oldest non-INVITE transaction that has already sent its final response (Completed) is
 * ended early to make room: it only absorbs retransmissions (§17.2.2), and a late retransmission reaching
 * the TU as a new request is recognised by storage as a duplicate (Call-ID, CSeq, From tag). So answered
 * traffic never fills the cap and the cap bounds memory without bounding throughput; only requests the TU
 * has not answered yet (and INVITE transactions) fill it. When none can give way, the request is over the
 * cap: it creates no transaction and reaches no TU:
 *  - from the registered path (the PBX): a stateless 503 (Service Unavailable) with Retry-After.
 *    §21.5.4: "The server is temporarily unable to process the request due to a temporary overloading
 *    ... The server MAY indicate when the client should retry the request in a Retry-After header
 *    field"; §20.33: Retry-After "can be used with a 503 (Service Unavailable) response to indicate how
 *    long the service is expected to be unavailable". The sender learns it was refused: nothing is lost
 *    in silence.
 *  - from anyone else: dropped without a response (no reflection, no fingerprinting), counted.
 * Retransmissions of a request that already has a transaction are still absorbed by it (§17.2.3), and an
 * ACK is never answered (§17.2.3 / §13.3.1.4).
 */
import { createResponse, type SipRequest } from '../message/index.ts';
import type { Endpoint, InboundMessage, TransportLayer } from '../transport/types.ts';
import { responseDestination } from './response-destination.ts';

export interface ServerCapOptions {
  /** most live server transactions; default 2048 (~7 KB each: ~14 MB) */
  readonly max?: number;
  /** Retry-After (§20.33) of the 503, in seconds; default 5 */
  readonly retryAfterSeconds?: number;
  /** whether a source is on the registered path (503) or not (silent drop); default: every source is */
  readonly fromRegisteredPath?: (source: Endpoint) => boolean;
}

export interface ServerCapCounters {
  /** requests above the cap answered 503 (registered path) */
  readonly refused: number;
  /** requests above the cap dropped without a response (anyone else) */
  readonly dropped: number;
  /** answered transactions ended before Timer J to make room (not a loss: see the module comment) */
  readonly shed: number;
}

export const DEFAULT_MAX_SERVER_TRANSACTIONS = 2048;
export const DEFAULT_OVERLOAD_RETRY_AFTER_S = 5;

export class ServerTransactionCap {
  readonly max: number;
  readonly #retryAfter: number;
  readonly #fromRegisteredPath: (source: Endpoint) => boolean;
  #refused = 0;
  #dropped = 0;
  #shed = 0;

  constructor(options: ServerCapOptions = {}) {
    this.max = Math.max(1, options.max ?? DEFAULT_MAX_SERVER_TRANSACTIONS);
    this.#retryAfter = Math.max(1, Math.round(options.retryAfterSeconds ?? DEFAULT_OVERLOAD_RETRY_AFTER_S));
    this.#fromRegisteredPath = options.fromRegisteredPath ?? (() => true);
  }

  /** true when a new transaction may be created with `live` transactions alive */
  admits(live: number): boolean {
    return live < this.max;
  }

  /** the request is over the cap: answer 503 statelessly (registered path) or drop it (anyone else) */
  refuse(request: SipRequest, inbound: InboundMessage, transport: TransportLayer): void {
    if (!this.#fromRegisteredPath(inbound.source)) {
      this.#dropped++;
      return;
    }
    this.#refused++;
    const response = createResponse(request, 503, 'Service Unavailable', [['Retry-After', String(this.#retryAfter)]]);
    // §18.2.2: where a server transaction would have sent it; a failure is the sender's retransmission to fix
    transport.send(response, responseDestination(request, inbound.source)).catch(() => undefined);
  }

  /** the transaction layer ended a Completed transaction early to make room */
  countShed(): void {
    this.#shed++;
  }

  counters(): ServerCapCounters {
    return { refused: this.#refused, dropped: this.#dropped, shed: this.#shed };
  }
}
