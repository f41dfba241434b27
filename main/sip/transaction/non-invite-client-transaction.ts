/**
 * Non-INVITE client transaction, RFC 3261 §17.1.2 (Figure 6).
 *
 *   Trying --1xx--> Proceeding --200-699--> Completed --Timer K--> Terminated
 *   Trying/Proceeding --Timer F or transport error--> Terminated
 */
import type { SipRequest, SipResponse } from '../message/index.ts';
import type { Endpoint, TransportLayer } from '../transport/types.ts';
import { requireClientBranch, type ClientTransactionOptions } from './client-transaction-options.ts';
import { synthesizeTimeout, synthesizeTransportError } from './synthesized-response.ts';
import {
  DEFAULT_TIMER_CONFIG,
  timerEInterval,
  timerEProceedingInterval,
  timerF,
  timerK,
  type TimerConfig,
} from './timers.ts';
import { assertTransition } from './transaction-state-error.ts';
import { TransactionTimers } from './transaction-timers.ts';
import type { ClientTransactionUser } from './transaction-user.ts';
import { sendThroughTransport } from './transport-send.ts';

export type NonInviteClientState = 'Trying' | 'Proceeding' | 'Completed' | 'Terminated';

const TRANSITIONS: Readonly<Record<NonInviteClientState, readonly NonInviteClientState[]>> = {
  Trying: ['Proceeding', 'Completed', 'Terminated'],
  Proceeding: ['Completed', 'Terminated'],
  Completed: ['Terminated'],
  Terminated: [],
};

export class NonInviteClientTransaction {
  readonly kind = 'non-invite-client' as const;
  readonly request: SipRequest;
  readonly branch: string;
  readonly method: string;
  /** §17.1.1.2 / Table 4: decides whether Timer E runs and what Timer K is */
  readonly reliable: boolean;
  readonly #user: ClientTransactionUser;
  readonly #transport: TransportLayer;
  readonly #config: TimerConfig;
  readonly #timers: TransactionTimers;
  readonly #onTerminated: (() => void) | undefined;
  #state: NonInviteClientState = 'Trying';
  #endpoint: Endpoint;
  #retransmissions = 0;
  #started = false;

  constructor(options: ClientTransactionOptions) {
    const method = options.request.method;
    if (method === 'INVITE' || method === 'ACK') {
      throw new Error(`NonInviteClientTransaction: ${method} is not a non-INVITE transaction (RFC 3261 §17.1.2)`);
    }
    this.request = options.request;
    this.branch = requireClientBranch('NonInviteClientTransaction', options.request);
    this.method = method;
    this.#user = options.user;
    this.#transport = options.transport;
    this.#config = options.timers ?? DEFAULT_TIMER_CONFIG;
    this.#timers = new TransactionTimers(options.clock);
    this.#onTerminated = options.onTerminated;
    this.#endpoint = options.destination;
    this.reliable = options.transport.isReliable(options.destination.protocol);
  }

  get state(): NonInviteClientState {
    return this.#state;
  }

  /** The endpoint in use: the destination, then the one the transport reports (with its connectionId). */
  get endpoint(): Endpoint {
    return this.#endpoint;
  }

