/**
 * Non-INVITE server transaction, RFC 3261 §17.2.2 (Figure 8).
 *
 *   Trying --1xx from TU--> Proceeding --200-699 from TU--> Completed --Timer J--> Terminated
 *   Trying --200-699 from TU--> Completed
 */
import { isRfc3261Branch, parseMessage, serializeMessage, type SipRequest, type SipResponse } from '../message/index.ts';
import type { Endpoint } from '../transport/types.ts';
import type { Clock, TimerHandle } from './clock.ts';
import { stampReceivedVia } from '../transport/via-rewrite.ts';
import { ResponseSender } from './response-sender.ts';
import type { ServerTransactionOptions } from './server-transaction-options.ts';
import { DEFAULT_TIMER_CONFIG, timerJ, type TimerConfig } from './timers.ts';
import { assertTransition } from './transaction-state-error.ts';
import type { TimerJQueue } from './timer-j-queue.ts';
import type { ServerTransactionUser } from './transaction-user.ts';

export type NonInviteServerState = 'Trying' | 'Proceeding' | 'Completed' | 'Terminated';

const TRANSITIONS: Readonly<Record<NonInviteServerState, readonly NonInviteServerState[]>> = {
  Trying: ['Proceeding', 'Completed', 'Terminated'],
  Proceeding: ['Completed', 'Terminated'],
  Completed: ['Terminated'],
  Terminated: [],
};

/** a transaction nobody watches (no TU yet): one object for all of them */
const NO_USER: ServerTransactionUser = Object.freeze({});

function parsed<T extends SipRequest | SipResponse>(bytes: Buffer, kind: T['kind'], datagram = false): T {
  const message = parseMessage(bytes, { datagram });
  if (message.kind !== kind) throw new Error(`NonInviteServerTransaction: kept bytes are not a ${kind}`);
  return message as T;
}

export class NonInviteServerTransaction {
  readonly kind = 'non-invite-server' as const;
  readonly method: string;
  readonly reliable: boolean;
  readonly #sender: ResponseSender;
  readonly #config: TimerConfig;
  readonly #clock: Clock;
  /** the transaction layer's shared Timer J (timer-j-queue.ts); without it, a timer of our own */
  readonly #timerJQueue: TimerJQueue | undefined;
  #timerJ: TimerHandle | undefined;
  readonly #onTerminated: (() => void) | undefined;
  readonly #source: Endpoint;
  readonly #raw: Buffer | undefined;
  #user: ServerTransactionUser;
  #state: NonInviteServerState = 'Trying';
  #request: SipRequest | undefined;
  #lastResponse: SipResponse | undefined;
  /**
   * Issue 18: over UDP a transaction waits 64*T1 = 32 s in Completed (Timer J) only to resend its final
   * response; at 3,000 requests/s every one of them outlives a few scavenges of V8's young generation, and
   * copying (then promoting, then mark-compacting) a parsed request and response per transaction made
   * 100-230 ms GC pauses (retransmissions at the sender). So a Completed transaction (RFC 3261 branch, UDP)
   * keeps the final response and the request serialized (off the JS heap) and nothing parsed: the bytes
   * sent again are those sent first, and `request` / `lastResponse` are parsed back from them when read.
   * Set instead of #request / #lastResponse.
   */
  #completedResponse: Buffer | undefined;
  /** the octets the request arrived in (stamped again when read, as the transport did), else serialized */
  #completedRequest: Buffer | undefined;
  #completedRequestIsRaw = false;

  constructor(options: ServerTransactionOptions) {
    const method = options.request.method;
    if (method === 'INVITE' || method === 'ACK') {
      throw new Error(`NonInviteServerTransaction: ${method} is not a non-INVITE transaction (RFC 3261 §17.2.2)`);
    }
    this.#request = options.request;
    this.#source = options.source;
    this.#raw = options.raw;
    this.method = method;
    this.reliable = options.transport.isReliable(options.source.protocol);
    this.#sender = new ResponseSender(options.transport, options.request, options.source);
    this.#config = options.timers ?? DEFAULT_TIMER_CONFIG;
    this.#clock = options.clock;
    this.#timerJQueue = options.timerJQueue;
    this.#onTerminated = options.onTerminated;
    this.#user = options.user ?? NO_USER;
  }

  get state(): NonInviteServerState {
    return this.#state;
  }

  get endpoint(): Endpoint {
    return this.#sender.endpoint;
  }

