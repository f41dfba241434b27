/**
 * INVITE client transaction, RFC 3261 §17.1.1 (Figure 5) as corrected by RFC 6026 §8.4 (Accepted state).
 *
 *   Calling --1xx--> Proceeding
 *   Calling/Proceeding --300-699 (send ACK)--> Completed --Timer D--> Terminated
 *   Calling/Proceeding --2xx--> Accepted --Timer M--> Terminated
 *   Calling --Timer B or transport error--> Terminated
 */
import type { SipRequest, SipResponse } from '../message/index.ts';
import type { Endpoint, TransportLayer } from '../transport/types.ts';
import { createAckForNonSuccess } from './ack.ts';
import { requireClientBranch, type ClientTransactionOptions } from './client-transaction-options.ts';
import { synthesizeTimeout, synthesizeTransportError } from './synthesized-response.ts';
import { DEFAULT_TIMER_CONFIG, timerAInterval, timerB, timerD, timerM, type TimerConfig } from './timers.ts';
import { assertTransition } from './transaction-state-error.ts';
import { TransactionTimers } from './transaction-timers.ts';
import type { ClientTransactionUser } from './transaction-user.ts';
import { sendThroughTransport } from './transport-send.ts';

export type InviteClientState = 'Calling' | 'Proceeding' | 'Completed' | 'Accepted' | 'Terminated';

const TRANSITIONS: Readonly<Record<InviteClientState, readonly InviteClientState[]>> = {
  Calling: ['Proceeding', 'Completed', 'Accepted', 'Terminated'],
  Proceeding: ['Completed', 'Accepted', 'Terminated'],
  Completed: ['Terminated'],
  Accepted: ['Terminated'],
  Terminated: [],
};

export class InviteClientTransaction {
  readonly kind = 'invite-client' as const;
  readonly request: SipRequest;
  readonly branch: string;
  readonly method = 'INVITE';
  readonly reliable: boolean;
  readonly #user: ClientTransactionUser;
  readonly #transport: TransportLayer;
  readonly #config: TimerConfig;
  readonly #timers: TransactionTimers;
  readonly #onTerminated: (() => void) | undefined;
  #state: InviteClientState = 'Calling';
  #endpoint: Endpoint;
  #retransmissions = 0;
  #started = false;
  #ack: SipRequest | undefined;

  constructor(options: ClientTransactionOptions) {
    if (options.request.method !== 'INVITE') {
      throw new Error(`InviteClientTransaction: needs an INVITE, got ${options.request.method} (RFC 3261 §17.1.1)`);
    }
    this.request = options.request;
    this.branch = requireClientBranch('InviteClientTransaction', options.request);
    this.#user = options.user;
    this.#transport = options.transport;
    this.#config = options.timers ?? DEFAULT_TIMER_CONFIG;
    this.#timers = new TransactionTimers(options.clock);
    this.#onTerminated = options.onTerminated;
    this.#endpoint = options.destination;
    this.reliable = options.transport.isReliable(options.destination.protocol);
  }

  get state(): InviteClientState {
    return this.#state;
  }

  get endpoint(): Endpoint {
    return this.#endpoint;
  }

  /** the ACK this transaction generated for a non-2xx final response (§17.1.1.3), once there is one */
  get ack(): SipRequest | undefined {
    return this.#ack;
  }