  /**
   * §17.1.2.2: "The 'Trying' state is entered when the TU initiates a new client transaction with a
   * request. When entering this state, the client transaction SHOULD set timer F to fire in 64*T1
   * seconds. The request MUST be passed to the transport layer for transmission. If an unreliable
   * transport is in use, the client transaction MUST set timer E to fire in T1 seconds."
   */
  start(): void {
    if (this.#started) throw new Error('NonInviteClientTransaction: start() called twice');
    this.#started = true;
    this.#timers.start('F', timerF(this.#config), () => this.#timerF());
    if (!this.reliable) this.#timers.start('E', timerEInterval(0, this.#config), () => this.#timerE());
    this.#sendRequest();
  }

  /** A response matched to this transaction (§17.1.3). */
  receiveResponse(response: SipResponse): void {
    const status = response.status;
    switch (this.#state) {
      case 'Trying':
      case 'Proceeding':
        if (status < 200) {
          // §17.1.2.2: "If a provisional response is received while in the 'Trying' state, the response
          // MUST be passed to the TU, and then the client transaction SHOULD move to the 'Proceeding' state."
          // "If a provisional response is received while in the 'Proceeding' state, it MUST be passed to the TU."
          this.#user.onResponse(response);
          if (this.#state === 'Trying') this.#transition('Proceeding');
          return;
        }
        // §17.1.2.2: "If a final response (status codes 200-699) is received while in the 'Trying' state
        // [or 'Proceeding'], the response MUST be passed to the TU, and the client transaction MUST
        // transition to the 'Completed' state."
        this.#timers.stop('E');
        this.#timers.stop('F');
        this.#transition('Completed');
        this.#user.onResponse(response);
        // "Once the client transaction enters the 'Completed' state, it MUST set Timer K to fire in T4
        // seconds for unreliable transports, and zero seconds for reliable transports."
        this.#startOrFire('K', timerK(this.reliable, this.#config));
        return;
      case 'Completed':
      case 'Terminated':
        // §17.1.2.2: the Completed state buffers response retransmissions; they are absorbed.
        return;
    }
  }

  /**
   * §17.1.4: the transport reported a failure for this transaction's destination. "The client
   * transaction SHOULD inform the TU that a transport failure has occurred, and the client transaction
   * SHOULD transition directly to the 'Terminated' state." In Completed nothing is sent any more.
   */
  transportError(reason: string): void {
    if (this.#state !== 'Trying' && this.#state !== 'Proceeding') return;
    this.#transition('Terminated');
    this.#user.onTransportError(synthesizeTransportError(this.request), reason);
    this.#user.onTerminated?.();
  }

  /** Stops every timer and drops the transaction without telling the TU (layer shutdown). */
  dispose(): void {
    if (this.#state === 'Terminated') return;
    this.#transition('Terminated');
  }

  #timerE(): void {
    if (this.#state !== 'Trying' && this.#state !== 'Proceeding') return;
    this.#retransmissions++;
    this.#sendRequest();
    // §17.1.2.2 Trying: "the timer is reset, but this time with a value of MIN(4*T1, T2)" (doubling up to T2);
    // Proceeding: "Timer E MUST be reset with a value of T2 seconds".
    const next =
      this.#state === 'Trying'
        ? timerEInterval(this.#retransmissions, this.#config)
        : timerEProceedingInterval(this.#config);
    this.#timers.start('E', next, () => this.#timerE());
  }

  #timerF(): void {
    if (this.#state !== 'Trying' && this.#state !== 'Proceeding') return;
    // §17.1.2.2: "If Timer F fires while the client transaction is still in the 'Trying' state, the
    // client transaction SHOULD inform the TU about the timeout, and then it SHOULD enter the
    // 'Terminated' state." (likewise in 'Proceeding')
    this.#transition('Terminated');
    this.#user.onTimeout(synthesizeTimeout(this.request));
    this.#user.onTerminated?.();
  }

  #sendRequest(): void {
    sendThroughTransport(
      this.#transport,
      this.request,
      this.#endpoint,
      (used) => {
        if (this.#state !== 'Terminated') this.#endpoint = used;
      },
      (reason) => this.transportError(reason),
    );
  }

  #startOrFire(name: 'K', ms: number): void {
    const fire = (): void => {
      // §17.1.2.2: "If Timer K fires while in this state, the client transaction MUST transition to the
      // 'Terminated' state."
      if (this.#state !== 'Completed') return;
      this.#transition('Terminated');
      this.#user.onTerminated?.();
    };
    if (ms === 0) fire();
    else this.#timers.start(name, ms, fire);
  }

  #transition(to: NonInviteClientState): void {
    assertTransition('NonInviteClientTransaction', TRANSITIONS, this.#state, to);
    this.#state = to;
    // §17.1.2.2: "Once the transaction is in the 'Terminated' state, it MUST be destroyed immediately."
    if (to === 'Terminated') {
      this.#timers.stopAll();
      this.#onTerminated?.();
    }
  }
}