  /** the request that created the transaction */
  get request(): SipRequest {
    if (this.#request !== undefined) return this.#request;
    const request = parsed<SipRequest>(this.#completedRequest as Buffer, 'request', this.#completedRequestIsRaw);
    // §18.2.1 / RFC 3581 §4: received/rport as the transport stamped them on arrival
    if (this.#completedRequestIsRaw) stampReceivedVia(request, this.#source);
    return request;
  }

  get lastResponse(): SipResponse | undefined {
    if (this.#completedResponse !== undefined) return parsed<SipResponse>(this.#completedResponse, 'response');
    return this.#lastResponse;
  }

  setUser(user: ServerTransactionUser): void {
    this.#user = user;
  }

  /** §17.2.2: "The state machine is initialized in the 'Trying' state". Nothing is sent on our own. */
  start(): void {
    // no timer and no 100 (Trying): §17.2.2 leaves provisionals to the TU
  }

  /** A response from the TU. Throws on a status outside 100-699 (programmer fault). */
  respond(response: SipResponse): void {
    const status = response.status;
    if (!Number.isInteger(status) || status < 100 || status > 699) {
      throw new RangeError(`NonInviteServerTransaction.respond: bad status ${status}`);
    }
    switch (this.#state) {
      case 'Trying':
      case 'Proceeding':
        if (status >= 200 && this.#keepsBytesWhenCompleted()) {
          const raw = this.#raw;
          const bytes = serializeMessage(response);
          this.#completedRequest = raw ?? serializeMessage(this.request);
          this.#completedRequestIsRaw = raw !== undefined;
          this.#completedResponse = bytes;
          this.#request = undefined;
          this.#lastResponse = undefined;
          this.#sender.sendSerialized(bytes, (reason) => this.transportError(reason));
        } else {
          this.#lastResponse = response;
          this.#sender.send(response, (reason) => this.transportError(reason));
        }
        if (status < 200) {
          // §17.2.2: "While in the 'Trying' state, if the TU passes a provisional response to the server
          // transaction, the server transaction MUST enter the 'Proceeding' state." "Any further
          // provisional responses that are received from the TU while in the 'Proceeding' state MUST be
          // passed to the transport layer for transmission."
          if (this.#state === 'Trying') this.#transition('Proceeding');
          return;
        }
        // §17.2.2: "If the TU passes a final response (status codes 200-699) to the server while in the
        // 'Trying' [or 'Proceeding'] state, the transaction MUST enter the 'Completed' state, and the
        // response MUST be passed to the transport layer for transmission."
        this.#transition('Completed');
        this.#enterCompletedTimerJ();
        return;
      case 'Completed':
      case 'Terminated':
        // §17.2.2: "Any other final responses passed by the TU to the server transaction MUST be discarded
        // while in the 'Completed' state."
        return;
    }
  }

  /** A retransmission of the request matched to this transaction (§17.2.3). */
  receiveRequest(_request: SipRequest): void {
    switch (this.#state) {
      case 'Trying':
        // §17.2.2: "Once in the 'Trying' state, any further request retransmissions are discarded."
        return;
      case 'Proceeding':
      case 'Completed':
        // §17.2.2: "If a retransmission of the request is received while in the 'Proceeding' state, the most
        // recently sent provisional response MUST be passed to the transport layer for retransmission."
        // "While in the 'Completed' state, the server transaction MUST pass the final response to the
        // transport layer for retransmission whenever a retransmission of the request is received."
        if (this.#completedResponse !== undefined) {
          this.#sender.sendSerialized(this.#completedResponse, (reason) => this.transportError(reason));
        } else if (this.#lastResponse !== undefined) {
          this.#sender.send(this.#lastResponse, (reason) => this.transportError(reason));
        }
        return;
      case 'Terminated':
        return;
    }
  }

  /**
   * §17.2.2: "If a transport error occurs while in the 'Proceeding' state [or 'Completed' (Figure 8)],
   * the server transaction SHOULD inform the TU and MUST enter the 'Terminated' state." In 'Trying'
   * nothing was sent yet, but a broken connection means no response can reach the client either.
   */
  transportError(reason: string): void {
    if (this.#state === 'Terminated') return;
    this.#transition('Terminated');
    this.#user.onTransportError?.(reason);
    this.#user.onTerminated?.();
  }

  dispose(): void {
    if (this.#state === 'Terminated') return;
    this.#transition('Terminated');
  }

  /**
   * Ends a Completed transaction before Timer J (the transaction layer's cap, server-cap.ts). Completed
   * only absorbs retransmissions of a request already answered (§17.2.2); a late retransmission then
   * reaches the TU as a new request, which storage recognises as a duplicate (Call-ID, CSeq, From tag).
   * False when the transaction is not Completed.
   */
  shed(): boolean {
    if (this.#state !== 'Completed') return false;
    this.#transition('Terminated');
    this.#user.onTerminated?.();
    return true;
  }

  /**
   * UDP (Timer J > 0) and matched by its RFC 3261 branch (§17.2.3): an RFC 2543 transaction is matched
   * against its request's fields on every request that arrives, so it keeps them parsed.
   */
  #keepsBytesWhenCompleted(): boolean {
    return !this.reliable && isRfc3261Branch(this.#request?.topVia?.branch ?? null);
  }

  /**
   * §17.2.2: "The server transaction remains in this state until Timer J fires, at which point it MUST
   * transition to the 'Terminated' state." Called by our own timer or by the layer's TimerJQueue.
   */
  timerJFired(): void {
    this.#timerJ = undefined;
    if (this.#state !== 'Completed') return;
    this.#transition('Terminated');
    this.#user.onTerminated?.();
  }

  #enterCompletedTimerJ(): void {
    // "When the server transaction enters the 'Completed' state, it MUST set Timer J to fire in 64*T1
    // seconds for unreliable transports, and zero seconds for reliable transports."
    const ms = timerJ(this.reliable, this.#config);
    if (ms === 0) this.timerJFired();
    else if (this.#timerJQueue !== undefined && this.#timerJQueue.duration === ms) this.#timerJQueue.add(this);
    else this.#timerJ = this.#clock.setTimeout(() => this.timerJFired(), ms);
  }

  #transition(to: NonInviteServerState): void {
    assertTransition('NonInviteServerTransaction', TRANSITIONS, this.#state, to);
    this.#state = to;
    if (to === 'Terminated') {
      if (this.#timerJ !== undefined) this.#clock.clearTimeout(this.#timerJ);
      this.#timerJ = undefined;
      this.#onTerminated?.();
    }
  }
}