  /**
   * §17.1.1.2: "The initial state, 'calling', MUST be entered when the TU initiates a new client
   * transaction with an INVITE request. The client transaction MUST pass the request to the transport
   * layer for transmission. If an unreliable transport is being used, the client transaction MUST start
   * timer A with a value of T1. ... For any transport, the client transaction MUST start timer B with a
   * value of 64*T1 seconds."
   */
  start(): void {
    if (this.#started) throw new Error('InviteClientTransaction: start() called twice');
    this.#started = true;
    this.#timers.start('B', timerB(this.#config), () => this.#timerB());
    if (!this.reliable) this.#timers.start('A', timerAInterval(0, this.#config), () => this.#timerA());
    this.#send(this.request);
  }

  receiveResponse(response: SipResponse): void {
    const status = response.status;
    switch (this.#state) {
      case 'Calling':
      case 'Proceeding':
        if (status < 200) {
          // §17.1.1.2: "If the client transaction receives a provisional response while in the 'Calling'
          // state, it transitions to the 'Proceeding' state. In the 'Proceeding' state, the client
          // transaction SHOULD NOT retransmit the request any longer." Provisionals go to the TU.
          if (this.#state === 'Calling') {
            this.#timers.stop('A');
            // Timer B only guards the Calling state; a ringing INVITE is ended by the TU (CANCEL).
            this.#timers.stop('B');
            this.#transition('Proceeding');
          }
          this.#user.onResponse(response);
          return;
        }
        this.#timers.stop('A');
        this.#timers.stop('B');
        if (status < 300) {
          // RFC 6026 §8.4: "If a 2xx response is received while the client INVITE state machine is in the
          // 'Calling' or 'Proceeding' states, it MUST transition to the 'Accepted' state, pass the 2xx
          // response to the TU, and set Timer M to 64*T1."
          this.#transition('Accepted');
          this.#user.onResponse(response);
          this.#timers.start('M', timerM(this.#config), () => this.#timerM());
          return;
        }
        // §17.1.1.2: "When in either the 'Calling' or 'Proceeding' states, reception of a response with
        // status code from 300-699 MUST cause the client transaction to transition to 'Completed'. The
        // client transaction MUST pass the received response up to the TU, and the client transaction
        // MUST generate an ACK request, even if the transport is reliable."
        this.#transition('Completed');
        this.#ack = createAckForNonSuccess(this.request, response);
        this.#send(this.#ack);
        this.#user.onResponse(response);
        // "The client transaction SHOULD start timer D when it enters the 'Completed' state, with a value
        // of at least 32 seconds for unreliable transports, and a value of zero seconds for reliable."
        this.#enterCompletedTimerD();
        return;
      case 'Completed':
        // §17.1.1.2: "Any retransmissions of the final response that are received while in the
        // 'Completed' state MUST cause the ACK to be re-passed to the transport layer for
        // retransmission, but the newly received response MUST NOT be passed up to the TU."
        if (status >= 300 && this.#ack !== undefined) this.#send(this.#ack);
        return;
      case 'Accepted':
        // RFC 6026 §8.4: "any 2xx responses that match this client transaction and that are received
        // while in the 'Accepted' state MUST be passed up to the TU."
        if (status >= 200 && status < 300) this.#user.onResponse(response);
        return;
      case 'Terminated':
        return;
    }
  }

  /**
   * §17.1.1.2 / §17.1.4: a transport failure in Calling or Proceeding is reported to the TU (as a 503,
   * §8.1.3.1) and the transaction terminates. After a final response was passed up, the TU already has
   * its answer: the transaction just ends.
   */
  transportError(reason: string): void {
    if (this.#state === 'Calling' || this.#state === 'Proceeding') {
      this.#transition('Terminated');
      this.#user.onTransportError(synthesizeTransportError(this.request), reason);
      this.#user.onTerminated?.();
    } else if (this.#state === 'Completed') {
      this.#transition('Terminated');
      this.#user.onTerminated?.();
    }
  }

  dispose(): void {
    if (this.#state === 'Terminated') return;
    this.#transition('Terminated');
  }

  #timerA(): void {
    if (this.#state !== 'Calling') return;
    // §17.1.1.2: "When timer A fires, the client transaction MUST retransmit the request by passing it to
    // the transport layer, and MUST reset the timer with a value of 2*T1." (doubling, no cap)
    this.#retransmissions++;
    this.#send(this.request);
    this.#timers.start('A', timerAInterval(this.#retransmissions, this.#config), () => this.#timerA());
  }

  #timerB(): void {
    if (this.#state !== 'Calling') return;
    // §17.1.1.2: "If the client transaction is still in the 'Calling' state when timer B fires, the client
    // transaction SHOULD inform the TU that a timeout has occurred. The client transaction MUST NOT
    // generate an ACK."
    this.#transition('Terminated');
    this.#user.onTimeout(synthesizeTimeout(this.request));
    this.#user.onTerminated?.();
  }

  #enterCompletedTimerD(): void {
    const fire = (): void => {
      // §17.1.1.2: "If timer D fires while the client transaction is in the 'Completed' state, the client
      // transaction MUST move to the terminated state."
      if (this.#state !== 'Completed') return;
      this.#transition('Terminated');
      this.#user.onTerminated?.();
    };
    const ms = timerD(this.reliable);
    if (ms === 0) fire();
    else this.#timers.start('D', ms, fire);
  }

  #timerM(): void {
    if (this.#state !== 'Accepted') return;
    // RFC 6026 §8.4: "If Timer M fires while the client INVITE transaction is in the 'Accepted' state,
    // the client transaction MUST move to the 'Terminated' state."
    this.#transition('Terminated');
    this.#user.onTerminated?.();
  }

  #send(message: SipRequest): void {
    sendThroughTransport(
      this.#transport,
      message,
      this.#endpoint,
      (used) => {
        if (this.#state !== 'Terminated') this.#endpoint = used;
      },
      (reason) => this.transportError(reason),
    );
  }

  #transition(to: InviteClientState): void {
    assertTransition('InviteClientTransaction', TRANSITIONS, this.#state, to);
    this.#state = to;
    // §17.1.1.2: "The client transaction MUST be destroyed the instant it enters the 'Terminated' state."
    if (to === 'Terminated') {
      this.#timers.stopAll();
      this.#onTerminated?.();
    }
  }
}
